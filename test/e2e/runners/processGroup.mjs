// Child processes that the end-to-end runners start (code-server and, through it, the extension host and
// the language server) run in their own process group, so one signal to the group stops all of them,
// on success, on failure and when the runner itself is interrupted.
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';

const live = new Set();

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if (err.code !== 'ESRCH') throw err; // already gone
  }
}

// Last resort when the runner exits or is interrupted without reaching its finally blocks.
process.on('exit', () => {
  for (const pid of live) killGroup(pid, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    for (const pid of live) killGroup(pid, 'SIGKILL');
    process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
  });
}

/**
 * Starts `command args` (an argv array, never a shell string) as the leader of a new process group,
 * with stdout and stderr appended to `logFile`. Returns the child and a stop() that ends the whole group:
 * SIGTERM, then SIGKILL if it is still there after `graceMs`.
 */
export function spawnGroup(command, args, { env, cwd, logFile, graceMs = 5000 }) {
  const out = openSync(logFile, 'a');
  const child = spawn(command, args, { env, cwd, detached: true, stdio: ['ignore', out, out] });
  live.add(child.pid);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let stopping;
  const stop = () => {
    stopping ??= (async () => {
      killGroup(child.pid, 'SIGTERM');
      const timer = new Promise((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
      if ((await Promise.race([exited, timer])) === 'timeout') killGroup(child.pid, 'SIGKILL');
      // Children of the leader (extension host, language server) may outlive it by a moment.
      killGroup(child.pid, 'SIGKILL');
      live.delete(child.pid);
    })();
    return stopping;
  };
  return { child, exited, stop };
}
