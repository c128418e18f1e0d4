// Ctrl-C and SIGTERM (a CI job stopped, `timeout`, a container shutting down) cancel a long engine run
// (compare's builds and containers, xray's build and save) through an AbortSignal, so the run still
// removes what it made before the process exits; a stop by SIGTERM then exits 143 instead of 130.
import { EXIT_CANCELLED, EXIT_TERMINATED } from './exitCodes';

export interface StopSignals {
  /** Aborted by SIGINT or SIGTERM. */
  signal: AbortSignal;
  /** EXIT_CANCELLED becomes EXIT_TERMINATED when SIGTERM was the cause; other codes pass through. */
  exitCode(code: number): number;
  /** Stops listening; call it in `finally`. */
  dispose(): void;
}

export function listenForStopSignals(): StopSignals {
  const cancel = new AbortController();
  let terminated = false;
  const onSigint = () => cancel.abort();
  const onSigterm = () => {
    terminated = true;
    cancel.abort();
  };
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigterm);
  return {
    signal: cancel.signal,
    exitCode: (code) => (code === EXIT_CANCELLED && terminated ? EXIT_TERMINATED : code),
    dispose() {
      process.removeListener('SIGINT', onSigint);
      process.removeListener('SIGTERM', onSigterm);
    },
  };
}
