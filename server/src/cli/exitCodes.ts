// The exit codes of every `multistage` command, in one table (README "Exit codes" describes them). A code
// means the same in every command: 1 is "the command ran and the answer is no", 2 is the caller's mistake.

/** Done: no problem at or above --fail-on, the comparison ran, the fix was written or printed, the x-ray is within budget. */
export const EXIT_OK = 0;
/** lint: problems at or above --fail-on. */
export const EXIT_FINDINGS = 1;
/** compare, xray: a build failed (xray: also an image not found or not readable). */
export const EXIT_BUILD_FAILED = 1;
/** xray: a budget (--max-size, --max-wasted, --min-efficiency, .multistage.json) was exceeded. */
export const EXIT_OVER_BUDGET = 1;
/** fix: the file could not be written, or changed meanwhile. */
export const EXIT_NOT_WRITTEN = 1;
/** Usage error, unknown command or option, a named file missing or unreadable. */
export const EXIT_USAGE = 2;
/** compare, xray: the Docker (or Podman) CLI is missing or the engine does not answer. */
export const EXIT_DOCKER_UNAVAILABLE = 3;
/** Stopped by Ctrl-C (128 + SIGINT's 2), after cleaning up. */
export const EXIT_CANCELLED = 130;
/** Stopped by SIGTERM (128 + 15), after the same cleanup as Ctrl-C. */
export const EXIT_TERMINATED = 143;

/**
 * The exit code of a failed engine run (compare, xray): the engine missing or not answering is 3, a
 * cancel 130, anything else (a build that failed, an image that is not there) 1.
 */
export function engineFailureExitCode(kind: string): number {
  switch (kind) {
    case 'cli-missing':
    case 'daemon-unreachable':
      return EXIT_DOCKER_UNAVAILABLE;
    case 'cancelled':
      return EXIT_CANCELLED;
    default:
      return EXIT_BUILD_FAILED;
  }
}
