// Item 4: the command-line tools over the same corpus files, as a CI job would run them. Wall time
// of the whole job and peak resident memory of the largest process, from GNU time's %M when
// /usr/bin/time exists, else by polling /proc/<pid>/status VmHWM. dockerlinter takes one file per
// process (`-f FILE`), so it is run once per file and its time is the sum; at ~0.15 s of CPU per
// process that is minutes of CPU for the whole corpus, so by default it runs on an evenly spaced
// sample and its whole-corpus time is extrapolated (and labelled so). `--full-cli` runs all files.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { round } from './stats';

const ROOT = join(__dirname, '..');
const GNU_TIME = '/usr/bin/time';

export interface CliRun {
  command: string;
  processes: number;
  wallMs: number;
  /** User + system CPU of all its processes (GNU time only): steadier than wall time on a busy machine. */
  cpuMs?: number;
  peakRssMb: number;
  /** Files left out because the tool crashes on them and would stop there (see compareClis). */
  excludedFiles?: number;
  files: number;
  /** Whole-corpus wall time estimated from a sample (only when `files` is a sample). */
  extrapolatedWallMs?: number;
  /** Processes that crashed: killed by a signal or printed a JavaScript stack trace. Exit codes are not
   * used: dockerfilelint exits with the number of problems it found. */
  failures: number;
  failureExample?: string;
  stdoutBytes: number;
}

interface ProcessResult {
  code: number | null;
  peakRssKb: number;
  cpuMs?: number;
  stdoutBytes: number;
  stderrTail: string;
}

function runMeasured(argv: string[]): Promise<ProcessResult> {
  const useGnuTime = existsSync(GNU_TIME);
  const dir = useGnuTime ? mkdtempSync(join(tmpdir(), 'multistage-bench-')) : '';
  const timeFile = join(dir, 'time');
  const command = useGnuTime ? [GNU_TIME, '-f', '%M %U %S', '-o', timeFile, ...argv] : argv;
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdoutBytes = 0;
    let stderr = '';
    let polledPeakKb = 0;
    const poll = useGnuTime
      ? undefined
      : setInterval(() => {
          try {
            const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
            polledPeakKb = Math.max(polledPeakKb, kb);
          } catch {
            // The process has just exited.
          }
        }, 20);
    child.stdout.on('data', (chunk: Buffer) => (stdoutBytes += chunk.length));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    child.on('error', reject);
    child.on('close', (code) => {
      if (poll) clearInterval(poll);
      let peakRssKb = polledPeakKb;
      let cpuMs: number | undefined;
      if (useGnuTime) {
        const lines = readFileSync(timeFile, 'utf8').trim().split('\n');
        const [rss, user, system] = lines[lines.length - 1].split(' ').map(Number);
        peakRssKb = rss;
        cpuMs = (user + system) * 1000;
        rmSync(dir, { recursive: true, force: true });
        // GNU time reports "Command exited with non-zero status N" first and passes the code on.
      }
      resolve({ code, peakRssKb, cpuMs, stdoutBytes, stderrTail: stderr });
    });
  });
}

const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$/m;

async function runJob(label: string, files: number, argvs: string[][]): Promise<CliRun> {
  const started = performance.now();
  let peakRssKb = 0;
  let cpuMs: number | undefined;
  let failures = 0;
  let failureExample: string | undefined;
  let stdoutBytes = 0;
  for (const argv of argvs) {
    const result = await runMeasured(argv);
    peakRssKb = Math.max(peakRssKb, result.peakRssKb);
    if (result.cpuMs !== undefined) cpuMs = (cpuMs ?? 0) + result.cpuMs;
    stdoutBytes += result.stdoutBytes;
    if (result.code === null || STACK_TRACE.test(result.stderrTail)) {
      failures++;
      failureExample ??= `exit ${result.code}: ${result.stderrTail.split('\n').filter(Boolean).slice(0, 2).join(' | ').slice(0, 300)}`;
    }
  }
  return {
    command: label,
    processes: argvs.length,
    files,
    wallMs: round(performance.now() - started, 0),
    cpuMs: cpuMs === undefined ? undefined : round(cpuMs, 0),
    peakRssMb: round(peakRssKb / 1024, 1),
    failures,
    failureExample,
    stdoutBytes,
  };
}

/**
 * `dockerfilelintCrashes`: files on which dockerfilelint's own run() throws. Its CLI lints files in one
 * loop without catching, so the first such file ends the process and the rest go unlinted; those files
 * are left out of its run (and counted) so that its time covers the others.
 */
export async function compareClis(files: readonly string[], dockerlinterSample: number, dockerfilelintCrashes: ReadonlySet<string>): Promise<Record<string, CliRun>> {
  const node = process.execPath;
  const step = Math.max(1, Math.floor(files.length / dockerlinterSample));
  const sample = dockerlinterSample >= files.length ? files : files.filter((_, i) => i % step === 0).slice(0, dockerlinterSample);
  const dockerlinter = await runJob('dockerlinter -s none -j -f FILE (one process per file)', sample.length,
    sample.map((file) => [node, 'node_modules/dockerlinter/bin/dockerfilelinter', '-s', 'none', '-j', '-f', file]));
  if (sample.length < files.length) dockerlinter.extrapolatedWallMs = round((dockerlinter.wallMs * files.length) / sample.length, 0);
  const lintable = files.filter((file) => !dockerfilelintCrashes.has(file));
  const dockerfilelint = await runJob('dockerfilelint -o json FILES', lintable.length, [[node, 'node_modules/dockerfilelint/bin/dockerfilelint', '-o', 'json', ...lintable]]);
  dockerfilelint.excludedFiles = files.length - lintable.length;
  return {
    multistage: await runJob('multistage lint FILES --format json', files.length, [[node, 'server/out/cli.js', 'lint', ...files, '--format', 'json']]),
    dockerfilelint,
    dockerlinter,
  };
}
