// `multistage xray IMAGE | --build Dockerfile [--context DIR] [--target T] [--build-arg K=V]… [--dockerfile FILE]
//  [--engine docker|podman] [--format text|json|sarif|markdown] [--max-size SIZE] [--max-wasted SIZE]
//  [--min-efficiency RATIO] [--config FILE] [--no-config]`
// Reads the engine's export of a built image (or builds the Dockerfile under a temporary tag first, removed
// afterwards), prints what each Dockerfile line added and wasted, and fails when a budget is exceeded.
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { xrayDockerfile, xrayImage } from '../xray/xray';
import { SETTINGS } from '../analysis/settings';
import type { XrayReport } from '../xray/types';
import { parseArgs, UsageError } from './args';
import { parseBuildArgs, takeRepeated } from './compare';
import { engineFailureExitCode, EXIT_OK, EXIT_OVER_BUDGET, EXIT_USAGE } from './exitCodes';
import { listenForStopSignals } from './stopSignals';
import { readDockerfile } from './files';
import type { CliIO } from './io';
import { budgetsFromFlags, checkBudgets, findConfigFile, mergeBudgets, readConfigBudgets, type BudgetCheck } from './xrayBudgets';
import { formatXrayMarkdown, formatXrayText } from './xrayFormat';
import { formatXraySarif } from './xraySarif';

const FORMATS = ['text', 'json', 'sarif', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

/** The engine side, replaceable so argument handling and exit codes are tested without an engine. */
export interface XrayRunners {
  xrayImage: typeof xrayImage;
  xrayDockerfile: typeof xrayDockerfile;
}

export interface XrayIO extends CliIO {
  /** Whether progress lines may go to stderr (a terminal); default: stderr is a TTY. */
  showProgress?: boolean;
}

type XrayOutcome = Awaited<ReturnType<typeof xrayImage>>;
type XrayFailure = Extract<XrayOutcome, { ok: false }>['failure'];

export async function runXray(argv: string[], io: XrayIO, runners: XrayRunners = { xrayImage, xrayDockerfile }): Promise<number> {
  const split = takeRepeated(argv, 'build-arg');
  const args = parseArgs(
    split.rest,
    ['build', 'context', 'target', 'dockerfile', 'engine', 'format', 'max-size', 'max-wasted', 'min-efficiency', 'config'],
    ['no-config'],
  );
  const format = (args.options.get('format') ?? 'text') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be text, json, sarif or markdown, not '${format}'`);
  const engine = args.options.get('engine') ?? 'docker';
  if (engine !== 'docker' && engine !== 'podman') throw new UsageError(`--engine must be docker or podman, not '${engine}'`);
  const build = args.options.get('build');
  if (build !== undefined && args.positionals.length > 0) throw new UsageError('give an IMAGE or --build Dockerfile, not both');
  if (build === undefined && args.positionals.length !== 1) throw new UsageError('xray needs one IMAGE, or --build Dockerfile');
  if (build === undefined && (args.options.has('context') || split.values.length > 0)) throw new UsageError('--context and --build-arg go with --build');
  if (build !== undefined && args.options.has('dockerfile')) throw new UsageError('--dockerfile names the Dockerfile of an IMAGE; with --build the built file is used');
  const contextOption = args.options.get('context');
  if (contextOption !== undefined && !(existsSync(contextOption) && statSync(contextOption).isDirectory())) throw new UsageError(`--context ${contextOption}: no such folder`);

  // The Dockerfile the layers map to: the one built, or the one the image was built from.
  const dockerfile = build ?? args.options.get('dockerfile');
  let dockerfileText: string | undefined;
  if (dockerfile !== undefined) {
    const read = readDockerfile(dockerfile);
    if ('error' in read) {
      io.stderr(`multistage: ${dockerfile}: ${read.error}\n`);
      return EXIT_USAGE;
    }
    dockerfileText = read.text;
  }

  // Budgets: the config file (given, or found from the Dockerfile's folder or the working folder upward), then flags.
  const flagBudgets = budgetsFromFlags(args.options);
  const configOption = args.options.get('config');
  if (configOption !== undefined && args.flags.has('no-config')) throw new UsageError('--config and --no-config exclude each other');
  const configFile = configOption ?? (args.flags.has('no-config') ? undefined : findConfigFile(dockerfile ? dirname(resolve(dockerfile)) : io.report?.cwd ?? process.cwd()));
  if (configOption !== undefined && !(existsSync(configOption) && statSync(configOption).isFile())) throw new UsageError(`--config ${configOption}: no such file`);
  const budgets = mergeBudgets(configFile ? readConfigBudgets(configFile) : {}, flagBudgets);

  // Ctrl-C and SIGTERM stop the build or the save, and the temporary image is still removed.
  const stop = listenForStopSignals();
  const showProgress = io.showProgress ?? Boolean(process.stderr.isTTY);
  const common = {
    engine: engine as 'docker' | 'podman',
    enginePath: engine === 'docker' ? process.env.MULTISTAGE_DOCKER : undefined,
    signal: stop.signal,
    dockerfileText,
    dockerfile,
    onProgress: showProgress ? (line: string) => io.stderr(`${line}\n`) : undefined,
  };
  let outcome: XrayOutcome;
  try {
    outcome = build !== undefined
      ? await runners.xrayDockerfile(resolve(build), {
          ...common,
          context: contextOption !== undefined ? resolve(contextOption) : dirname(resolve(build)),
          target: SETTINGS.target.read(args.options.get('target')) || undefined,
          buildArgs: parseBuildArgs(split.values),
        })
      : await runners.xrayImage(args.positionals[0], { ...common, target: SETTINGS.target.read(args.options.get('target')) || undefined });
  } finally {
    stop.dispose();
  }
  if (!outcome.ok) return stop.exitCode(reportFailure(outcome.failure, io, format));
  const report = outcome.report;
  const checks = checkBudgets(report, budgets);
  io.stdout(render(report, format, checks, dockerfileText, dockerfile, io));
  const over = checks.filter((c) => !c.passed);
  if (format !== 'text') for (const c of over) io.stderr(`multistage xray: over budget: ${c.message}\n`);
  return over.length > 0 ? EXIT_OVER_BUDGET : EXIT_OK;
}

function render(report: XrayReport, format: Format, checks: BudgetCheck[], dockerfileText: string | undefined, dockerfile: string | undefined, io: XrayIO): string {
  switch (format) {
    case 'json':
      // The report as the editor and scripts read it; the budget verdicts only when budgets were set.
      return `${JSON.stringify(checks.length > 0 ? { ...report, budgets: checks } : report, null, 2)}\n`;
    case 'sarif':
      return formatXraySarif(report, io.version, { ...io.report, dockerfilePath: dockerfile, budgets: checks });
    case 'markdown':
      return formatXrayMarkdown(report, { dockerfileText, budgets: checks });
    default:
      return formatXrayText(report, { dockerfileText, budgets: checks, color: io.report?.color });
  }
}

function reportFailure(failure: XrayFailure, io: XrayIO, format: Format): number {
  if (format === 'json') io.stdout(`${JSON.stringify({ failure }, null, 2)}\n`);
  io.stderr(`multistage xray: ${failure.message}\n`);
  if (failure.lastLines.length > 0) io.stderr(`${failure.lastLines.map((l) => `  ${l}`).join('\n')}\n`);
  return engineFailureExitCode(failure.kind);
}

