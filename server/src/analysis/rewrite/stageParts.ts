// The pieces of one stage that the rewrites move around: each instruction with the comment lines that
// introduce it, the working directory in effect at every instruction, and the shell command of each
// RUN as the shell will see it. Rewrites re-emit the user's own text wherever they can, so formatting
// and comments survive.
import { Copy, type Instruction } from 'dockerfile-ast';
import { lineTextOf, type DockerfileModel, type Stage } from '../model';
import { resolvePath } from '../stageFacts';

export interface Segment {
  instruction: Instruction;
  /** Upper-case keyword. */
  keyword: string;
  /** Comment and blank lines between the previous instruction and this one. */
  leading: string[];
  /** The instruction's full lines, continuation lines included. */
  body: string;
  /** Working directory in effect when the instruction runs (after it, for WORKDIR itself). */
  workdir: string;
}

export interface StageParts {
  stage: Stage;
  /** The FROM line(s) as written. */
  fromBody: string;
  segments: Segment[];
  /** Working directory after the last instruction. */
  finalWorkdir: string;
  /** Whether the stage sets WORKDIR itself (otherwise the base image's default applies). */
  setsWorkdir: boolean;
}

/** Default working directories of images whose Dockerfiles set one, for relative paths. */
const BASE_WORKDIRS: Array<[RegExp, string]> = [[/^(?:[^/]+\/)*golang(?::|@|$)/, '/go']];

export function baseWorkdir(image: string | undefined): string {
  for (const [pattern, dir] of BASE_WORKDIRS) if (image && pattern.test(image)) return dir;
  return '/';
}

export function linesText(model: DockerfileModel, first: number, last: number): string {
  const out: string[] = [];
  for (let line = first; line <= last; line++) out.push(lineTextOf(model, line));
  return out.join('\n');
}

export function stageParts(model: DockerfileModel, stage: Stage): StageParts {
  const fromRange = stage.from.getRange();
  let workdir = baseWorkdir(stage.image);
  let setsWorkdir = false;
  let previousEnd = fromRange.end.line;
  const segments: Segment[] = [];
  for (const instruction of stage.instructions) {
    const range = instruction.getRange();
    const keyword = instruction.getKeyword();
    if (keyword === 'WORKDIR') {
      const dir = instruction.getArgumentsContent()?.trim();
      if (dir) {
        workdir = resolvePath(workdir, unquote(dir));
        setsWorkdir = true;
      }
    }
    const leading: string[] = [];
    for (let line = previousEnd + 1; line < range.start.line; line++) leading.push(lineTextOf(model, line));
    segments.push({ instruction, keyword, leading, body: linesText(model, range.start.line, range.end.line), workdir });
    previousEnd = range.end.line;
  }
  return {
    stage,
    fromBody: linesText(model, fromRange.start.line, fromRange.end.line),
    segments,
    finalWorkdir: workdir,
    setsWorkdir,
  };
}

export function unquote(value: string): string {
  const m = /^(["'])(.*)\1$/.exec(value.trim());
  return m ? m[2] : value.trim();
}

/** A path as written in the runtime stage: relative to its working directory when it lies inside it. */
export function relativeTo(workdir: string, absolute: string): string {
  if (workdir === '/') return absolute;
  if (absolute === workdir) return '.';
  if (absolute.startsWith(workdir + '/')) return './' + absolute.slice(workdir.length + 1);
  return absolute;
}

/**
 * The command a RUN (or shell-form CMD) hands to the shell: continuation lines joined, comment lines
 * inside the instruction dropped, flags such as --mount left out. Exec form is joined with spaces.
 */
export function commandOf(instruction: Instruction, escapeChar = '\\'): string {
  const raw = instruction.getRawArgumentsContent() ?? '';
  const json = execFormOf(instruction);
  if (json) return json.join(' ');
  const lines = raw.split(/\r?\n/).filter((line) => !/^\s*#/.test(line));
  let text = '';
  for (const line of lines) {
    const trimmedEnd = line.replace(/\s+$/, '');
    if (trimmedEnd.endsWith(escapeChar)) text += trimmedEnd.slice(0, -1) + ' ';
    else text += line + ' ';
  }
  // Flags (--mount=…, --network=…) come before the command.
  return text.replace(/^\s*(?:--[a-z-]+(?:=\S*)?\s+)*/, '').replace(/\s+/g, ' ').trim();
}

/** The strings of an exec-form (JSON array) instruction, or undefined for shell form. */
export function execFormOf(instruction: Instruction): string[] | undefined {
  const raw = (instruction.getRawArgumentsContent() ?? '').trim();
  if (!raw.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  } catch {
    // Not valid JSON: Docker runs it in shell form, and so do we.
  }
  return undefined;
}

/** COPY/ADD from the build context (no --from): sources and destination as written. */
export interface ContextCopy {
  segment: Segment;
  sources: string[];
  dest: string;
}

export function contextCopies(parts: StageParts): ContextCopy[] {
  const out: ContextCopy[] = [];
  for (const segment of parts.segments) {
    if (segment.keyword !== 'COPY' && segment.keyword !== 'ADD') continue;
    if (segment.instruction instanceof Copy && segment.instruction.getFromFlag()) continue;
    const args = segment.instruction.getArguments().map((a) => a.getValue());
    const json = execFormOf(segment.instruction);
    const words = json ?? args;
    if (words.length < 2) continue;
    out.push({ segment, sources: words.slice(0, -1), dest: words[words.length - 1] });
  }
  return out;
}

/** Working directory in effect before an instruction runs. */
export function workdirBefore(parts: StageParts, instruction: Instruction): string {
  let dir = baseWorkdir(parts.stage.image);
  for (const segment of parts.segments) {
    if (segment.instruction === instruction) return dir;
    dir = segment.workdir;
  }
  return dir;
}

/** Names referenced as $NAME or ${NAME} in a text. */
export function variablesIn(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(m[1]);
  return names;
}

/** Keys an ENV/ARG instruction sets. */
export function propertyNames(instruction: Instruction): string[] {
  const withProps = instruction as unknown as { getProperties?: () => Array<{ getName(): string }> };
  return withProps.getProperties ? withProps.getProperties().map((p) => p.getName()) : [];
}
