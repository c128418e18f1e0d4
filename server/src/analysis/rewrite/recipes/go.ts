// Go → a static binary (CGO_ENABLED=0) on distroless/static, which carries CA certificates and a
// nonroot user; a CGO build keeps glibc (distroless/base or debian-slim).
import { execFormOf, type Segment } from '../stageParts';
import { resolvePath } from '../../stageFacts';
import { debianCodename, debianSlim, distroless, isAlpineTag, type RuntimeImage } from '../runtimeImages';
import { filesReadAtRunTime } from '../runtimeFiles';
import { copyFromBuilder, findRun, optionValue, stripQuotes, type Recipe, type RecipeInput, type SplitPlan } from './recipe';

const GO_BUILD = /\bgo\s+(?:build|install)\b/;
const GO_RUN = /\bgo\s+run\b/;

export const goRecipe: Recipe = {
  id: 'go',
  matches: (input) =>
    input.base.name === 'golang' || !!findRun(input, GO_BUILD) || (!!input.context?.exists('go.mod') && isGoRunCommand(input.cmd)),
  plan,
};

function isGoRunCommand(segment: Segment | undefined): boolean {
  return !!segment && GO_RUN.test(commandText(segment));
}

function commandText(segment: Segment): string {
  return (execFormOf(segment.instruction) ?? [segment.instruction.getRawArgumentsContent() ?? '']).join(' ');
}

/** The binary name `go build` picks: the package folder, or the module's last path element for `.`. */
function defaultBinaryName(input: RecipeInput, pkg: string | undefined): string {
  if (pkg && pkg !== '.' && pkg !== './...' && !pkg.startsWith('-')) {
    const last = pkg.replace(/\/+$/, '').split('/').pop();
    if (last && last !== '.' && last !== '...') return last;
  }
  const module = /^module\s+(\S+)/m.exec(input.context?.read('go.mod') ?? '')?.[1]
    ?? input.runs.map((r) => /\bgo\s+mod\s+init\s+([^\s&;|]+)/.exec(r.command)?.[1]).find(Boolean);
  const last = module?.split('/').pop();
  return last && /^[\w.-]+$/.test(last) ? last : 'app';
}

function packageArg(command: string): string | undefined {
  const afterBuild = command.split(/\bgo\s+(?:build|install|run)\b/)[1] ?? '';
  const words = afterBuild.split(/\s*(?:&&|;|\|\|)\s*/)[0].split(' ').filter(Boolean);
  let pkg: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word.startsWith('-')) {
      // Options that take a separate value.
      if (/^--?(?:o|ldflags|tags|gcflags|asmflags|mod|modfile|p|buildmode|pkgdir|C)$/.test(word)) i++;
      continue;
    }
    pkg = stripQuotes(word);
  }
  return pkg;
}

function cgoDisabledAlready(input: RecipeInput, command: string): 'off' | 'on' | 'unset' {
  if (/\bCGO_ENABLED=0\b/.test(command)) return 'off';
  if (/\bCGO_ENABLED=1\b/.test(command)) return 'on';
  for (const segment of input.parts.segments) {
    if (segment.keyword !== 'ENV') continue;
    if (/\bCGO_ENABLED[= ]+["']?0\b/.test(segment.body)) return 'off';
    if (/\bCGO_ENABLED[= ]+["']?1\b/.test(segment.body)) return 'on';
  }
  return 'unset';
}

function runtimeFor(input: RecipeInput, staticBinary: boolean, needsShell: boolean): RuntimeImage {
  const codename = debianCodename(input.base.tag) ?? 'bookworm';
  const alpineBuilder = isAlpineTag(input.base.tag);
  // distroless has no /bin/sh: a shell-form command or health check would not start there.
  if (needsShell && input.flavor !== 'alpine') {
    return { ...debianSlim(codename), note: '# multistage: the start command or health check runs through a shell, so the runtime keeps one (debian-slim, not distroless).' };
  }
  switch (input.flavor) {
    case 'slim':
      return debianSlim(codename);
    case 'alpine':
      return { image: 'alpine:3.20', family: 'alpine', os: 'alpine' };
    case 'distroless':
      return { image: distroless(staticBinary ? 'static' : 'base', codename), family: 'distroless', os: 'none' };
    default:
      if (!staticBinary && alpineBuilder) return { image: 'alpine:3.20', family: 'alpine', os: 'alpine' };
      return { image: distroless(staticBinary ? 'static' : 'base', codename), family: 'distroless', os: 'none' };
  }
}

function plan(input: RecipeInput): SplitPlan | undefined {
  const build = findRun(input, GO_BUILD);
  const replaceInBuilder = new Map<import('dockerfile-ast').Instruction, string>();
  const builderAppend: string[] = [];
  let binary: string;
  let installedOnPath = false;
  let staticBinary = true;
  let rewriteCommand: SplitPlan['rewriteCommand'];

  if (build) {
    const cgo = cgoDisabledAlready(input, build.command);
    staticBinary = cgo !== 'on';
    let body = build.segment.body;
    const isInstall = /\bgo\s+install\b/.test(build.command) && !/\bgo\s+build\b/.test(build.command);
    const output = optionValue(build.command, ['-o']);
    const workdir = build.segment.workdir;
    if (isInstall) {
      binary = `/go/bin/${defaultBinaryName(input, packageArg(build.command))}`;
      installedOnPath = true;
    } else if (output) {
      binary = resolvePath(workdir, output);
      if (output.endsWith('/')) binary = resolvePath(binary, defaultBinaryName(input, packageArg(build.command)));
    } else {
      // `go build ./...` only checks that everything compiles: there is no binary to carry over.
      if (/\.\.\.$/.test(packageArg(build.command) ?? '')) return undefined;
      const fromCmd = relativeExecutable(input);
      binary = fromCmd ?? resolvePath(workdir, defaultBinaryName(input, packageArg(build.command)));
      if (fromCmd) body = body.replace(/\bgo\s+build\b/, `go build -o ${fromCmd}`);
    }
    // Stripping the symbol table and DWARF data is what hand-written Go images do; it keeps panics' traces.
    if (!/-ldflags\b/.test(build.command)) body = body.replace(/\bgo\s+(build|install)\b/, `go $1 -ldflags="-s -w"`);
    if (cgo === 'unset') body = body.replace(/\bgo\s+(build|install)\b/, 'CGO_ENABLED=0 go $1');
    if (body !== build.segment.body) replaceInBuilder.set(build.segment.instruction, body);
  } else {
    // `CMD go run .` builds at every start: build once in the builder and run the binary.
    const runSegment = [input.entrypoint, input.cmd].find((s) => s && GO_RUN.test(commandText(s)));
    if (!runSegment) return undefined;
    const pkg = packageArg(commandText(runSegment)) ?? '.';
    const name = defaultBinaryName(input, pkg);
    binary = `/usr/local/bin/${name}`;
    builderAppend.push(`RUN CGO_ENABLED=0 go build -ldflags="-s -w" -o ${binary} ${pkg}`);
    rewriteCommand = (segment) => (segment === runSegment ? `${segment.keyword} ["${name}"]` : undefined);
  }

  const runtime = runtimeFor(input, staticBinary, shellNeeded(input, rewriteCommand));
  // /go/bin is on the golang image's PATH only: a binary the command finds there goes to /usr/local/bin.
  const onGoPath = installedOnPath || /^\/go\/bin\/[^/]+$/.test(binary);
  const dest = onGoPath ? `/usr/local/bin/${binary.split('/').pop()}` : binary;
  const artifacts = [copyFromBuilder(input, binary, dest)];
  // Templates, static files, migrations the program opens by a relative path (and does not embed).
  const files = filesReadAtRunTime(input, 'go');
  for (const file of files) artifacts.push(copyFromBuilder(input, file.from, resolvePath(input.workdir, file.name)));
  const notes: string[] = [];
  if (!staticBinary) notes.push('# multistage: the Go build uses cgo, so the runtime keeps glibc.');
  if (runtime.note) notes.push(runtime.note);
  return {
    ecosystem: 'go',
    runtime,
    replaceInBuilder,
    builderAppend,
    artifacts,
    rewriteCommand,
    needsWorkdir: !dest.startsWith('/usr/local/bin/') || files.length > 0,
    notes,
  };
}

/** `CMD ["./server"]` names the binary the user expects in the working directory. */
function relativeExecutable(input: RecipeInput): string | undefined {
  const segment = input.entrypoint ?? input.cmd;
  if (!segment) return undefined;
  const first = (execFormOf(segment.instruction) ?? (segment.instruction.getRawArgumentsContent() ?? '').split(/\s+/))[0];
  return first && /^\.?\.?\//.test(first) && !/\s/.test(first) ? first : undefined;
}

/** Whether a carried CMD/ENTRYPOINT/HEALTHCHECK is in shell form (a toolchain command the recipe replaces aside). */
function shellNeeded(input: RecipeInput, rewrite: SplitPlan['rewriteCommand']): boolean {
  for (const segment of input.parts.segments) {
    if (!['CMD', 'ENTRYPOINT', 'HEALTHCHECK'].includes(segment.keyword) || rewrite?.(segment)) continue;
    if (segment.keyword === 'HEALTHCHECK') {
      const command = /\bCMD\s+([\s\S]*)$/i.exec(segment.instruction.getRawArgumentsContent() ?? '')?.[1]?.trim();
      // Shell form, or a tool distroless does not have (the golang image has curl and wget).
      if (command && (!command.startsWith('[') || /\b(?:curl|wget)\b/.test(command))) return true;
    } else if (!execFormOf(segment.instruction)) return true;
  }
  return false;
}
