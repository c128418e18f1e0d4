// `multistage lint [paths…] [--format text|json|sarif] [--fail-on error|warning|info|hint|none] [--online]`
import { analyze } from '../analysis/analyze';
import { SETTINGS } from '../analysis/settings';
import { DEFAULT_SETTINGS, SEVERITY_ORDER, type AnalysisSettings, type Severity } from '../analysis/types';
import { parseArgs, UsageError } from './args';
import { expandPaths, readDockerfile } from './files';
import type { CliIO } from './io';
import { formatJson, formatText, type FileReport } from './report';
import { formatSarif } from './sarif';
import { contextForDockerfile } from './context';
import { lintImageFacts, platformOption } from './images';
import { buildModel } from '../analysis/model';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from './exitCodes';



export async function runLint(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, ['format', 'fail-on', 'target', 'context', 'platform'], ['no-syntax', 'online']);
  const format = args.options.get('format') ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif, not '${format}'`);
  const failOn = args.options.get('fail-on') ?? 'error';
  if (!['error', 'warning', 'info', 'hint', 'none'].includes(failOn)) throw new UsageError(`--fail-on must be error, warning, info, hint or none, not '${failOn}'`);
  const paths = args.positionals.length > 0 ? args.positionals : ['.'];
  const { files, missing, skipped } = expandPaths(paths);
  for (const path of missing) io.stderr(`multistage: ${path}: no such file or folder\n`);
  for (const { path, reason } of skipped) io.stderr(`multistage: skipped ${path}: ${reason}\n`);
  if (files.length === 0 && missing.length === 0) io.stderr(`multistage: no Dockerfiles found under ${paths.join(', ')}\n`);

  const settings: AnalysisSettings = {
    ...DEFAULT_SETTINGS,
    syntaxDiagnostics: !args.flags.has('no-syntax'),
    target: SETTINGS.target.read(args.options.get('target')) || undefined,
  };
  const platform = platformOption(args.options.get('platform'));
  const online = args.flags.has('online');
  const reports: FileReport[] = [];
  const texts = new Map<string, string>();
  let unreadable = false;
  for (const file of files) {
    const read = readDockerfile(file);
    if ('error' in read) {
      unreadable = true;
      reports.push({ file, problems: [], error: read.error });
    } else texts.set(file, read.text);
  }
  // Image sizes for the size rules: the bundled snapshot, and the registries only with --online.
  const images = await lintImageFacts(online ? [...texts.values()].map((t) => buildModel(t, { target: settings.target })) : [], platform, online);
  for (const [file, text] of texts) {
    const context = contextForDockerfile(file, args.options.get('context'));
    const result = analyze(text, { settings, context, images });
    for (const { rule, error } of result.ruleErrors) io.stderr(`multistage: internal error in rule ${rule} on ${file}: ${String(error)}\n`);
    reports.push({ file, problems: result.problems });
  }

  if (format === 'json') io.stdout(formatJson(reports));
  else if (format === 'sarif') io.stdout(formatSarif(reports, io.version, io.report));
  else io.stdout(formatText(reports, io.report));

  if (missing.length > 0 || unreadable) return EXIT_USAGE;
  if (failOn === 'none') return EXIT_OK;
  const threshold = SEVERITY_ORDER[failOn as Severity];
  const failing = reports.some((r) => r.problems.some((p) => SEVERITY_ORDER[p.severity] >= threshold));
  return failing ? EXIT_FINDINGS : EXIT_OK;
}
