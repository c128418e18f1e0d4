export function greeting(word: string): string {
  return `${word} from typescript`;
}
