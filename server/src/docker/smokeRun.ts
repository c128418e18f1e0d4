// The optional smoke run: start the image, see whether it stays up (a server) or exits 0 (a job) within
// the timeout, keep the last log lines, and always remove the container again.
import { runDocker, type RunDockerOptions } from './runner';
import type { SmokeOutcome } from './pure/compareTypes';

const POLL_MS = 250;

export async function smokeRun(
  imageId: string,
  containerName: string,
  timeoutSeconds: number,
  run: RunDockerOptions,
): Promise<SmokeOutcome> {
  const started = performance.now();
  const seconds = () => Math.round((performance.now() - started) / 100) / 10;
  const start = await runDocker(
    ['run', '--detach', '--name', containerName, '--label', 'multistage-compare=smoke', imageId],
    run,
  );
  try {
    if (start.code !== 0) {
      return { kind: 'failed-to-start', message: lastLine(start.stderr) || `docker run exited with ${start.code}` };
    }
    const deadline = started + timeoutSeconds * 1000;
    while (!run.signal?.aborted) {
      const state = await runDocker(
        ['container', 'inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', containerName],
        run,
      );
      const [status, exitCode] = state.stdout.trim().split(' ');
      if (state.code === 0 && (status === 'exited' || status === 'dead')) {
        return { kind: 'exited', exitCode: Number(exitCode), seconds: seconds(), logTail: await logTail(containerName, run) };
      }
      if (performance.now() >= deadline) {
        return { kind: 'still-running', seconds: seconds(), logTail: await logTail(containerName, run) };
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    return { kind: 'failed-to-start', message: 'cancelled' };
  } finally {
    // `docker run` may have created the container even when it failed to start it.
    await runDocker(['container', 'rm', '--force', containerName], { ...run, signal: undefined });
  }
}

async function logTail(containerName: string, run: RunDockerOptions): Promise<string[]> {
  const logs = await runDocker(['container', 'logs', '--tail', '10', containerName], { ...run, signal: undefined });
  return (logs.stdout + logs.stderr).split('\n').filter((l) => l.trim() !== '').slice(-10);
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() ?? '';
}
