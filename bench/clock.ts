// The in-process benchmarks time with this process's CPU time (user + system, all threads, so V8's
// GC helper threads count too) rather than wall time: the machine is shared with other jobs, and on
// 2 busy cores wall time mostly measures how long we waited for a core. Measured here: a 100-line
// parse read 0.9–15 ms wall but 0.9–1.1 ms CPU. Latency benchmarks (server, CLI) use wall time,
// because waiting is what a user feels there.

/** Milliseconds of CPU this process has used, with microsecond resolution. */
export function cpuNowMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}
