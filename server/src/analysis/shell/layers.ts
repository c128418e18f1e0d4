// Layer-level facts the package-manager rules share: the RUNs of a stage with their commands, the
// working directory at an instruction, which paths a command deletes, and small edit builders that keep
// the author's text (insert after a word, delete an instruction's lines).
import type { Instruction, Run } from 'dockerfile-ast';
import type { Range, TextEdit } from 'vscode-languageserver-types';
import { offsetAt, type DockerfileModel, type Stage } from '../model';
import { baseChain, buildOrder, copyArgs, resolvePath, type CopyArgs } from '../stageFacts';
import { memo } from '../memo';
import { hasFlag, isCommand, positionalArgs, runMounts, runShellOf, subcommandOf, type ShellCommand, type ShellWord } from '../shell';

export interface StageRun {
  stage: Stage;
  run: Run;
  commands: ShellCommand[];
  /** An `ONBUILD RUN` trigger: it runs in each image built FROM this one, not in this one. */
  onbuild?: boolean;
}

export function isRun(instruction: Instruction): instruction is Run {
  return instruction.getKeyword() === 'RUN';
}

// A model never changes once built, and a dozen rules ask for the same lists: computed once, shared
// read-only.
const runsOfStage = memo<Stage, readonly StageRun[]>('multistage.runsOfStage');
const finalImageRuns = memo<DockerfileModel, readonly StageRun[]>('multistage.finalImageRuns');

/** The RUNs of a stage, in order, with their parsed commands. */
export function stageRuns(model: DockerfileModel, stage: Stage): readonly StageRun[] {
  let runs = runsOfStage.get(stage);
  if (!runs) {
    runs = stage.instructions.filter(isRun).map((run) => ({ stage, run, commands: runShellOf(model, run).commands }));
    runsOfStage.set(stage, runs);
  }
  return runs;
}

/**
 * RUNs whose layers end up in the image being built: the target stage and the stages it is built FROM.
 * A builder stage that is only copied from (COPY --from) ships none of its layers, so size rules skip it.
 */
export function runsInFinalImage(model: DockerfileModel): readonly StageRun[] {
  let runs = finalImageRuns.get(model);
  if (!runs) {
    const target = model.targetIndex >= 0 ? model.stages[model.targetIndex] : undefined;
    runs = target ? buildOrder(model, target).flatMap((stage) => stageRuns(model, stage)) : [];
    finalImageRuns.set(model, runs);
  }
  return runs;
}

const onbuildRunsOf = memo<DockerfileModel, readonly StageRun[]>('multistage.onbuildRuns');

/**
 * `ONBUILD RUN` triggers of the stage being built. They add a layer to every image built FROM this
 * one, so a cache they leave bloats each of those: the cache and size rules check them with the RUNs of
 * the image (sizeRuleRuns). Triggers of other stages are not followed.
 */
export function onbuildRuns(model: DockerfileModel): readonly StageRun[] {
  let runs = onbuildRunsOf.get(model);
  if (!runs) {
    const target = model.targetIndex >= 0 ? model.stages[model.targetIndex] : undefined;
    const found: StageRun[] = [];
    for (const instruction of target?.instructions ?? []) {
      if (instruction.getKeyword() !== 'ONBUILD') continue;
      const trigger = (instruction as unknown as { getTriggerInstruction?(): Instruction | null }).getTriggerInstruction?.();
      if (trigger && isRun(trigger)) found.push({ stage: target!, run: trigger, commands: runShellOf(model, trigger).commands, onbuild: true });
    }
    onbuildRunsOf.set(model, (runs = found));
  }
  return runs;
}

/** The RUNs whose layers the cache and size rules judge: the image's own, then its ONBUILD triggers. */
export function sizeRuleRuns(model: DockerfileModel): readonly StageRun[] {
  const onbuild = onbuildRuns(model);
  return onbuild.length === 0 ? runsInFinalImage(model) : [...runsInFinalImage(model), ...onbuild];
}

/** How a finding on an ONBUILD trigger starts its message. */
export function onbuildPrefix(run: StageRun): string {
  return run.onbuild ? 'ONBUILD: in every image built FROM this one, ' : '';
}

/** RUNs of every stage that reaches the target (the only stages BuildKit builds). */
export function runsReachingTarget(model: DockerfileModel): StageRun[] {
  return model.stagesReachingTarget().flatMap((stage) => stageRuns(model, stage));
}

/** RUNs that ran before `run` into the same filesystem: earlier in the stage, then in its FROM-stages. */
export function earlierRuns(model: DockerfileModel, stage: Stage, run: Run): StageRun[] {
  const out: StageRun[] = [];
  for (const s of buildOrder(model, stage)) {
    for (const r of stageRuns(model, s)) {
      if (r.run === run) return out;
      out.push(r);
    }
  }
  return out;
}

/** A path written in a shell word made absolute against `dir`; undefined when it holds a variable or a command substitution. */
export function resolveShellPath(dir: string, path: string): string | undefined {
  return /[$`]/.test(path) ? undefined : resolvePath(dir, path);
}

const deleted = memo<ShellCommand, ShellWord[]>('multistage.deleted');

/** Paths a command deletes: `rm [-rf] a b`, `find DIR … -delete`, `rm -rf $(…)` is not resolved. */
export function deletedPaths(command: ShellCommand): ShellWord[] {
  let paths = deleted.get(command);
  if (!paths) {
    paths = computeDeletedPaths(command);
    deleted.set(command, paths);
  }
  return paths;
}

function computeDeletedPaths(command: ShellCommand): ShellWord[] {
  if (isCommand(command, 'rm')) return positionalArgs(command);
  const execRm = command.argv.some((a, i) => (a === '-exec' || a === '-execdir') && /(^|\/)rm$/.test(command.argv[i + 1] ?? ''));
  if (isCommand(command, 'find') && (command.argv.includes('-delete') || execRm)) {
    const start = positionalArgs(command)[0];
    return start && !start.text.startsWith('-') ? [start] : [];
  }
  return [];
}

/** True when `path` (as written, maybe with `/*` or `~`) lies in or is `dir`. */
export function pathWithin(path: string, dirs: readonly string[]): boolean {
  const clean = path.replace(/^(\$HOME|\$\{HOME\}|~)(?=\/)/, '/root').replace(/\/\*+$/, '').replace(/\/+$/, '');
  return dirs.some((d) => {
    const dir = d.replace(/^(\$HOME|~)(?=\/)/, '/root').replace(/\/+$/, '');
    return clean === dir || clean.startsWith(dir + '/') || dir.startsWith(clean + '/');
  });
}

/** Instructions that change only the image's configuration, never what a RUN sees or the files. */
const CONFIG_ONLY = new Set(['LABEL', 'EXPOSE', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'STOPSIGNAL', 'MAINTAINER']);

/**
 * Whether `later` follows `earlier` in the same stage with nothing in between that a RUN could notice
 * (only LABEL, EXPOSE, CMD… may sit there): moving a command from one RUN to the other then runs it in
 * the same user, directory, environment, shell and files. The condition for merge/move fixes to be safe.
 */
export function adjacentRuns(stage: Stage, earlier: Instruction, later: Instruction, envDoesNotMatter?: (name: string) => boolean): boolean {
  const from = stage.instructions.indexOf(earlier);
  const to = stage.instructions.indexOf(later);
  if (from < 0 || to <= from) return false;
  return stage.instructions.slice(from + 1, to).every((i) => CONFIG_ONLY.has(i.getKeyword())
    || (envDoesNotMatter !== undefined && (i.getKeyword() === 'ENV' || i.getKeyword() === 'ARG')
      && (i as unknown as { getProperties(): { getName(): string }[] }).getProperties().every((p) => envDoesNotMatter(p.getName()))));
}

/** Inserts ` text` right after a word. */
export function insertAfter(word: { range: Range }, text: string): TextEdit {
  return { range: { start: word.range.end, end: word.range.end }, newText: ` ${text}` };
}

/** Removes an instruction with its whole lines (and the line break after it). */
export function deleteInstruction(model: DockerfileModel, instruction: Instruction): TextEdit {
  const range = instruction.getRange();
  const startLine = range.start.line;
  const nextLine = range.end.line + 1;
  const end = nextLine < model.lineStarts.length
    ? { line: nextLine, character: 0 }
    : { line: range.end.line, character: range.end.character };
  return { range: { start: { line: startLine, character: 0 }, end }, newText: '' };
}

/** `yarn install`, or `yarn` alone (which installs), but not `yarn --version` / `yarn --help`. */
export function isYarnInstall(c: ShellCommand): boolean {
  if (!isCommand(c, 'yarn')) return false;
  const sub = subcommandOf(c)?.text;
  if (sub === 'install') return true;
  return sub === undefined && !hasFlag(c, '--version', '-v', '--help', '-h');
}

const users = memo<Stage, Map<Instruction, string>>('multistage.users');

/** The USER in effect at `instruction` (USERs of the FROM chain applied in order), `root` by default. */
export function userAt(model: DockerfileModel, stage: Stage, instruction: Instruction): string {
  let byInstruction = users.get(stage);
  if (!byInstruction) {
    byInstruction = new Map();
    let user = 'root';
    for (const s of buildOrder(model, stage)) {
      for (const current of s.instructions) {
        byInstruction.set(current, user);
        if (current.getKeyword() === 'USER') user = current.getArguments().map((a) => a.getValue()).join(' ') || 'root';
      }
    }
    users.set(stage, byInstruction);
  }
  return byInstruction.get(instruction) ?? 'root';
}

const copyArgsCache = memo<Instruction, CopyArgs | undefined>('multistage.copyArgsCache');

/** copyArgs(), cached: dockerfile-ast re-tokenizes an instruction on every getArguments() call. */
export function copyArgsOf(instruction: Instruction): CopyArgs | undefined {
  if (copyArgsCache.has(instruction)) return copyArgsCache.get(instruction);
  const args = copyArgs(instruction);
  copyArgsCache.set(instruction, args);
  return args;
}

const runTextMatches = memo<Stage, Map<RegExp, Map<Run, boolean>>>('multistage.runTextMatches');

/**
 * Whether `run` or any RUN before it in the stage's FROM chain contains text matching `pattern` (an
 * apt.conf or pip config written by an earlier RUN). One pass per stage and pattern, so asking for
 * every RUN stays linear.
 */
export function runTextMatchesUpTo(model: DockerfileModel, stage: Stage, run: Run, pattern: RegExp): boolean {
  let byPattern = runTextMatches.get(stage);
  if (!byPattern) runTextMatches.set(stage, (byPattern = new Map()));
  let byRun = byPattern.get(pattern);
  if (!byRun) {
    byRun = new Map();
    let seen = false;
    for (const s of buildOrder(model, stage)) {
      for (const r of s.instructions.filter(isRun)) {
        const range = r.getRange();
        seen ||= pattern.test(model.text.slice(offsetAt(model, range.start), offsetAt(model, range.end)));
        byRun.set(r, seen);
      }
    }
    byPattern.set(pattern, byRun);
  }
  return byRun.get(run) ?? false;
}

/** Mount types whose writes never reach the layer: a cache, a tmpfs, or a bind mount (rw writes are discarded). */
const NON_LAYER_MOUNTS = new Set(['cache', 'tmpfs', 'bind']);

/**
 * Whether a RUN --mount sits on one of `dirs` or on a folder above it, so whatever the command writes
 * there stays out of the layer. A mount below the cache folder (`/root/.cache/pip/http` for pip's
 * `/root/.cache/pip`) covers only part of it, and does not count.
 */
export function mountKeepsOut(run: Run, dirs: readonly string[]): boolean {
  return runMounts(run).some((m) => NON_LAYER_MOUNTS.has(m.type) && m.target !== undefined && mountCovers(m.target, dirs));
}

function mountCovers(target: string, dirs: readonly string[]): boolean {
  const home = (p: string) => p.replace(/^(\$HOME|\$\{HOME\}|~)(?=\/|$)/, '/root');
  const mount = home(target).replace(/\/+$/, '') || '/';
  if (!mount.startsWith('/')) return false;
  return dirs.some((d) => {
    const dir = home(d).replace(/\/+$/, '');
    return dir === mount || dir.startsWith(mount === '/' ? '/' : mount + '/');
  });
}
