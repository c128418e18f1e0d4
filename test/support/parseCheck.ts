// "The output parses" for fixes and rewrites of files that may already hold errors: the edit must not add
// any. It asks dockerfile-utils' stock validate(), not the product's own check (analysis/fixSafety.ts), so
// that the tests do not grade the code with itself.
import { validate } from 'dockerfile-utils';

/** Builder errors in `after` that `before` did not have (compared by message, with multiplicity). */
export function newErrors(before: string, after: string): string[] {
  const errors = (text: string) => validate(text).filter((d) => d.severity === 1).map((d) => String(typeof d.message === 'string' ? d.message : d.message.value));
  const remaining = errors(before);
  const added: string[] = [];
  for (const message of errors(after)) {
    const at = remaining.indexOf(message);
    if (at >= 0) remaining.splice(at, 1);
    else added.push(message);
  }
  return added;
}
