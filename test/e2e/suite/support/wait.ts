// Waiting in the end-to-end suite is always "poll a condition until it holds or a deadline passes":
// the language server answers asynchronously and a fixed sleep is either flaky or slow.

export const DEFAULT_TIMEOUT_MS = Number(process.env.MULTISTAGE_E2E_WAIT_MS ?? 20_000);
const POLL_INTERVAL_MS = 50;

/**
 * Calls `probe` until it returns something other than undefined/false and returns that value. On
 * timeout it throws, naming what it waited for and the last value it saw, so a failure reads as a reason.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  options: { timeoutMs?: number; describe?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const seen = options.describe ? `; last seen: ${options.describe()}` : '';
      const why = lastError ? `; last error: ${String(lastError)}` : '';
      throw new Error(`Timed out after ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms waiting for ${what}${seen}${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}
