// Whether a process still exists (signal 0 checks without sending anything), for tests that stop a CLI.
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
