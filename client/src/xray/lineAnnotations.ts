// What the editor shows of an image X-ray, as plain data: one annotation per Dockerfile instruction that
// the report measured (`+312.4 MB · 41.0 MB wasted`), and the measured findings on the line that caused
// them. Each annotation remembers the text of its instruction's lines when the X-ray ran; after an edit it
// is moved with the lines above it and dropped as soon as its own text differs, since the bytes it states
// were measured for that text only. Pure (no vscode import), so the tests run without an editor.
import { formatBytes } from '../../../server/src/analysis/bytes';
import { shortImageId } from '../../../server/src/analysis/imageReference';
import type { XrayFinding, XrayReport } from '../../../server/src/xray/types';

/** Which X-ray the annotations of a file came from: every tooltip names it. */
export interface XraySource {
  /** The image as the user named it (tag or id). */
  image: string;
  imageId: string;
  /** ISO time the analysis finished. */
  analysedAt: string;
  /** How the image came to be: "built from this file" or "local image …". */
  origin: string;
}

export type MeasuredSeverity = 'warning' | 'information';

export interface MeasuredFinding {
  kind: XrayFinding['kind'];
  message: string;
  bytes: number;
  severity: MeasuredSeverity;
  /** The static rule whose fix removes this waste, when there is one. */
  ruleId?: string;
  /** 0-based line of the instruction that overwrote or deleted these bytes, as it was when the X-ray ran. */
  byLine?: number;
}

export interface LineAnnotation {
  /** 0-based first line of the instruction. */
  line: number;
  /** Its line when the X-ray ran (lines above it may have been added or removed since). */
  measuredLine: number;
  /** The instruction's lines (continuations included) as they read when the X-ray ran. */
  texts: string[];
  addedBytes: number;
  wastedBytes: number;
  /** `+312.4 MB · 41.0 MB wasted` */
  label: string;
  /** Markdown-free tooltip: what was measured, and from which build. */
  tooltip: string;
  findings: MeasuredFinding[];
}

/** A text change as VS Code reports it (TextDocumentContentChangeEvent), 0-based. */
export interface TextChange {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
  text: string;
}

export const MEASURED_SUFFIX = '— measured';

/** `+312.4 MB · 41.0 MB wasted`; `+0 B` for an instruction that added nothing. */
export function annotationLabel(addedBytes: number, wastedBytes: number): string {
  const added = `+${formatBytes(addedBytes)}`;
  return wastedBytes > 0 ? `${added} · ${formatBytes(wastedBytes)} wasted` : added;
}

/** "93.1 %": dive's efficiency as the panel and the summary show it. */
export function formatEfficiency(efficiency: number): string {
  return `${(Math.floor(efficiency * 1000) / 10).toFixed(1)} %`;
}

export function describeSource(source: XraySource): string {
  const id = shortImageId(source.imageId);
  const when = source.analysedAt.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
  const named = source.image && !source.image.replace(/^sha256:/, '').startsWith(id) ? `${source.image} (${id})` : id;
  return `X-ray of image ${named}, ${source.origin}, ${when}`;
}

/** A finding's message as a diagnostic shows it: always ending "— measured", so it is told apart from a prediction. */
export function measuredMessage(message: string): string {
  const text = message.trim().replace(/[.\s]+$/, '');
  return text.endsWith(MEASURED_SUFFIX) ? text : `${text} ${MEASURED_SUFFIX}`;
}

/**
 * The annotations for a document whose lines are `lines` (the text the report was mapped against).
 * Lines the report names that are not an instruction start in `lines` (a mapping that went wrong, a file
 * edited since) get nothing rather than a wrong figure.
 */
export function annotationsFromReport(report: XrayReport, lines: readonly string[], source: XraySource): LineAnnotation[] {
  const byLine = new Map<number, { added: number; wasted: number; layers: number; instruction: string }>();
  for (const l of report.lines) {
    const at = byLine.get(l.line) ?? { added: 0, wasted: 0, layers: 0, instruction: l.instruction };
    at.added += l.addedBytes;
    at.wasted += l.wastedBytes;
    at.layers += l.layers.length;
    byLine.set(l.line, at);
  }
  const findings = new Map<number, MeasuredFinding[]>();
  for (const f of report.findings) {
    const line = f.line;
    if (line === undefined) continue;
    const list = findings.get(line) ?? [];
    list.push({
      kind: f.kind,
      message: measuredMessage(f.message),
      bytes: f.bytes,
      severity: f.kind === 'duplicate' ? 'information' : 'warning',
      ...('ruleId' in f && f.ruleId ? { ruleId: f.ruleId } : {}),
      ...('byLine' in f && f.byLine !== undefined ? { byLine: f.byLine - 1 } : {}),
    });
    findings.set(line, list);
    if (!byLine.has(line)) byLine.set(line, { added: 0, wasted: 0, layers: 0, instruction: '' });
  }
  const from = describeSource(source);
  const out: LineAnnotation[] = [];
  for (const [oneBased, m] of [...byLine].sort((a, b) => a[0] - b[0])) {
    const line = oneBased - 1;
    if (line < 0 || line >= lines.length || lines[line].trim() === '' || lines[line].trim().startsWith('#')) continue;
    const texts = instructionLines(lines, line);
    const parts = [
      `${m.instruction || 'This instruction'} added ${formatBytes(m.added)}${m.layers > 1 ? ` in ${m.layers} layers` : ''}`,
      m.wasted > 0 ? `${formatBytes(m.wasted)} of it is wasted: a later layer overwrites or deletes it` : 'none of it is wasted',
    ];
    out.push({
      line,
      measuredLine: line,
      texts,
      addedBytes: m.added,
      wastedBytes: m.wasted,
      // The FROM line's bytes are the base image's, not something this file can trim line by line.
      label: m.instruction === 'FROM' ? `${annotationLabel(m.added, m.wasted)} · base image` : annotationLabel(m.added, m.wasted),
      tooltip: `${parts.join('; ')}.\n${from}.\nDisappears when this line changes.`,
      findings: findings.get(oneBased) ?? [],
    });
  }
  return out;
}

/** The instruction's lines from `start`: a line ending in the escape character continues on the next. */
export function instructionLines(lines: readonly string[], start: number): string[] {
  const escape = escapeCharacter(lines);
  const out = [lines[start]];
  let i = start;
  while (i + 1 < lines.length && continues(lines[i], escape)) {
    i++;
    out.push(lines[i]);
  }
  return out;
}

function escapeCharacter(lines: readonly string[]): string {
  // Parser directives sit at the very top, before any comment or instruction.
  for (const line of lines) {
    const directive = /^\s*#\s*(\w+)\s*=\s*(\S+)\s*$/.exec(line);
    if (!directive) break;
    if (directive[1].toLowerCase() === 'escape' && (directive[2] === '`' || directive[2] === '\\')) return directive[2];
  }
  return '\\';
}

function continues(line: string, escape: string): boolean {
  return line.trimEnd().endsWith(escape);
}

/**
 * Moves the annotations through the changes of one edit (applied in order, each in the coordinates left
 * by the ones before, as VS Code reports them) and keeps only those whose lines read as they did when
 * the X-ray ran. `lineAt` reads the document after the edit.
 */
export function afterEdit(
  annotations: readonly LineAnnotation[],
  changes: readonly TextChange[],
  lineAt: (line: number) => string | undefined,
): LineAnnotation[] {
  const moved: LineAnnotation[] = [];
  for (const annotation of annotations) {
    let line: number | undefined = annotation.line;
    for (const change of changes) {
      if (line === undefined) break;
      line = moveThrough(line, change);
    }
    if (line === undefined) continue;
    const at = line;
    if (annotation.texts.every((text, i) => lineAt(at + i) === text)) moved.push(at === annotation.line ? annotation : { ...annotation, line: at });
  }
  return moved;
}

/** Where an instruction starting at `line` sits after `change`; undefined when the change reaches into it from above. */
function moveThrough(line: number, change: TextChange): number | undefined {
  // Entirely above it, or ending at the start of its first line (Enter on the line above, a line pasted
  // above it, a line above deleted): it moves by the lines added or removed.
  if (change.endLine < line || (change.endLine === line && change.endCharacter === 0)) {
    return line + newlines(change.text) - (change.endLine - change.startLine);
  }
  // A change that starts on or below its first line leaves that line where it is; whether the text
  // still reads the same is for the text check to say.
  if (change.startLine >= line) return line;
  return undefined;
}

function newlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
