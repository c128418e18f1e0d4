// Who the runtime stage runs as, and how the paths the app writes (writable.ts) come to belong to that
// user: `RUN chown` after the artifact copies for paths they bring (a runtime with a shell), `COPY --chown`
// of the folder for paths no artifact copy brings. Both name the owner in the instruction itself, which
// BuildKit's cache key sees. The builder only makes folders that do not exist yet, and sets owners by
// numeric id only for a runtime without a shell.
import { builtInUsers, nonRootUserLines, type RuntimeImage } from './runtimeImages';
import { relativeTo, type Segment, type StageParts } from './stageParts';
import type { WritableFindings } from './writable';

export interface RuntimeUser {
  /** Lines that create the user (may be empty), and the USER line(s) with their comments. */
  create: string[];
  use: string[];
  /** The owner for `COPY --chown` / `chown` in the runtime, once `create` ran. */
  runtimeOwner?: string;
}

const USER_CREATION = /^(?:\s*(?:groupadd|useradd|adduser|addgroup)\b[^&;]*(?:&&|;|$))+\s*$/;
function comments(segment: Segment): string[] {
  return segment.leading.filter((line) => line.trim() !== '');
}

export function runtimeUser(parts: StageParts, runtime: RuntimeImage, runs: ReadonlyArray<{ command: string; segment: Segment }>, baseTag: string | undefined): RuntimeUser {
  const userSegment = parts.segments.filter((s) => s.keyword === 'USER').pop();
  if (!userSegment) {
    const lines = nonRootUserLines(runtime.family);
    const use = lines.filter((l) => l.startsWith('USER '));
    const name = use[0]?.slice('USER '.length).split(':')[0];
    if (!name) return { create: [], use: [] };
    return { create: lines.filter((l) => !l.startsWith('USER ')), use, runtimeOwner: `${name}:${name}` };
  }
  const spec = (userSegment.instruction.getArgumentsContent() ?? '').trim();
  const user = spec.split(':')[0];
  if (user === 'root' || user === '0') return { create: [], use: [...comments(userSegment), userSegment.body] };
  if (/^\d+$/.test(user)) return { create: [], use: [...comments(userSegment), userSegment.body], runtimeOwner: spec };
  if (builtInUsers(runtime.family).includes(user)) {
    return { create: [], use: [...comments(userSegment), userSegment.body], runtimeOwner: spec };
  }
  if (runtime.family === 'distroless') {
    return {
      create: [],
      use: [`# multistage: user ${user} does not exist in distroless images; nonroot (65532) is their non-root user.`, 'USER nonroot:nonroot'],
      runtimeOwner: 'nonroot:nonroot',
    };
  }
  const sameOs = (runtime.os === 'alpine') === /alpine/.test(baseTag ?? '');
  const creation = runs.find((r) => USER_CREATION.test(r.command) && new RegExp(`\\b${user}\\b`).test(r.command));
  const create = creation && sameOs
    ? creation.segment.body
    : runtime.os === 'alpine'
      ? `RUN addgroup -S ${user} && adduser -S -G ${user} ${user}`
      : `RUN useradd --system --user-group --create-home ${user}`;
  return { create: [create], use: [...comments(userSegment), userSegment.body], runtimeOwner: spec };
}

export interface OwnershipLines {
  /** Appended to the builder. */
  builder: string[];
  /** Placed before the artifact copies (the user is created first: these name it). */
  beforeArtifacts: string[];
  /** Placed before the runtime's WORKDIR (a folder made by WORKDIR belongs to root). */
  beforeWorkdir: string[];
  /** Placed after the artifacts and the user's creation, before USER. */
  afterArtifacts: string[];
  /** Comments above the runtime FROM. */
  notes: string[];
}

const EMPTY = '/tmp/multistage-empty';

/** Absolute sources of `COPY --from=<builder>` lines, with their destination. */
function builderCopies(artifacts: readonly string[], builder: string): Array<{ sources: string[]; dest: string }> {
  const out: Array<{ sources: string[]; dest: string }> = [];
  for (const line of artifacts) {
    const words = line.trim().split(/\s+/);
    if (words[0] !== 'COPY' || !words.includes(`--from=${builder}`)) continue;
    const args = words.slice(1).filter((w) => !w.startsWith('--'));
    out.push({ sources: args.slice(0, -1), dest: args[args.length - 1] });
  }
  return out;
}

/**
 * Ownership is set by instructions whose own text names the owner (`COPY --chown`, `RUN chown`): BuildKit's
 * cache key for `COPY --from` covers file contents but not owners, so a chown done in the builder can be
 * lost to a layer cached from an earlier build that copied the same files owned by root.
 */
export function ownershipLines(
  found: WritableFindings,
  user: RuntimeUser,
  runtime: RuntimeImage,
  artifacts: readonly string[],
  builder: string,
  workdir: string,
): OwnershipLines {
  const none: OwnershipLines = { builder: [], beforeWorkdir: [], beforeArtifacts: [], afterArtifacts: [], notes: [] };
  if (found.paths.length === 0 && found.selfDirs.length === 0) return { ...none, notes: found.notes };
  // Root writes everywhere, and so does a runtime the recipe leaves without a user (nginx runs as root).
  if (!user.runtimeOwner) return { ...none, notes: found.notes };
  const notes = [...found.notes];
  const rel = (p: string) => relativeTo(workdir, p);
  const copies = builderCopies(artifacts, builder);
  const covered = (path: string) => copies.some((c) => c.sources.some((s) => path.startsWith(s.replace(/\/+$/, '') + '/')));
  // A file the app creates only at run time does not exist yet: its folder is what must be writable.
  const paths = found.paths.filter((p) => p.kind === 'dir' || p.created);
  // Inside a folder an artifact copy brings: changed after the copy (a shell is needed). The others are
  // copied on their own with --chown, which also creates the folder with that owner.
  const shell = runtime.os !== 'none';
  const afterCopy = paths.filter((p) => covered(p.path) && shell);
  const inBuilder = paths.filter((p) => covered(p.path) && !shell);
  const onTheirOwn = paths.filter((p) => !covered(p.path));
  const builderLines: string[] = [];
  const mkdirs = found.paths.filter((p) => p.kind === 'dir' && !p.created).map((p) => rel(p.path));
  const steps = mkdirs.length > 0 ? [`mkdir -p ${mkdirs.join(' ')}`] : [];
  // No shell to change owners after the copy: said, not guessed (a chown in the builder can be lost to the cache).
  if (inBuilder.length > 0) notes.push(`# multistage: the app writes to ${inBuilder.map((p) => rel(p.path)).join(', ')}, which this image copies owned by root and has no shell to change; copy them on their own with --chown=${user.runtimeOwner}.`);
  const why = [...new Set(found.paths.map((p) => p.reason))].join('; ');
  if (steps.length > 0) {
    builderLines.push('# multistage: folders the app writes at run time, made here so the runtime stage can hand them to its user.');
    builderLines.push(`RUN ${steps.join(' && ')}`);
  }
  const beforeArtifacts = onTheirOwn.map((p) => `COPY --from=${builder} --chown=${user.runtimeOwner} ${p.path} ${rel(p.path)}`);
  const chowns: string[] = [];
  // Without a shell, the working directory is made by copying an empty folder with --chown before WORKDIR.
  const beforeWorkdir: string[] = [];
  const selfDirs = found.selfDirs.filter((dir) => {
    if (shell) return true;
    if (beforeWorkdir.length === 0) builderLines.push('# multistage: an empty folder, copied with an owner to make the working directory writable.', `RUN mkdir -p ${EMPTY}`);
    beforeWorkdir.push(`COPY --from=${builder} --chown=${user.runtimeOwner} ${EMPTY} ${dir}`);
    return false;
  });
  if (selfDirs.length > 0) chowns.push(`chown ${user.runtimeOwner} ${selfDirs.map(rel).join(' ')}`);
  if (afterCopy.length > 0) chowns.push(`chown -R ${user.runtimeOwner} ${afterCopy.map((p) => rel(p.path)).join(' ')}`);
  const afterArtifacts = chowns.length > 0 ? [`# multistage: the app writes here at run time (${why}).`, `RUN ${chowns.join(' && ')}`] : [];
  return { builder: builderLines, beforeWorkdir, beforeArtifacts, afterArtifacts, notes };
}
