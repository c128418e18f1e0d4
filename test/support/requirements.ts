// Integration tests need real parts (Docker engine, registry, browser, code-server). When a part is
// missing the test says SKIPPED loudly; under CI=true a missing part is a failure, never a skip.
import type { TestContext } from 'node:test';

export const IN_CI = process.env.CI === 'true';

/**
 * Call at the top of a test. Returns true when the test may go on; otherwise it has skipped the test
 * (outside CI, with a loud message) or thrown (in CI).
 */
export function requirePart(t: TestContext, part: string, available: boolean, howToGetIt: string): boolean {
  if (available) return true;
  const message = `${part} is not available (${howToGetIt})`;
  if (IN_CI) throw new Error(`${message}; CI=true, so this is a failure, not a skip.`);
  process.stderr.write(`\n*** SKIPPED: ${t.name}: ${message} ***\n`);
  t.skip(`SKIPPED: ${message}`);
  return false;
}
