// "Reorder for layer cache": in every stage where a broad COPY of the sources comes before a dependency
// install, copy the manifests and lockfiles that exist in the context first, install, then copy the
// rest. Installs that also need the sources (go build, mvn package) get a download-only step instead.
import type { TextEdit } from 'vscode-languageserver-types';
import { lineTextOf, type DockerfileModel, type Stage } from '../model';
import type { ContextFiles, RuleContext } from '../types';
import { DockerignoreMatcher, findDockerignore } from '../dockerignore';
import { afterSourcesStep, INSTALL_KINDS, type InstallKind } from './manifests';
import { commandOf, contextCopies, execFormOf, resolvePath, stageParts, workdirBefore, type ContextCopy, type Segment, type StageParts } from './stageParts';

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
}

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
}

export function reorderEdits(model: DockerfileModel, ctx: RuleContext, options: ReorderOptions): ReorderResult {
  const context = ctx.context;
  if (!context) return { edits: [], incomplete: false };
  const edits: TextEdit[] = [];
  let incomplete = false;
  for (const stage of model.stages) {
    const parts = stageParts(model, stage);
    const { plan, skipped } = planStage(model, parts, context);
    incomplete ||= skipped && plan !== undefined;
    if (!plan) continue;
    edits.push(renderStage(model, stage, parts, plan, options));
  }
  return { edits, incomplete };
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

function planStage(model: DockerfileModel, parts: StageParts, context: ContextFiles): { plan?: StagePlan; skipped: boolean } {
  const copies = contextCopies(parts);
  const segments = parts.segments;
  const dockerignore = findDockerignore(context);
  const ignored = dockerignore ? new DockerignoreMatcher(dockerignore.content) : undefined;
  let plan: StagePlan | undefined;
  let skipped = false;
  for (const segment of segments) {
    if (segment.keyword !== 'RUN') continue;
    const commandParts = splitCommand(segment, model.escapeChar);
    if (!commandParts) continue;
    let workdir = segment.workdir;
    for (let at = 0; at < commandParts.length; at++) {
      const cd = /^cd\s+(\S+)$/.exec(commandParts[at]);
      if (cd) {
        workdir = resolvePath(workdir, cd[1]);
        continue;
      }
      const kind = INSTALL_KINDS.find((k) => k.pattern.test(commandParts[at]));
      if (!kind) continue;
      if (plan?.installs.some((i) => i.kind.id === kind.id)) continue;
      let found = plan ? matchCopy(plan.copy, parts, workdir, context) : findBroadCopy(copies, segment, parts, workdir, context);
      // A manifest the .dockerignore leaves out is not in the build context: copying it would fail.
      let manifests = found ? kind.manifests(context, found.root, commandParts[at]).filter((f) => !ignored?.ignores(f)) : [];
      if (manifests.length === 0 && !plan) {
        // The manifests are already copied on their own, but a source folder comes in before the install.
        found = findSourceFolderCopy(copies, segment, parts, workdir, context, kind.manifests(context, '', commandParts[at]));
        manifests = [];
      } else if (manifests.length === 0) {
        found = undefined;
      }
      if (!found) {
        skipped ||= plan !== undefined;
        continue;
      }
      const copyIndex = segments.indexOf(found.copy.segment);
      if (segments.indexOf(segment) < copyIndex) continue;
      // Already done: the same tool ran before the sources arrived.
      const before = segments.slice(0, copyIndex).filter((s) => s.keyword === 'RUN');
      const prefetch = kind.prefetch?.(commandParts[at]);
      if (before.some((s) => (splitCommand(s, model.escapeChar) ?? []).some((p) => kind.pattern.test(p)) || (prefetch && commandOf(s.instruction, model.escapeChar).includes(prefetch)))) continue;
      const isMove = kind.mode === 'move' || (kind.prefetch !== undefined && commandParts[at] === kind.prefetch(commandParts[at]));
      if (isMove && !canMove(segments.slice(copyIndex + 1, segments.indexOf(segment)), commandParts.slice(0, at), model.escapeChar, plan)) {
        skipped = true;
        continue;
      }
      plan ??= { copy: found.copy, sourceDir: found.sourceDir, dest: found.dest, installs: [] };
      plan.installs.push({ segment, kind: isMove ? { ...kind, mode: 'move' } : kind, parts: commandParts, at, manifests });
      break;
    }
  }
  return { plan, skipped };
}

function canMove(between: Segment[], partsBefore: string[], escapeChar: string, plan: StagePlan | undefined): boolean {
  const moved = new Set(plan?.installs.map((i) => i.segment));
  // Other installs are not safe to move along: their manifests are not copied ahead unless planned.
  const safeRun = (parts: string[]) => parts.every((p) => SAFE_COMMAND.test(p));
  if (!safeRun(partsBefore)) return false;
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
function findSourceFolderCopy(copies: ContextCopy[], install: Segment, parts: StageParts, installDir: string, context: ContextFiles, manifests: string[]): CopyMatch | undefined {
  const line = install.instruction.getRange().start.line;
  const before = copies.filter((c) => c.segment.instruction.getRange().start.line < line);
  const destOf = (c: ContextCopy) => resolvePath(workdirBefore(parts, c.segment.instruction), c.dest);
  const bringsManifests = (c: ContextCopy) => destOf(c) === installDir
    && c.sources.every((s) => !s.includes('/') && !context.isDirectory(s))
    && manifests.some((m) => !m.includes('/') && c.sources.some((s) => globMatches(s, m)));
  const manifestCopy = before.findIndex(bringsManifests);
  if (manifestCopy < 0) return undefined;
  const folder = before.slice(manifestCopy + 1).find((c) => c.sources.every((s) => !!sourceFolder(s, context)) && (destOf(c) === installDir || destOf(c).startsWith(`${installDir}/`)));
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
  const movedBetween = segments.slice(copyIndex + 1, lastMoved).filter((s) => !plan.installs.some((i) => i.segment === s));
  const insertWorkdir = movedBetween.reduce((dir, s) => (s.keyword === 'WORKDIR' ? s.workdir : dir), workdirBefore(parts, plan.copy.segment.instruction));

  const out: string[] = [];
  for (const s of movedBetween) out.push(...s.leading, s.body);
  out.push(...manifestCopies(plan, insertWorkdir, copyFlags(plan.copy)));
  const remainders = new Map<Segment, string | undefined>();
  const cdPrefix = insertWorkdir === plan.dest ? '' : `cd ${plan.dest} && `;
  for (const install of plan.installs) {
    const head = install.parts.slice(0, install.at + 1);
    let tail = install.parts.slice(install.at + 1);
    if (install.kind.mode === 'prefetch') {
      out.push(withMounts(`RUN ${cdPrefix}${install.kind.prefetch!(install.parts[install.at])}`, install.kind, options));
      continue;
    }
    const flags = install.kind.moveFlags && !head[install.at].includes(install.kind.moveFlags.split(' ')[0]) ? ` ${install.kind.moveFlags}` : '';
    const wholeUnchanged = tail.length === 0 && !flags;
    const comments = install.segment.leading.filter((l) => l.trim() !== '');
    out.push(...comments, withMounts(wholeUnchanged ? install.segment.body : `RUN ${head.slice(0, -1).concat(head[install.at] + flags).join(' && ')}`, install.kind, options));
    const again = afterSourcesStep(install.kind, install.parts[install.at]);
    if (again) tail = [again, ...tail];
    // The rest ran in the folder the chain changed into: keep it there.
    if (tail.length > 0) tail = [...head.filter((p) => /^cd\s/.test(p)), ...tail];
    remainders.set(install.segment, tail.length > 0 ? `RUN ${tail.join(' && ')}` : undefined);
  }

  const copy = plan.copy;
  const copyWorkdirChanged = insertWorkdir !== workdirBefore(parts, copy.segment.instruction) && !copy.dest.startsWith('/');
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
