// Validation and formatting shared by the monorepo's services.
export interface Todo {
  id: number;
  title: string;
  done: boolean;
}

export function validateTitle(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const title = value.trim();
  return title.length > 0 && title.length <= 200 ? title : undefined;
}

export function summary(todos: readonly Todo[]): string {
  const done = todos.filter((t) => t.done).length;
  return `${done} of ${todos.length} done`;
}
