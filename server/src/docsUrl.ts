// Where each rule's documentation lives when the client does not pass the bundled copy (CLI, SARIF).
export const DEFAULT_DOCS_URL = 'https://github.com/multistage-dev/multistage/blob/main/docs/rules.md';

export function ruleDocsUrl(rule: string, base = DEFAULT_DOCS_URL): string {
  return `${base}#${rule}`;
}
