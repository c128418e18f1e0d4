// "Reorder for layer cache": in every stage where a broad COPY of the sources comes before a dependency
// install, copy the manifests and lockfiles that exist in the context first, install, then copy the
// rest. Installs that also need the sources (go build, mvn package) get a download-only step instead.
import type { TextEdit } from 'vscode-languageserver-types';
import { lineTextOf, type DockerfileModel, type Stage } from '../model';
import type { ContextFiles, RuleContext } from '../types';
import { DockerignoreMatcher, findDockerignore } from '../dockerignore';
import { afterSourcesStep, INSTALL_KINDS, type InstallKind } from './packageManifests';
import { dependencyFolders, installNeeds, projectInstallReason } from './installNeeds';
import { contextFreeRun, copyDestinationIsSafe } from './contextFree';
import { commandOf, contextCopies, execFormOf, propertyNames, stageParts, variablesIn, workdirBefore, type ContextCopy, type Segment, type StageParts } from './stageParts';
import { resolvePath } from '../stageFacts';

export interface ReorderOptions {
  /** Add `RUN --mount=type=cache` for the package manager's cache (BuildKit). */
  cacheMounts: boolean;
}

/** Instructions that may move above the sources because they cannot read them. */
const SAFE_KEYWORDS = new Set(['ENV', 'ARG', 'LABEL', 'EXPOSE', 'WORKDIR', 'USER', 'SHELL', 'STOPSIGNAL']);
const SAFE_COMMAND = /^(?:cd\s+\S+$|apt-get|apt|apk|yum|dnf|microdnf|zypper|mkdir|useradd|adduser|groupadd|addgroup|corepack|export|echo|true|set|ln|rm\s+-rf\s+\/var\/(?:lib\/apt|cache)|npm\s+(?:config|install\s+(?:-g|--global))|pip3?\s+install\s+(?:--upgrade|-U)\s+(?:pip|setuptools|wheel|poetry|uv|pipenv)\b|pip3?\s+install\s+(?:--no-cache-dir\s+)?(?:poetry|uv|pipenv)(?:[=<>]\S*)?$)/;

interface PlannedInstall {
  segment: Segment;
  kind: InstallKind;
  /** `&&` parts of the RUN; the install is at `at`. */
  parts: string[];
  at: number;
  manifests: string[];
  /** For a split install: what runs once the sources are copied. */
  after?: string;
}

/** A RUN that reads nothing from the context moves above the copy exactly as written. */
const CONTEXT_FREE: InstallKind = { id: 'context-free', mode: 'move', pattern: /$^/, manifests: () => [], cacheTargets: [] };

interface StagePlan {
  copy: ContextCopy;
  /** Context folder the copy's source is ('' for the root). */
  sourceDir: string;
  /** Absolute directory the copy lands in. */
  dest: string;
  installs: PlannedInstall[];
}

export interface ReorderResult {
  edits: TextEdit[];
  /**
   * Set when an install was left for now (another copy of the sources, or a step in the way): after
   * these edits another round may move it, so the caller should run again on the result.
   */
  incomplete: boolean;
  /** Why installs that follow a copy of the sources were left there (they need the sources). */
  withheld: string[];
}

export function reorderEdits(model: DockerfileModel, ctx: RuleContext, options: ReorderOptions): ReorderResult {
  const context = ctx.context;
  if (!context) return { edits: [], incomplete: false, withheld: [] };
  const edits: TextEdit[] = [];
  const withheld: string[] = [];
  let incomplete = false;
  for (const stage of model.stages) {
    const parts = stageParts(model, stage);
    const { plan, skipped, reasons } = planStage(model, parts, context);
    withheld.push(...reasons);
    incomplete ||= skipped && plan !== undefined;
    if (!plan) continue;
    edits.push(renderStage(model, stage, parts, plan, options));
  }
  return { edits, incomplete, withheld: [...new Set(withheld)] };
}

/** The base image a stage builds on, through earlier stages it starts FROM. */
function baseImageOf(model: DockerfileModel, stage: Stage): string | undefined {
  let current: Stage | undefined = stage;
  for (let hops = 0; current && current.baseStage !== undefined && hops < model.stages.length; hops++) current = model.stages[current.baseStage];
  return current?.image;
}

function splitCommand(segment: Segment, escapeChar: string): string[] | undefined {
  // Exec form and heredocs are not `&&` chains we can take apart safely.
  if (execFormOf(segment.instruction) || /<<-?\s*['"]?\w+/.test(segment.body)) return undefined;
  return commandOf(segment.instruction, escapeChar).split(/\s*&&\s*/).map((p) => p.trim()).filter(Boolean);
}

function sourceFolder(source: string, context: ContextFiles): string | undefined {
  const s = source.replace(/^\.\//, '').replace(/\/+$/, '');
  if (s === '' || s === '.' || s === '*') return '';
  if (s.includes('*') || s.includes('$')) return undefined;
  return context.isDirectory(s) ? s : undefined;
}

function planStage(model: DockerfileModel, parts: StageParts, context: ContextFiles): { plan?: StagePlan; skipped: boolean; reasons: string[] } {
  const copies = contextCopies(parts);
  const segments = parts.segments;
  const dockerignore = findDockerignore(context);
  const ignored = dockerignore ? new DockerignoreMatcher(dockerignore.content) : undefined;
  const image = baseImageOf(model, parts.stage);
  // Folders of local packages, patches and path dependencies are copied for the install, not sources.
  const dependencyDirs = dependencyFolders(context);
  const reasons: string[] = [];
  let plan: StagePlan | undefined;
  let skipped = false;
  for (const segment of segments) {
    if (segment.keyword !== 'RUN') continue;
    const commandParts = splitCommand(segment, model.escapeChar);
    if (!commandParts) continue;
    if (contextFreeRun(commandParts)) {
      const result = planContextFree(model, parts, copies.filter((c) => !c.sources.every((s) => dependencyDirs.has(sourceFolder(s, context) ?? ''))), segment, commandParts, plan, context);
      if (result === 'skipped') skipped = true;
      else if (typeof result === 'string') reasons.push(result);
      else if (result) plan ??= result;
      continue;
    }
    let workdir = segment.workdir;
    for (let at = 0; at < commandParts.length; at++) {
      const cd = /^cd\s+(\S+)$/.exec(commandParts[at]);
      if (cd) {
        workdir = resolvePath(workdir, cd[1]);
        continue;
      }
      const kind = INSTALL_KINDS.find((k) => k.pattern.test(commandParts[at]));
      if (!kind) {
        const why = projectInstallReason(commandParts[at]);
        if (why && findBroadCopy(copies, segment, parts, workdir, context)) reasons.push(why);
        continue;
      }
      if (plan?.installs.some((i) => i.kind.id === kind.id)) continue;
      let found = plan ? matchCopy(plan.copy, parts, workdir, context) : findBroadCopy(copies, segment, parts, workdir, context);
      // A manifest the .dockerignore leaves out is not in the build context: copying it would fail.
      let manifests = found ? kind.manifests(context, found.root, commandParts[at]).filter((f) => !ignored?.ignores(f)) : [];
      if (manifests.length === 0 && !plan) {
        // The manifests are already copied on their own, but a source folder comes in before the install.
        found = findSourceFolderCopy(copies, segment, parts, workdir, context, kind.manifests(context, '', commandParts[at]), dependencyDirs);
        manifests = [];
      } else if (manifests.length === 0) {
        found = undefined;
      }
      if (!found) {
        skipped ||= plan !== undefined;
        // `pip install .` of a project without a pyproject.toml: say why it stays.
        const broad = kind.id === 'pip-project' && !plan ? findBroadCopy(copies, segment, parts, workdir, context) : undefined;
        const why = broad && installNeeds(kind.id, context, broad.root, commandParts[at], broad.sourceDir, image).withheld;
        if (why) reasons.push(why);
        continue;
      }
      const copyIndex = segments.indexOf(found.copy.segment);
      if (segments.indexOf(segment) < copyIndex) continue;
      // Already done: the same tool ran before the sources arrived.
      const before = segments.slice(0, copyIndex).filter((s) => s.keyword === 'RUN');
      const prefetch = kind.prefetch?.(commandParts[at]);
      if (before.some((s) => (splitCommand(s, model.escapeChar) ?? []).some((p) => kind.pattern.test(p)) || (prefetch && commandOf(s.instruction, model.escapeChar).includes(prefetch)))) continue;
      const needs = installNeeds(kind.id, context, found.root, commandParts[at], found.sourceDir, image);
      if (needs.withheld) {
        reasons.push(needs.withheld);
        continue;
      }
      manifests = withExtra(manifests, needs.extra.filter((f) => !ignored?.ignores(f.replace(/\/$/, ''))));
      const isMove = kind.mode === 'move' || (kind.prefetch !== undefined && commandParts[at] === kind.prefetch(commandParts[at]));
      if (isMove && !canMove(segments.slice(copyIndex + 1, segments.indexOf(segment)), commandParts.slice(0, at), model.escapeChar, plan, found.copy)) {
        skipped = true;
        continue;
      }
      plan ??= { copy: found.copy, sourceDir: found.sourceDir, dest: found.dest, installs: [] };
      const used = needs.split ? { ...kind, moveFlags: needs.split.flags } : kind;
      plan.installs.push({ segment, kind: isMove ? { ...used, mode: 'move' } : used, parts: commandParts, at, manifests, after: needs.split?.after });
      break;
    }
  }
  return { plan, skipped, reasons };
}

/** Manifests plus the extra files and folders, without files a copied folder already brings. */
function withExtra(manifests: string[], extra: string[]): string[] {
  const folders = extra.filter((f) => f.endsWith('/'));
  const inFolder = (f: string) => folders.some((d) => f !== d && f.startsWith(d));
  return [...new Set([...manifests, ...extra])].filter((f) => !inFolder(f));
}

/**
 * A RUN that reads nothing from the context after a copy of the sources: it moves above that copy as it
 * is. Returns the plan to extend, 'skipped' when another round may move it, or why it cannot move.
 */
function planContextFree(model: DockerfileModel, parts: StageParts, copies: ContextCopy[], segment: Segment, commandParts: string[], plan: StagePlan | undefined, context: ContextFiles): StagePlan | 'skipped' | string | undefined {
  const segments = parts.segments;
  const index = segments.indexOf(segment);
  const copy = [...copies].reverse().find((c) => segments.indexOf(c.segment) < index && c.sources.some((s) => sourceFolder(s, context) !== undefined));
  if (!copy) return undefined;
  if (plan && plan.copy !== copy) return 'skipped';
  const dest = resolvePath(workdirBefore(parts, copy.segment.instruction), copy.dest);
  if (!copyDestinationIsSafe(dest)) return `\`${commandParts.join(' && ')}\` could move above the copy of the sources, but they are copied to ${dest}, where the install may write too`;
  if (!canMove(segments.slice(segments.indexOf(copy.segment) + 1, index), [], model.escapeChar, plan, copy)) return 'skipped';
  const target = plan ?? { copy, sourceDir: sourceFolder(copy.sources.find((s) => sourceFolder(s, context) !== undefined)!, context)!, dest, installs: [] };
  target.installs.push({ segment, kind: CONTEXT_FREE, parts: commandParts, at: commandParts.length - 1, manifests: [] });
  return target;
}

function canMove(between: Segment[], partsBefore: string[], escapeChar: string, plan: StagePlan | undefined, copy: ContextCopy): boolean {
  const moved = new Set(plan?.installs.map((i) => i.segment));
  // Other installs are not safe to move along: their manifests are not copied ahead unless planned.
  const safeRun = (parts: string[]) => parts.every((p) => SAFE_COMMAND.test(p) || contextFreeRun([p]) !== undefined);
  if (!safeRun(partsBefore)) return false;
  // An ENV or ARG that moves above the copy would change a variable the copy itself reads.
  const read = variablesIn(copy.segment.body);
  if (between.some((s) => (s.keyword === 'ENV' || s.keyword === 'ARG') && propertyNames(s.instruction).some((n) => read.has(n)))) return false;
  return between.every((s) => SAFE_KEYWORDS.has(s.keyword) || moved.has(s) || (s.keyword === 'RUN' && safeRun(splitCommand(s, escapeChar) ?? ['?'])));
}

interface CopyMatch {
  copy: ContextCopy;
  sourceDir: string;
  dest: string;
  /** Context folder that holds the manifests of the install. */
  root: string;
}

function matchCopy(copy: ContextCopy, parts: StageParts, installDir: string, context: ContextFiles): CopyMatch | undefined {
  const dest = resolvePath(workdirBefore(parts, copy.segment.instruction), copy.dest);
  for (const source of copy.sources) {
    const sourceDir = sourceFolder(source, context);
    if (sourceDir === undefined) continue;
    if (installDir !== dest && !installDir.startsWith(dest === '/' ? '/' : dest + '/')) continue;
    const below = installDir.slice(dest.length).replace(/^\/+/, '');
    const root = [sourceDir, below].filter(Boolean).join('/');
    return { copy, sourceDir, dest, root };
  }
  return undefined;
}

/** The last COPY of a whole folder before the install that put the install's folder in place. */
function findBroadCopy(copies: ContextCopy[], install: Segment, parts: StageParts, installDir: string, context: ContextFiles): CopyMatch | undefined {
  const line = install.instruction.getRange().start.line;
  for (const copy of [...copies].reverse()) {
    if (copy.segment.instruction.getRange().start.line > line) continue;
    const match = matchCopy(copy, parts, installDir, context);
    if (match) return match;
  }
  return undefined;
}

/**
 * `COPY package*.json ./` … `COPY src ./src` … `RUN npm ci`: the manifests come first already, but a
 * folder of sources arrives before the install. That folder copy is the one to move the install above.
 */
function findSourceFolderCopy(copies: ContextCopy[], install: Segment, parts: StageParts, installDir: string, context: ContextFiles, manifests: string[], dependencyDirs: Set<string>): CopyMatch | undefined {
  const line = install.instruction.getRange().start.line;
  const before = copies.filter((c) => c.segment.instruction.getRange().start.line < line);
  const destOf = (c: ContextCopy) => resolvePath(workdirBefore(parts, c.segment.instruction), c.dest);
  const bringsManifests = (c: ContextCopy) => destOf(c) === installDir
    && c.sources.every((s) => !s.includes('/') && !context.isDirectory(s))
    && manifests.some((m) => !m.includes('/') && c.sources.some((s) => globMatches(s, m)));
  const manifestCopy = before.findIndex(bringsManifests);
  if (manifestCopy < 0) return undefined;
  const isSources = (s: string) => !!sourceFolder(s, context) && !dependencyDirs.has(sourceFolder(s, context)!);
  const folder = before.slice(manifestCopy + 1).find((c) => c.sources.every(isSources) && (destOf(c) === installDir || destOf(c).startsWith(`${installDir}/`)));
  return folder ? { copy: folder, sourceDir: '', dest: installDir, root: '' } : undefined;
}

/** COPY's wildcard matching for one path segment (`package*.json`, `requirements?.txt`). */
function globMatches(pattern: string, name: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/^\.\//, '').replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
  return regex.test(name);
}

function withMounts(body: string, kind: InstallKind, options: ReorderOptions): string {
  if (!options.cacheMounts || kind.cacheTargets.length === 0) return body;
  const mounts = kind.cacheTargets.filter((t) => !body.includes(`target=${t}`)).map((t) => `--mount=type=cache,target=${t}`).join(' ');
  return mounts ? body.replace(/^(\s*RUN\s+)/i, `$1${mounts} `) : body;
}

function copyFlags(copy: ContextCopy): string {
  const flags = (copy.segment.instruction as unknown as { getFlags?: () => Array<{ toString(): string; getName(): string }> }).getFlags?.() ?? [];
  return flags.filter((f) => ['chown', 'chmod', 'link'].includes(f.getName())).map((f) => `${f.toString()} `).join('');
}

function manifestCopies(plan: StagePlan, insertWorkdir: string, flags: string): string[] {
  const files = [...new Set(plan.installs.flatMap((i) => i.manifests))];
  const byDir = new Map<string, string[]>();
  const lines: string[] = [];
  const destFor = (rel: string) => {
    const abs = resolvePath(plan.dest, rel || '.');
    if (abs === insertWorkdir) return './';
    if (abs.startsWith(insertWorkdir === '/' ? '/' : insertWorkdir + '/')) return `./${abs.slice(insertWorkdir.length).replace(/^\/+/, '')}/`;
    return abs === '/' ? '/' : `${abs}/`;
  };
  for (const file of files) {
    const rel = plan.sourceDir ? file.slice(plan.sourceDir.length + 1) : file;
    if (file.endsWith('/')) {
      lines.push(`COPY ${flags}${file.replace(/\/$/, '')} ${destFor(rel.replace(/\/$/, ''))}`);
      continue;
    }
    const dir = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
    byDir.set(dir, [...(byDir.get(dir) ?? []), file]);
  }
  const grouped = [...byDir.entries()].sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)));
  return [...grouped.map(([dir, list]) => `COPY ${flags}${list.join(' ')} ${destFor(dir)}`), ...lines];
}

function renderStage(model: DockerfileModel, stage: Stage, parts: StageParts, plan: StagePlan, options: ReorderOptions): TextEdit {
  const segments = parts.segments;
  const copyIndex = segments.indexOf(plan.copy.segment);
  const moves = plan.installs.filter((i) => i.kind.mode === 'move');
  const lastMoved = Math.max(copyIndex, ...moves.map((i) => segments.indexOf(i.segment)));
  // Everything between the copy and the last moved install is safe (checked) and moves up with it.
  // Context-free installs move in their place among them, as written.
  const movedBetween = segments.slice(copyIndex + 1, lastMoved + 1).filter((s) => !plan.installs.some((i) => i.segment === s && i.kind !== CONTEXT_FREE));
  const index = (s: Segment) => segments.indexOf(s);
  const dependencyInstalls = plan.installs.filter((i) => i.kind !== CONTEXT_FREE);
  const firstInstall = Math.min(Infinity, ...dependencyInstalls.map((i) => index(i.segment)));
  // What came before the first dependency install goes before its manifests; the rest keeps its place
  // among the installs (an ENV or apt install after `npm ci` must not start applying to it).
  const lead = movedBetween.filter((s) => index(s) < firstInstall);
  const followers = new Set(movedBetween.filter((s) => index(s) > firstInstall));
  const workdirAfter = (dir: string, s: Segment) => (s.keyword === 'WORKDIR' ? s.workdir : dir);
  const insertWorkdir = lead.reduce(workdirAfter, workdirBefore(parts, plan.copy.segment.instruction));

  const out: string[] = [];
  for (const s of lead) out.push(...s.leading, s.body);
  out.push(...manifestCopies(plan, insertWorkdir, copyFlags(plan.copy)));
  const remainders = new Map<Segment, string | undefined>();
  let workdir = insertWorkdir;
  const ordered = [...dependencyInstalls.map((i) => i.segment), ...followers].sort((a, b) => index(a) - index(b));
  for (const segment of ordered) {
    if (followers.has(segment)) {
      out.push(...segment.leading, segment.body);
      workdir = workdirAfter(workdir, segment);
      continue;
    }
    const install = dependencyInstalls.find((i) => i.segment === segment)!;
    const head = install.parts.slice(0, install.at + 1);
    let tail = install.parts.slice(install.at + 1);
    if (install.kind.mode === 'prefetch') {
      const cdPrefix = workdir === plan.dest ? '' : `cd ${plan.dest} && `;
      out.push(withMounts(`RUN ${cdPrefix}${install.kind.prefetch!(install.parts[install.at])}`, install.kind, options));
      continue;
    }
    const flags = install.kind.moveFlags && !head[install.at].includes(install.kind.moveFlags.split(' ')[0]) ? ` ${install.kind.moveFlags}` : '';
    const wholeUnchanged = tail.length === 0 && !flags;
    const comments = install.segment.leading.filter((l) => l.trim() !== '');
    out.push(...comments, withMounts(wholeUnchanged ? install.segment.body : `RUN ${head.slice(0, -1).concat(head[install.at] + flags).join(' && ')}`, install.kind, options));
    const again = install.after ?? afterSourcesStep(install.kind, install.parts[install.at]);
    if (again) tail = [again, ...tail];
    // The rest ran in the folder the chain changed into: keep it there.
    if (tail.length > 0) tail = [...head.filter((p) => /^cd\s/.test(p)), ...tail];
    remainders.set(install.segment, tail.length > 0 ? `RUN ${tail.join(' && ')}` : undefined);
  }

  const copy = plan.copy;
  const copyWorkdirChanged = workdir !== workdirBefore(parts, copy.segment.instruction) && !copy.dest.startsWith('/');
  const copyBody = copyWorkdirChanged ? copy.segment.body.replace(new RegExp(`${escapeRegExp(copy.dest)}\\s*$`), plan.dest) : copy.segment.body;
  out.push(...copy.segment.leading, copyBody);

  const needsCache = plan.installs.filter((i) => i.kind.buildNeedsCache);
  for (const s of segments.slice(copyIndex + 1)) {
    if (movedBetween.includes(s)) continue;
    let body: string | undefined = s.body;
    if (remainders.has(s)) body = remainders.get(s);
    if (body === undefined) continue;
    if (s.keyword === 'RUN') {
      for (const install of needsCache) if (install.kind.buildNeedsCache!.test(body)) body = withMounts(body, install.kind, options);
    }
    out.push(...(remainders.has(s) ? [] : s.leading), body);
  }
  const firstLine = copy.segment.instruction.getRange().start.line - copy.segment.leading.length;
  const lastLine = stage.range.end.line;
  return {
    range: { start: { line: firstLine, character: 0 }, end: { line: lastLine, character: lineTextOf(model, lastLine).length } },
    newText: out.join('\n'),
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
