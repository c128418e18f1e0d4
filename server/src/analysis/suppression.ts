// Two comment languages silence findings:
//   - Multistage's own, by rule id: `# multistage-ignore rule[,rule]` in the comment block right above
//     an instruction, `# multistage-ignore-file rule[,rule]` anywhere (no ids: every rule).
//   - hadolint's, by hadolint code, with hadolint's grammar and reach (Hadolint/Pragma.hs and the
//     filtering in Hadolint/Process.hs, 2.12+), so a file written for hadolint means the same here:
//       `# hadolint ignore=DL3008,DL3009`   the instruction that starts on the very next line only
//       `# hadolint stage ignore=DL3006`    from the line after the next one to the next FROM
//       `# hadolint global ignore=DL3006`   the whole file
//     Spaces or tabs may surround the words, `=` and commas, and a `# note` may follow the list. A code
//     is a run of D, L, S, C and digits; a list with anything else in it is no pragma at all (hadolint's
//     parser rejects the whole comment), and a code no rule reports (DL9999) silences nothing.
//     A hadolint code silences the findings reported under that code (Finding.hadolint), never the
//     other findings of the same rule.
import { heredocsOf, type DockerfileModel } from './model';

export interface Suppressions {
  /** Rules ignored in the whole file ('*' for all). */
  file: Set<string>;
  /** For each suppressed instruction: its line span and the rules ignored there. */
  spans: { startLine: number; endLine: number; rules: Set<string> }[];
  hadolint: HadolintPragmas;
}

export interface HadolintPragmas {
  global: Set<string>;
  /** Codes ignored for the instruction starting on a line (the line after the pragma). */
  line: Map<number, Set<string>>;
  /** Stage pragmas by the line after them, and an empty set on each FROM line that has none (it ends the previous one). */
  stage: Map<number, Set<string>>;
}

const LINE_IGNORE = /^\s*#\s*multistage-ignore(?!-file)\b[ \t]*([^\n]*)$/;
const FILE_IGNORE = /^\s*#\s*multistage-ignore-file\b[ \t]*([^\n]*)$/;
const COMMENT = /^\s*#/;
/** hadolint's pragma grammar: `hadolint`, an optional scope, `ignore`, `=`, codes; then only a `#` note. */
const HADOLINT_PRAGMA = /^[ \t]*#[ \t]*hadolint[ \t]+(?:(global|stage)[ \t]+)?ignore[ \t]*=[ \t]*([DLSC0-9]+(?:[ \t]*,[ \t]*[DLSC0-9]+)*)[ \t]*(?:#.*)?$/;

function splitIds(list: string): string[] {
  const ids = list.split(/[,\s]+/).map((s) => s.trim()).filter(Boolean);
  return ids.length === 0 ? ['*'] : ids;
}

export function collectSuppressions(model: DockerfileModel): Suppressions {
  const file = new Set<string>();
  const hadolint: HadolintPragmas = { global: new Set(), line: new Map(), stage: new Map() };
  // Every directive above names multistage-ignore or hadolint: most files have none, and need no line
  // split ("ignore" alone was in a quarter of the corpus: --ignore-scripts, .dockerignore).
  if (!model.text.includes('multistage-ignore') && !model.text.includes('hadolint')) return { file, spans: [], hadolint };
  const lines = model.text.split(/\r\n|\r|\n/);
  const lineRules = new Map<number, string[]>();
  // A `#` line in a here-document is its content. (A comment line inside a continued instruction is
  // a Dockerfile comment, for the builder and for hadolint alike.)
  const inside = instructionInteriors(model);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line.includes('#') || inside.has(i)) continue;
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
    m = HADOLINT_PRAGMA.exec(line);
    if (m) {
      const codes = new Set(m[2].split(',').map((c) => c.trim()));
      if (m[1] === 'global') for (const c of codes) hadolint.global.add(c);
      else if (m[1] === 'stage') hadolint.stage.set(i + 1, codes);
      else hadolint.line.set(i + 1, codes);
    }
  }
  for (const stage of model.stages) {
    const fromLine = stage.from.getRange().start.line;
    if (!hadolint.stage.has(fromLine)) hadolint.stage.set(fromLine, new Set());
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
  return { file, spans, hadolint };
}

/** Lines of here-document bodies: their `#` lines are the document's content, not comments. */
function instructionInteriors(model: DockerfileModel): Set<number> {
  const lines = new Set<number>();
  for (const instruction of model.dockerfile.getInstructions()) {
    for (const heredoc of heredocsOf(instruction) ?? []) {
      const range = heredoc.getContentRange();
      if (range) for (let l = range.start.line; l <= range.end.line; l++) lines.add(l);
    }
  }
  return lines;
}

/** Whether Multistage's own comments silence `rule` at `line`. */
export function isSuppressed(s: Suppressions, rule: string, line: number): boolean {
  if (s.file.has(rule) || s.file.has('*')) return true;
  for (const span of s.spans) {
    if (line >= span.startLine && line <= span.endLine && (span.rules.has(rule) || span.rules.has('*'))) return true;
  }
  return false;
}

/**
 * Whether a hadolint pragma silences a finding reported under hadolint `code` on the instruction that
 * starts at `instructionLine` (hadolint reports every finding on its instruction's first line).
 */
export function isSuppressedByHadolint(s: Suppressions, code: string, instructionLine: number): boolean {
  const h = s.hadolint;
  if (h.global.has(code)) return true;
  if (h.line.get(instructionLine)?.has(code)) return true;
  // The stage pragma in force: the entry with the greatest line strictly below the instruction's
  // (hadolint's lookup), so a FROM without a pragma ends the previous stage's.
  let key = -1;
  for (const candidate of h.stage.keys()) if (candidate < instructionLine && candidate > key) key = candidate;
  return key >= 0 && (h.stage.get(key)?.has(code) ?? false);
}
