// SARIF 2.1.0 for code-scanning UIs: every rule with help and docs URL, results with repository-relative
// URIs (uriBaseId SRCROOT = the git checkout the command runs in, so uploads map onto the repository),
// the run's invocation (command line, times, unreadable files) and, for findings with a safe fix, the
// fix as SARIF replacements.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TextEdit } from 'vscode-languageserver-types';
import { allRules } from '../analysis/rules';
import type { Fix, Severity } from '../analysis/types';
import { ruleDocsUrl } from '../docsUrl';
import type { FileReport, ReportOptions } from './report';

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };
export const SRCROOT = 'SRCROOT';

/** The git checkout holding `cwd` (a `.git` folder or file), else `cwd` itself. */
export function sourceRoot(cwd: string): string {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return resolve(cwd);
  }
}

export interface ArtifactLocation { uri: string; uriBaseId?: string }

export function artifactLocation(file: string, cwd: string, root: string): ArtifactLocation {
  const absolute = resolve(cwd, file);
  const rel = relative(root, absolute);
  if (rel && !rel.startsWith('..') && !isAbsolute(rel)) return { uri: encodeURI(rel.split(sep).join('/')), uriBaseId: SRCROOT };
  // Outside the checkout: an absolute file URI, never a bare path a viewer would resolve against the repo.
  return { uri: pathToFileURL(absolute).href };
}

/** A 0-based LSP range as a 1-based SARIF region. */
function region(range: TextEdit['range']) {
  return { startLine: range.start.line + 1, startColumn: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 };
}

function sarifFix(fix: Fix, location: ArtifactLocation, cwd: string, root: string) {
  const replacements = (edits: TextEdit[]) => edits.map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } }));
  const changes = fix.edits.length > 0 ? [{ artifactLocation: location, replacements: replacements(fix.edits) }] : [];
  for (const file of fix.files ?? []) changes.push({ artifactLocation: artifactLocation(file.path, cwd, root), replacements: replacements(file.edits) });
  return { description: { text: fix.title }, artifactChanges: changes };
}

export function formatSarif(reports: FileReport[], version: string, options: ReportOptions = {}): string {
  const cwd = options.cwd ?? process.cwd();
  const root = options.root ?? sourceRoot(cwd);
  const rules = allRules.map((r) => ({
    id: r.id,
    name: r.id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: r.summary },
    fullDescription: { text: r.summary },
    helpUri: ruleDocsUrl(r.id),
    help: { text: `${r.summary} See ${ruleDocsUrl(r.id)}`, markdown: `${r.summary} [Documentation](${ruleDocsUrl(r.id)})` },
    defaultConfiguration: { level: SARIF_LEVEL[r.defaultSeverity] },
  }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = reports.flatMap((report) => {
    const location = artifactLocation(report.file, cwd, root);
    return report.problems.map((p) => {
      const safe = p.fixes.filter((f) => f.safe);
      return {
        ruleId: p.rule,
        ...(index.has(p.rule) ? { ruleIndex: index.get(p.rule) } : {}),
        level: SARIF_LEVEL[p.severity],
        message: { text: p.message },
        locations: [{ physicalLocation: { artifactLocation: location, region: region(p.range) } }],
        ...(safe.length > 0 ? { fixes: safe.map((f) => sarifFix(f, location, cwd, root)) } : {}),
      };
    });
  });
  const unreadable = reports.filter((r) => r.error);
  const invocation = {
    executionSuccessful: unreadable.length === 0,
    ...(options.commandLine ? { commandLine: options.commandLine } : {}),
    ...(options.startTimeUtc ? { startTimeUtc: options.startTimeUtc } : {}),
    endTimeUtc: options.endTimeUtc ?? new Date().toISOString(),
    workingDirectory: { uri: pathToFileURL(cwd.endsWith(sep) ? cwd : cwd + sep).href },
    toolExecutionNotifications: unreadable.map((r) => ({
      level: 'error',
      message: { text: `cannot read: ${r.error}` },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(r.file, cwd, root) } }],
    })),
  };
  return sarifLog({ version, root, rules, invocation, results });
}

/** The SARIF 2.1.0 document around one run of multistage (lint's rules, or the x-ray's measured ones). */
export function sarifLog(run: { version: string; root: string; rules: object[]; invocation: object; results: object[] }): string {
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'multistage', version: run.version, informationUri: ruleDocsUrl('').replace(/#$/, ''), rules: run.rules } },
      originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(run.root.endsWith(sep) ? run.root : run.root + sep).href } },
      invocations: [run.invocation],
      results: run.results,
    }],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
