// The "Ignore <rule> for this line" action: a `# multistage-ignore <rule>` comment above the
// instruction, or the rule appended to such a comment when one is already there.
import type { TextEdit } from 'vscode-languageserver-types';
import type { DockerfileModel } from './model';

const EXISTING = /^(\s*#\s*multistage-ignore(?!-file)\b[ \t]*)(.*?)\s*$/;

export function ignoreRuleEdit(model: DockerfileModel, rule: string, line: number): TextEdit | undefined {
  const instruction = model.dockerfile.getInstructions().find((i) => {
    const r = i.getRange();
    return r.start.line <= line && line <= r.end.line;
  });
  const targetLine = instruction ? instruction.getRange().start.line : line;
  // Parser directives (# escape=, # syntax=) count only before any other line: a comment above one
  // would turn it into a plain comment and change how the whole file parses.
  if (model.dockerfile.getDirectives().some((d) => d.getRange().start.line >= targetLine)) return undefined;
  const lines = model.text.split(/\r\n|\r|\n/);
  const eol = model.text.includes('\r\n') ? '\r\n' : '\n';
  const above = targetLine > 0 ? lines[targetLine - 1] : undefined;
  const existing = above !== undefined ? EXISTING.exec(above) : null;
  if (existing) {
    const ids = existing[2].split(/[,\s]+/).filter(Boolean);
    if (ids.includes(rule)) return undefined;
    const end = { line: targetLine - 1, character: above!.replace(/\s+$/, '').length };
    return { range: { start: end, end }, newText: ids.length > 0 ? `,${rule}` : ` ${rule}` };
  }
  // Only spaces and tabs count as indentation for the builder: copying other whitespace (NBSP, vertical
  // tab) would turn the comment into an unknown instruction. A byte-order mark stays first in the file.
  const indent = /^[ \t]*/.exec((lines[targetLine] ?? '').replace(/^\uFEFF/, ''))![0];
  const at = { line: targetLine, character: targetLine === 0 && model.text.startsWith('\uFEFF') ? 1 : 0 };
  return { range: { start: at, end: at }, newText: `${indent}# multistage-ignore ${rule}${eol}` };
}
