import { C_COMPILER_PACKAGES, goImageHasCCompiler, libcOf, type Libc } from '../data/goBinaries';
import { envAt, flagValues, isCommand, positionalArgs, stageEnvAt, type ShellCommand } from '../shell';
import { copyArgsOf, resolveShellPath, stageRuns } from '../shell/layers';
import { baseChain, buildOrder, rootImage, workdirAt } from '../stageFacts';
import type { DockerfileModel, Stage } from '../model';
import type { ContextFiles, Finding, Rule } from '../types';

/** Top-level folders that are not where `go build` in `/` writes its binary. */
const SYSTEM_DIRS = /^\/(etc|usr|lib|lib64|var|bin|sbin|opt|tmp|root|home|go|proc|sys|dev)$/;

interface GoBuild {
  stage: Stage;
  command: ShellCommand;
  builderLibc: Libc;
  explicit: boolean;
  /** Absolute output path when `-o` names one. */
  output?: string;
  workdir: string;
}

export const cgoBinaryOnMinimalBase: Rule = {
  id: 'cgo-binary-on-minimal-base',
  defaultSeverity: 'warning',
  summary: 'A Go binary built with cgo is copied onto an image without the C library it links against.',
  check(model, ctx) {
    if (ctx.context && !mayLinkLibc(ctx.context)) return [];
    const findings: Finding[] = [];
    // Stages whose base lacks glibc, found once: only they can receive a binary that will not start.
    const consumers = model.stagesReachingTarget().flatMap((stage) => {
      const image = rootImage(model, stage)?.image;
      const runtimeLibc = image ? libcOf(image) : 'unknown';
      return image && (runtimeLibc === 'none' || runtimeLibc === 'musl') ? [{ stage, image, runtimeLibc }] : [];
    });
    if (consumers.length === 0) return [];
    const builds = model.stagesReachingTarget().flatMap((stage) => cgoBuildsOf(model, stage));
    for (const build of builds) {
      for (const { stage: consumer, image, runtimeLibc } of consumers) {
        const breaks = runtimeLibc === 'none' || (runtimeLibc === 'musl' && build.builderLibc === 'glibc');
        if (!breaks) continue;
        const copy = copyOfBinary(model, consumer, build);
        if (copy === undefined) continue;
        const why = build.explicit ? 'with CGO_ENABLED=1' : `with cgo enabled (the default when a C compiler is present, as in ${rootImage(model, build.stage)?.image ?? 'this stage'})`;
        const runtime = runtimeLibc === 'none' ? `${image}, which has no C library` : `${image}, which has musl instead of glibc`;
        findings.push({
          range: build.command.range,
          message: `go ${build.command.argv[1]} runs ${why}: a program that uses net, os/user or any cgo package (most servers do) is then linked against glibc, and line ${copy + 1} copies it onto ${runtime}, where it would fail to start. Build with CGO_ENABLED=0 for a static binary.`,
          fixes: build.explicit ? [] : [{
            title: 'Build with CGO_ENABLED=0',
            edits: [{ range: { start: build.command.range.start, end: build.command.range.start }, newText: 'CGO_ENABLED=0 ' }],
            preferred: true,
          }],
        });
        break;
      }
    }
    return findings;
  },
};

/** Go builds in `stage` that produce a cgo (dynamically linked) binary. */
function cgoBuildsOf(model: DockerfileModel, stage: Stage): GoBuild[] {
  const root = rootImage(model, stage)?.image;
  const builds: GoBuild[] = [];
  let compilerInstalled = false;
  for (const s of buildOrder(model, stage)) {
    for (const { run, commands } of stageRuns(model, s)) {
      const stageEnv = stageEnvAt(model, s, run);
      for (const c of commands) {
        if (installsCCompiler(c)) compilerInstalled = true;
        if (s !== stage || !isCommand(c, 'go', ['build', 'install'])) continue;
        const cgo = envAt(commands, c, stageEnv).get('CGO_ENABLED');
        if (cgo !== undefined && cgo !== '1') continue;
        if (linksStatically(c)) continue;
        const imageCompiler = root ? goImageHasCCompiler(root) : undefined;
        const cgoOn = cgo === '1' || imageCompiler === true || compilerInstalled;
        if (!cgoOn) continue;
        const builderLibc: Libc = root && /alpine/.test(root) ? 'musl' : imageCompiler !== undefined || cgo === '1' ? 'glibc' : 'unknown';
        let workdir = workdirAt(model, s, run);
        // `cd src && go build` builds (and writes a relative -o) in that folder.
        for (const earlier of commands.slice(0, c.index)) {
          const target = isCommand(earlier, 'cd') ? positionalArgs(earlier)[0]?.text : undefined;
          if (target) workdir = resolveShellPath(workdir, target) ?? workdir;
        }
        const out = [...flagValues(c, '-o')][0];
        builds.push({ stage, command: c, builderLibc, explicit: cgo === '1', output: out ? resolveShellPath(workdir, out) : undefined, workdir });
      }
    }
  }
  return builds;
}

function installsCCompiler(c: ShellCommand): boolean {
  const installs = isCommand(c, ['apt-get', 'apt'], 'install') || isCommand(c, 'apk', 'add') || isCommand(c, ['dnf', 'yum', 'microdnf'], 'install');
  return installs && positionalArgs(c).slice(1).some((w) => C_COMPILER_PACKAGES.has(w.text.replace(/[=<>~].*$/, '')));
}

/** `-ldflags '-extldflags "-static"'` or `-tags netgo,osusergo` produce a binary without libc needs. */
function linksStatically(c: ShellCommand): boolean {
  const ldflags = flagValues(c, '-ldflags').join(' ');
  if (/-extldflags[= ]+["']?[^"']*-static/.test(ldflags) || /-static\b/.test(ldflags)) return true;
  const tags = flagValues(c, '-tags').join(',');
  return /\bnetgo\b/.test(tags) && /\bosusergo\b/.test(tags);
}

/**
 * The line of a COPY --from=<builder> in `consumer` that carries the binary: its source is the `-o`
 * output or a folder holding it; without `-o`, anything under the build's working directory or /go/bin.
 */
function copyOfBinary(model: DockerfileModel, consumer: Stage, build: GoBuild): number | undefined {
  for (const ref of consumer.refs) {
    if (ref.kind !== 'copy' || ref.target === undefined) continue;
    if (!baseChain(model, model.stages[ref.target]).includes(build.stage)) continue;
    const args = copyArgsOf(ref.instruction);
    if (!args?.destination) continue;
    for (const source of args.sources) {
      const candidates = [resolveShellPath('/', source.value), resolveShellPath(build.workdir, source.value)].filter((p): p is string => p !== undefined);
      const carries = candidates.some((path) => (build.output
        ? path === build.output || build.output.startsWith(`${path}/`) || path.startsWith(`${build.output}/`)
        : path.startsWith('/go/bin') || (build.workdir === '/' ? /^\/[^/]+$/.test(path) && !SYSTEM_DIRS.test(path) : path === build.workdir || path.startsWith(`${build.workdir}/`))));
      if (carries) return ref.instruction.getRange().start.line;
    }
  }
  return undefined;
}

/** Imports that make a cgo build link against the C library. */
const LIBC_IMPORTS = /"(net|net\/http|os\/user|C)"/;
const MAX_GO_FILES = 200;

/**
 * False only when the context shows a module without dependencies whose Go files import nothing that
 * uses cgo (such a binary is static even with cgo on). Unknown → true.
 */
function mayLinkLibc(context: ContextFiles): boolean {
  const goMod = context.read('go.mod');
  if (goMod === undefined || /^\s*require\b/m.test(goMod)) return true;
  const pending = [''];
  let seen = 0;
  while (pending.length > 0 && seen < MAX_GO_FILES) {
    const dir = pending.pop()!;
    for (const entry of context.list(dir)) {
      const path = dir ? `${dir}/${entry}` : entry;
      if (context.isDirectory(path)) {
        if (!entry.startsWith('.') && entry !== 'vendor' && entry !== 'testdata') pending.push(path);
      } else if (entry.endsWith('.go') && !entry.endsWith('_test.go')) {
        seen++;
        if (LIBC_IMPORTS.test(context.read(path) ?? '"C"')) return true;
      }
    }
  }
  return seen === 0 || pending.length > 0;
}
