// Parse once → stages, stage graph, resolved ARGs. Everything a rule needs to know about the file's
// structure is computed here, once per document version, so rules stay small and cheap.
import { DockerfileParser, Copy, Run, type Dockerfile, type From, type Instruction } from 'dockerfile-ast';
import type { Range, TextEdit } from 'vscode-languageserver-types';
import { installArgumentScanner } from './argumentScanner';
import { substituteVariables } from './variables';
import { lineStartsOf } from './textEdits';

export type StageRefKind = 'copy' | 'mount' | 'from';

/** A place where one stage names another: `COPY --from=x`, `RUN --mount=from=x`, `FROM x`. */
export interface StageRef {
  kind: StageRefKind;
  /** The value as written. */
  value: string;
  /** Range of the value. */
  range: Range;
  instruction: Instruction;
  /** The stage that contains the reference. */
  fromStage: number;
  /** The stage it resolves to, when it names an earlier stage (by name or index). */
  target?: number;
  /** Set when the value names the current stage or a later one. */
  forward?: number;
}

export interface Stage {
  index: number;
  /** Stage name as written after AS, or undefined. */
  name?: string;
  nameRange?: Range;
  from: From;
  /** Base image as written (variables unresolved). */
  imageRaw?: string;
  /** Base image with ARG defaults resolved; equal to imageRaw when nothing needed resolving. */
  image?: string;
  /** True when the image still holds a variable that has no default. */
  imageUnresolved: boolean;
  /** When FROM names an earlier stage, its index. */
  baseStage?: number;
  platform?: string;
  /** FROM through the last instruction of the stage. */
  range: Range;
  /** Instructions after FROM, in order. */
  instructions: Instruction[];
  /** References made from this stage. */
  refs: StageRef[];
  /** Stages that reference this one (by FROM, COPY --from or RUN --mount). */
  usedBy: number[];
  /** Whether the stage contributes to the target (final stage or configured --target). */
  reachesTarget: boolean;
}

export interface DockerfileModel {
  text: string;
  dockerfile: Dockerfile;
  escapeChar: string;
  stages: Stage[];
  refs: StageRef[];
  /** ARGs declared before the first FROM, with their defaults (undefined when none). */
  globalArgs: Map<string, string | undefined>;
  /** Index of the stage being built: the configured target when it exists, else the last stage. */
  targetIndex: number;
  /** Set when a target was configured but names no stage. */
  missingTarget?: string;
  /** Offsets of each line start, for position → offset math. */
  lineStarts: number[];
  stageByName(name: string): Stage | undefined;
  stageAt(line: number): Stage | undefined;
  /** Stages that reach the target, in file order. */
  stagesReachingTarget(): Stage[];
}

function isNumeric(value: string): boolean {
  return /^\d+$/.test(value);
}

export interface ModelOptions {
  target?: string;
}

installArgumentScanner();

export function buildModel(text: string, options: ModelOptions = {}): DockerfileModel {
  const dockerfile = DockerfileParser.parse(text);
  const instructions = dockerfile.getInstructions();
  const globalArgs = new Map<string, string | undefined>();
  const stages: Stage[] = [];
  let current: Stage | undefined;

  for (const instruction of instructions) {
    const keyword = instruction.getKeyword();
    if (keyword === 'FROM') {
      const from = instruction as From;
      const imageRaw = from.getImage() ?? undefined;
      const resolved = imageRaw === undefined ? undefined : substituteVariables(imageRaw, globalArgs);
      const nameArgs = from.getBuildStage();
      const platformFlag = from.getPlatformFlag();
      const platformRaw = platformFlag?.getValue() ?? undefined;
      current = {
        index: stages.length,
        name: nameArgs ?? undefined,
        nameRange: from.getBuildStageRange() ?? undefined,
        from,
        imageRaw,
        image: resolved?.text,
        imageUnresolved: resolved?.unresolved ?? false,
        platform: platformRaw === undefined ? undefined : substituteVariables(platformRaw, globalArgs).text,
        range: { start: from.getRange().start, end: from.getRange().end },
        instructions: [],
        refs: [],
        usedBy: [],
        reachesTarget: false,
      };
      stages.push(current);
    } else if (!current) {
      if (keyword === 'ARG') {
        for (const property of (instruction as import('dockerfile-ast').Arg).getProperties()) {
          const name = property.getName();
          if (name) globalArgs.set(name, property.getValue() ?? undefined);
        }
      }
    } else {
      current.instructions.push(instruction);
      current.range = { start: current.range.start, end: instruction.getRange().end };
    }
  }

  const byName = new Map<string, Stage>();
  for (const stage of stages) {
    if (stage.name && !byName.has(stage.name.toLowerCase())) byName.set(stage.name.toLowerCase(), stage);
  }

  /** Resolves a reference made from stage `fromStage` the way the builder does. */
  const resolveRef = (value: string, fromStage: number, kind: StageRefKind): Pick<StageRef, 'target' | 'forward'> => {
    // Only COPY --from takes a stage index. BuildKit reads `RUN --mount=from=0` as an image called
    // `0` (measured with Docker 20.10's BuildKit: it tries to pull docker.io/library/0), and stage
    // names start with a letter, so a number there resolves to no stage.
    if (isNumeric(value) && kind === 'copy') {
      const index = Number(value);
      if (index < fromStage) return { target: index };
      if (index < stages.length) return { forward: index };
      return {};
    }
    // Names are matched case-insensitively; only stages defined before the reference count.
    const lower = value.toLowerCase();
    for (const stage of stages) {
      if (stage.name?.toLowerCase() !== lower) continue;
      if (stage.index < fromStage) return { target: stage.index };
      return { forward: stage.index };
    }
    return {};
  };

  const refs: StageRef[] = [];
  for (const stage of stages) {
    if (stage.imageRaw !== undefined) {
      const imageRange = stage.from.getImageRange();
      const value = stage.image ?? stage.imageRaw;
      const resolved = resolveRef(value, stage.index, 'from');
      if (imageRange && (resolved.target !== undefined || resolved.forward !== undefined)) {
        const ref: StageRef = { kind: 'from', value, range: imageRange, instruction: stage.from, fromStage: stage.index, ...resolved };
        stage.refs.push(ref);
        refs.push(ref);
        if (resolved.target !== undefined) stage.baseStage = resolved.target;
      }
    }
    for (const instruction of stage.instructions) {
      for (const ref of collectInstructionRefs(instruction, stage.index)) {
        Object.assign(ref, resolveRef(ref.value, stage.index, ref.kind));
        stage.refs.push(ref);
        refs.push(ref);
      }
    }
  }
  for (const ref of refs) {
    if (ref.target !== undefined && !stages[ref.target].usedBy.includes(ref.fromStage)) {
      stages[ref.target].usedBy.push(ref.fromStage);
    }
  }

  let targetIndex = stages.length - 1;
  let missingTarget: string | undefined;
  if (options.target) {
    const stage = byName.get(options.target.toLowerCase());
    if (stage) targetIndex = stage.index;
    else missingTarget = options.target;
  }
  if (targetIndex >= 0) {
    const pending = [targetIndex];
    while (pending.length > 0) {
      const index = pending.pop()!;
      const stage = stages[index];
      if (stage.reachesTarget) continue;
      stage.reachesTarget = true;
      for (const ref of stage.refs) if (ref.target !== undefined) pending.push(ref.target);
    }
  }

  const lineStarts = lineStartsFrom(dockerfile, text);
  return {
    text,
    dockerfile,
    escapeChar: dockerfile.getEscapeCharacter(),
    stages,
    refs,
    globalArgs,
    targetIndex,
    missingTarget,
    lineStarts,
    stageByName: (name) => byName.get(name.toLowerCase()),
    stageAt: (line) => {
      let found: Stage | undefined;
      for (const stage of stages) if (stage.range.start.line <= line) found = stage;
      return found;
    },
    stagesReachingTarget: () => stages.filter((s) => s.reachesTarget),
  };
}

/**
 * The document's line starts. dockerfile-ast's TextDocument computed them while parsing (by the rule of
 * lineStartsOf: CR, LF and CRLF end a line); they are reused when its internals are as expected, and
 * computed again otherwise. test/unit/model.test.ts checks both give the same over the corpus.
 */
function lineStartsFrom(dockerfile: Dockerfile, text: string): number[] {
  const document = (dockerfile as unknown as { document?: { getText?: () => string; getLineOffsets?: () => unknown } }).document;
  if (typeof document?.getLineOffsets === 'function' && typeof document.getText === 'function' && document.getText() === text) {
    const offsets = document.getLineOffsets();
    if (Array.isArray(offsets) && offsets[0] === 0) return offsets as number[];
  }
  return lineStartsOf(text);
}

function collectInstructionRefs(instruction: Instruction, fromStage: number): StageRef[] {
  const refs: StageRef[] = [];
  const keyword = instruction.getKeyword();
  if (keyword === 'COPY') {
    // Not getFromFlag(): dockerfile-ast returns null for it whenever COPY has any other flag (--chown, --link).
    const flag = (instruction as Copy).getFlags().find((f) => f.getName().toLowerCase() === 'from');
    const value = flag?.getValue();
    const range = flag?.getValueRange();
    if (flag && value && range) refs.push({ kind: 'copy', value, range, instruction, fromStage });
  } else if (keyword === 'RUN') {
    for (const flag of (instruction as Run).getFlags()) {
      if (flag.getName() !== 'mount') continue;
      const option = flag.getOption('from');
      const value = option?.getValue();
      const range = option?.getValueRange();
      if (option && value && range) refs.push({ kind: 'mount', value, range, instruction, fromStage });
    }
  }
  return refs;
}

/** Text of a range of the model's document. */
export function textOf(model: DockerfileModel, range: Range): string {
  return model.text.slice(offsetAt(model, range.start), offsetAt(model, range.end));
}

export function offsetAt(model: DockerfileModel, position: { line: number; character: number }): number {
  const start = model.lineStarts[Math.min(position.line, model.lineStarts.length - 1)] ?? 0;
  return Math.min(start + position.character, model.text.length);
}

/** The text of a line of the model's document, without its line break ('' past the end). */
export function lineTextOf(model: DockerfileModel, line: number): string {
  if (line < 0 || line >= model.lineStarts.length) return '';
  const start = model.lineStarts[line];
  const end = line + 1 < model.lineStarts.length ? model.lineStarts[line + 1] : model.text.length;
  let stop = end;
  while (stop > start && (model.text.charCodeAt(stop - 1) === 10 || model.text.charCodeAt(stop - 1) === 13)) stop--;
  return model.text.slice(start, stop);
}

/**
 * Whether text appended to the document would join its last instruction: the last line that is
 * neither blank nor a comment ends with the escape character (comment lines do not end a
 * continuation: `FROM alpine \` then `# note` still continues), or the last instruction opens a
 * here-document that is never closed (`COPY <<EOF` with no EOF line). Both found by
 * test/unit/robustness.test.ts.
 */
export function endsInsideInstruction(model: DockerfileModel): boolean {
  const instructions = model.dockerfile.getInstructions();
  const last = instructions[instructions.length - 1];
  const heredocs = last ? heredocsOf(last) : [];
  // Unreadable here-documents: assume the instruction is still open, so no edit is appended into it.
  if (heredocs === undefined || heredocs.some((heredoc) => heredoc.getDelimiterRange() === null)) return true;
  for (let line = model.lineStarts.length - 1; line >= 0; line--) {
    const text = lineTextOf(model, line);
    if (/^\s*#/.test(text) || text.trim() === '') continue;
    return text.trimEnd().endsWith(model.escapeChar);
  }
  return false;
}

interface HeredocView {
  getDelimiterRange(): Range | null;
  getContentRange(): Range | null;
}

/**
 * The instruction's here-documents, or undefined when dockerfile-ast cannot read them: its getHeredocs
 * throws on some malformed instructions (a FROM ending in an escaped carriage return, e.g. "F \\\r#s").
 */
export function heredocsOf(instruction: object): readonly HeredocView[] | undefined {
  const withHeredocs = instruction as { getHeredocs?(): HeredocView[] };
  try {
    return withHeredocs.getHeredocs?.() ?? [];
  } catch {
    return undefined;
  }
}

/**
 * An edit that inserts whole lines before `line`, or after the document's last line when `line` is
 * past it (adding the missing line break first), in the file's own line endings. Undefined when the
 * lines would land after the last instruction and join it (see endsInsideInstruction).
 */
export function insertLinesEdit(model: DockerfileModel, line: number, lines: readonly string[]): TextEdit | undefined {
  const instructions = model.dockerfile.getInstructions();
  const afterLastInstruction = instructions.length === 0 || instructions[instructions.length - 1].getRange().end.line < line;
  if (afterLastInstruction && endsInsideInstruction(model)) return undefined;
  const eol = model.text.includes('\r\n') ? '\r\n' : '\n';
  const lastLine = model.lineStarts.length - 1;
  if (line > lastLine) {
    const end = { line: lastLine, character: model.text.length - model.lineStarts[lastLine] };
    return { range: { start: end, end }, newText: (model.text.endsWith('\n') ? '' : eol) + lines.join(eol) + eol };
  }
  const at = { line, character: 0 };
  return { range: { start: at, end: at }, newText: lines.join(eol) + eol };
}
