// `multistage compare BEFORE AFTER [--context DIR] [--target T] [--json] [--build-arg K=V]… [--platform P]
//  [--probe "METHOD PATH [BODY]"]… [--no-behaviour] [--ready-timeout SECONDS] [--smoke SECONDS] [--keep-images]
//  [--xray] [--no-cache] [--legacy-builder] [--sequential] [--docker PATH] [--verbose]`
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SETTINGS } from '../analysis/settings';
import { runComparison, type CompareSideInput } from '../docker/compare';
import { describeStep } from '../docker/pure/buildProgress';
import { behaviourRows, describeSmoke, formatSaving, shortCreatedBy, significantLayers } from '../docker/pure/compareMarkdown';
import { formatBytes } from '../analysis/bytes';
import type { CompareFailure, CompareResult } from '../docker/pure/compareTypes';
import { parseProbe } from '../docker/pure/behaviourPlan';
import type { ProbeSpec } from '../docker/pure/behaviourTypes';
import { parseArgs, UsageError } from './args';
import { engineFailureExitCode, EXIT_OK, EXIT_USAGE } from './exitCodes';
import { listenForStopSignals } from './stopSignals';
import { formatPercent } from './xrayBudgets';
import { xrayDifference } from './xrayFormat';
import { xrayImage } from '../xray/xray';


export interface CompareIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether progress lines may be written to stderr (a terminal); defaults to stderr being a TTY. */
  showProgress?: boolean;
}

const processIO: CompareIO = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

export async function runCompare(args: string[], io: CompareIO = processIO): Promise<number> {
  let parsed;
  let buildArgs: Record<string, string>;
  const probes: ProbeSpec[] = [];
  try {
    const split = takeRepeated(args, 'build-arg');
    buildArgs = parseBuildArgs(split.values);
    const probeArgs = takeRepeated(split.rest, 'probe');
    for (const text of probeArgs.values) {
      const probe = parseProbe(text);
      if (typeof probe === 'string') throw new UsageError(`--probe: ${probe}`);
      probes.push(probe);
    }
    parsed = parseArgs(
      probeArgs.rest,
      ['context', 'target', 'platform', 'smoke', 'docker', 'ready-timeout'],
      ['json', 'keep-images', 'legacy-builder', 'sequential', 'verbose', 'no-cache', 'no-behaviour', 'xray'],
    );
  } catch (error) {
    if (error instanceof UsageError) return usage(io, error.message);
    throw error;
  }
  if (parsed.positionals.length !== 2) return usage(io, 'compare needs exactly two Dockerfiles: BEFORE AFTER');
  const files = parsed.positionals.map((p) => resolve(p));
  for (const file of files) {
    if (!existsSync(file) || !statSync(file).isFile()) return usage(io, `${file}: no such file`);
  }
  const contextOption = parsed.options.get('context');
  if (contextOption && !(existsSync(contextOption) && statSync(contextOption).isDirectory())) {
    return usage(io, `--context ${contextOption}: no such folder`);
  }
  const smokeOption = parsed.options.get('smoke');
  const smokeSeconds = smokeOption === undefined ? 0 : Number(smokeOption);
  if (!Number.isFinite(smokeSeconds) || smokeSeconds < 0) return usage(io, `--smoke needs a number of seconds, not '${smokeOption}'`);
  const readyOption = parsed.options.get('ready-timeout');
  const readySeconds = readyOption === undefined ? 30 : Number(readyOption);
  if (!Number.isFinite(readySeconds) || readySeconds <= 0) return usage(io, `--ready-timeout needs a number of seconds, not '${readyOption}'`);
  const behaviourOff = parsed.flags.has('no-behaviour');
  if (behaviourOff && probes.length > 0) return usage(io, '--probe and --no-behaviour exclude each other');

  const side = (file: string, label: string): CompareSideInput => ({
    label,
    dockerfilePath: file,
    context: contextOption ? resolve(contextOption) : dirname(file),
    target: SETTINGS.target.read(parsed.options.get('target')) || undefined,
    platform: parsed.options.get('platform'),
    buildArgs,
  });
  const json = parsed.flags.has('json');
  const verbose = parsed.flags.has('verbose');
  const showProgress = !json && (io.showProgress ?? Boolean(process.stderr.isTTY));

  // Ctrl-C and SIGTERM stop both builds and the behaviour check's containers, and still remove what was made.
  const stop = listenForStopSignals();
  try {
    const outcome = await runComparison(side(files[0], parsed.positionals[0]), side(files[1], parsed.positionals[1]), {
      dockerPath: parsed.options.get('docker') ?? process.env.MULTISTAGE_DOCKER,
      keepImages: parsed.flags.has('keep-images'),
      legacyBuilder: parsed.flags.has('legacy-builder'),
      sequential: parsed.flags.has('sequential'),
      noCache: parsed.flags.has('no-cache'),
      smokeSeconds,
      behaviour: behaviourOff ? undefined : { probes, readyTimeoutMs: readySeconds * 1000 },
      // By image id while the temporary tags exist; the runner removes them afterwards as without --xray.
      xray: parsed.flags.has('xray')
        ? async (imageId, about) => {
            const outcome = await xrayImage(imageId, {
              engine: 'docker',
              enginePath: parsed.options.get('docker') ?? process.env.MULTISTAGE_DOCKER,
              signal: about.signal,
              dockerfileText: about.dockerfileText,
              dockerfile: parsed.positionals[about.side === 'before' ? 0 : 1],
              target: about.target,
            });
            return outcome.ok ? outcome.report : { error: outcome.failure.message };
          }
        : undefined,
      signal: stop.signal,
      onStep: showProgress ? (s, step) => io.stderr(`${s.padEnd(6)} ${describeStep(step)}\n`) : undefined,
      onOutput: verbose ? (s, line) => io.stderr(`${s}: ${line}\n`) : undefined,
    });
    if (!outcome.ok) {
      return stop.exitCode(reportFailure(outcome.failure, io, json));
    }
    io.stdout(json ? `${JSON.stringify(outcome.result, null, 2)}\n` : formatTable(outcome.result));
    return EXIT_OK;
  } finally {
    stop.dispose();
  }
}

function reportFailure(failure: CompareFailure, io: CompareIO, json: boolean): number {
  // JSON readers get the failure too (with each side's build state), on stdout like a result.
  if (json) io.stdout(`${JSON.stringify(failureJson(failure), null, 2)}\n`);
  io.stderr(`multistage compare: ${failure.message}\n`);
  if (failure.lastLines.length > 0) io.stderr(`${failure.lastLines.map((l) => `  ${l}`).join('\n')}\n`);
  return engineFailureExitCode(failure.kind);
}

/** `{ before: { dockerfile, build, … }, after: …, failure: { kind, side, message, lastLines } }`. */
export function failureJson(failure: CompareFailure): Record<string, unknown> {
  const { builds, ...rest } = failure;
  return { ...(builds ? { before: builds.before, after: builds.after } : {}), failure: rest };
}

export function formatTable(result: CompareResult): string {
  const rows: [string, string, string][] = [
    ['', 'before', 'after'],
    ['Dockerfile', result.before.dockerfile, result.after.dockerfile],
    ['Image size', sizeCell(result.before.sizeBytes), sizeCell(result.after.sizeBytes)],
    ['Layers', String(result.before.layers), String(result.after.layers)],
    ['Build time', `${result.before.buildSeconds.toFixed(1)} s`, `${result.after.buildSeconds.toFixed(1)} s`],
  ];
  if (result.before.smoke || result.after.smoke) {
    rows.push(['Smoke run', describeSmoke(result.before.smoke), describeSmoke(result.after.smoke)]);
  }
  const xb = result.before.xray;
  const xa = result.after.xray;
  if (xb && xa) {
    rows.push(['Wasted', formatBytes(xb.wastedBytes), formatBytes(xa.wastedBytes)]);
    rows.push(['Efficiency', formatPercent(xb.efficiency), formatPercent(xa.efficiency)]);
  }
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)));
  const out = rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('   ').trimEnd());
  out.push('', `${formatSaving(result)}.`);
  if (xb && xa) out.push(`X-ray: ${xrayDifference(xb, xa)}.`);
  for (const [label, report] of [['before', result.before], ['after', result.after]] as const) {
    if (report.xrayError) out.push(`X-ray of ${label} failed: ${report.xrayError}`);
  }
  if (result.behaviour) out.push('', ...behaviourTable(result));
  for (const [label, report] of [['before', result.before], ['after', result.after]] as const) {
    out.push('', `Largest layers (${label}):`);
    for (const row of significantLayers(report, 5)) {
      const line = row.line !== undefined ? `line ${row.line}` : '';
      out.push(`  ${formatBytes(row.sizeBytes).padStart(9)}  ${line.padEnd(8)}  ${shortCreatedBy(row.createdBy, 70)}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** The behaviour check as aligned columns: request, before, after, then the verdict and notes. */
function behaviourTable(result: CompareResult): string[] {
  const b = result.behaviour!;
  const rows = behaviourRows(b);
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)));
  const lines = ['Behaviour:', ...rows.map((r) => `  ${r.map((cell, c) => cell.padEnd(widths[c])).join('   ').trimEnd()}`)];
  lines.push(`${b.alike ? '✔' : '✘'} ${b.verdict}`);
  for (const note of b.notes) lines.push(`  ${note}`);
  return lines;
}

function sizeCell(bytes: number): string {
  return `${formatBytes(bytes)} (${bytes.toLocaleString('en-US')} B)`;
}

/** Pulls every `--name V` / `--name=V` out of argv (the shared parser keeps one value per option). */
export function takeRepeated(argv: string[], name: string): { values: string[]; rest: string[] } {
  const values: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg === `--${name}`) {
      if (argv[i + 1] === undefined) throw new UsageError(`--${name} needs a value`);
      values.push(argv[++i]);
    } else if (arg.startsWith(`--${name}=`)) {
      values.push(arg.slice(name.length + 3));
    } else {
      rest.push(arg);
    }
  }
  return { values, rest };
}

export function parseBuildArgs(values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    // Like docker: `--build-arg NAME` alone takes the value from the environment.
    if (eq === -1) {
      if (process.env[value] !== undefined) out[value] = process.env[value]!;
    } else {
      out[value.slice(0, eq)] = value.slice(eq + 1);
    }
  }
  return out;
}

function usage(io: CompareIO, message: string): number {
  io.stderr(
    `multistage compare: ${message}\n` +
      'usage: multistage compare BEFORE AFTER [--context DIR] [--target T] [--json] [--build-arg K=V]… ' +
      '[--platform P] [--probe "METHOD PATH [BODY]"]… [--no-behaviour] [--ready-timeout SECONDS] [--smoke SECONDS] ' +
      '[--xray] [--keep-images] [--no-cache] [--legacy-builder] [--sequential] [--docker PATH] [--verbose]\n',
  );
  return EXIT_USAGE;
}
