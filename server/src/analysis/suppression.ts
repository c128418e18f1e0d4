// `# multistage-ignore rule[,rule]` above an instruction, `# multistage-ignore-file rule[,rule]`
// anywhere, and hadolint's `# hadolint ignore=DL…` / `# hadolint global ignore=DL…` for mapped rules.
import type { DockerfileModel } from './model';
import { rulesForHadolintCodes } from './data/hadolint';

export interface Suppressions {
  /** Rules ignored in the whole file ('*' for all). */
  file: Set<string>;
  /** For each suppressed instruction: its line span and the rules ignored there. */
  spans: { startLine: number; endLine: number; rules: Set<string> }[];
}

const LINE_IGNORE = /^\s*#\s*multistage-ignore(?!-file)\b[ \t]*([^\n]*)$/;
const FILE_IGNORE = /^\s*#\s*multistage-ignore-file\b[ \t]*([^\n]*)$/;
const HADOLINT_IGNORE = /^\s*#\s*hadolint\s+(global\s+)?ignore\s*=\s*([A-Za-z0-9, ]+)/;
const COMMENT = /^\s*#/;

function splitIds(list: string): string[] {
  const ids = list.split(/[,\s]+/).map((s) => s.trim()).filter(Boolean);
  return ids.length === 0 ? ['*'] : ids;
}

export function collectSuppressions(model: DockerfileModel): Suppressions {
  const file = new Set<string>();
  // Every directive above names multistage-ignore or hadolint: most files have none, and need no line
  // split ("ignore" alone was in a quarter of the corpus: --ignore-scripts, .dockerignore).
  if (!model.text.includes('multistage-ignore') && !model.text.includes('hadolint')) return { file, spans: [] };
  const lines = model.text.split(/\r\n|\r|\n/);
  const lineRules = new Map<number, string[]>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line.includes('#')) continue;
    let m = FILE_IGNORE.exec(line);
    if (m) {
      for (const id of splitIds(m[1])) file.add(id);
      continue;
    }
    m = LINE_IGNORE.exec(line);
    if (m) {
      lineRules.set(i, splitIds(m[1]));
      continue;
    }
    m = HADOLINT_IGNORE.exec(line);
    if (m) {
      const rules = rulesForHadolintCodes(m[2].split(','));
      if (m[1]) for (const r of rules) file.add(r);
      else lineRules.set(i, rules);
    }
  }
  const spans: Suppressions['spans'] = [];
  if (lineRules.size > 0) {
    for (const instruction of model.dockerfile.getInstructions()) {
      const range = instruction.getRange();
      const rules = new Set<string>();
      // The contiguous comment block right above the instruction applies to it.
      for (let l = range.start.line - 1; l >= 0 && COMMENT.test(lines[l] ?? ''); l--) {
        for (const r of lineRules.get(l) ?? []) rules.add(r);
      }
      if (rules.size > 0) spans.push({ startLine: range.start.line, endLine: range.end.line, rules });
    }
  }
  return { file, spans };
}

export function isSuppressed(s: Suppressions, rule: string, line: number): boolean {
  if (s.file.has(rule) || s.file.has('*')) return true;
  for (const span of s.spans) {
    if (line >= span.startLine && line <= span.endLine && (span.rules.has(rule) || span.rules.has('*'))) return true;
  }
  return false;
}
