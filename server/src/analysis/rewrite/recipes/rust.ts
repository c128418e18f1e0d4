// Rust → `cargo build --release` in the rust image, the binary on debian-slim of the same Debian
// release (glibc, like the builder) or distroless/cc.
import { debianCodename, debianSlim, distroless, isAlpineTag, LIBC_NOTE, type RuntimeImage } from '../runtimeImages';
import { execFormOf } from '../stageParts';
import { resolvePath } from '../../stageFacts';
import { runtimeNeeds } from '../runtimeNeeds';
import { filesReadAtRunTime } from '../runtimeFiles';
import { findRun, optionValue, copyFromBuilder, type Recipe, type RecipeInput, type SplitPlan } from './recipe';

const CARGO_BUILD = /\bcargo\s+(?:build|install)\b/;
const CARGO_RUN = /\bcargo\s+run\b/;

function binaryName(input: RecipeInput, command: string): string {
  const explicit = optionValue(command, ['--bin']);
  if (explicit) return explicit;
  const manifest = input.context?.read('Cargo.toml') ?? '';
  const bin = /\[\[bin\]\][^[]*?name\s*=\s*"([^"]+)"/.exec(manifest)?.[1];
  const pkg = /\[package\][^[]*?name\s*=\s*"([^"]+)"/.exec(manifest)?.[1];
  return bin ?? pkg ?? 'app';
}

function rustRuntime(input: RecipeInput): RuntimeImage {
  const codename = debianCodename(input.base.tag) ?? 'bookworm';
  if (input.flavor === 'distroless') return { image: distroless('cc', codename), family: 'distroless', os: 'none' };
  if (input.flavor === 'alpine' || isAlpineTag(input.base.tag)) {
    const note = isAlpineTag(input.base.tag) ? undefined : LIBC_NOTE('Alpine');
    return { image: 'alpine:3.20', family: 'alpine', os: 'alpine', note };
  }
  return debianSlim(codename);
}

export const rustRecipe: Recipe = {
  id: 'rust',
  matches: (input) => input.base.name === 'rust' || !!findRun(input, CARGO_BUILD),
  plan(input): SplitPlan | undefined {
    const build = findRun(input, CARGO_BUILD);
    const command = input.entrypoint ?? input.cmd;
    const commandText = command ? (execFormOf(command.instruction) ?? [command.body]).join(' ') : '';
    const builderAppend: string[] = [];
    let built: string;
    let name: string;
    if (build) {
      name = binaryName(input, build.command);
      if (/\bcargo\s+install\b/.test(build.command)) built = `/usr/local/cargo/bin/${name}`;
      else {
        const profile = /--release\b/.test(build.command) ? 'release' : 'debug';
        const targetDir = optionValue(build.command, ['--target-dir']) ?? 'target';
        built = resolvePath(build.segment.workdir, `${targetDir}/${profile}/${name}`);
      }
    } else if (CARGO_RUN.test(commandText)) {
      name = binaryName(input, commandText);
      builderAppend.push('RUN cargo build --release');
      built = resolvePath(input.workdir, `target/release/${name}`);
    } else {
      return undefined;
    }
    const dest = `/usr/local/bin/${name}`;
    const runtime = rustRuntime(input);
    // Templates and static folders the program opens by relative path (Tera, tower-http, actix-files).
    const files = filesReadAtRunTime(input, 'rust');
    return {
      ecosystem: 'rust',
      runtime,
      builderAppend,
      artifacts: [copyFromBuilder(input, built, dest), ...files.map((f) => copyFromBuilder(input, f.from, resolvePath(input.workdir, f.name)))],
      needsWorkdir: files.length > 0,
      notes: runtime.note ? [runtime.note] : [],
      // The rust images are buildpack-deps: OpenSSL and the CA certificates were there without asking.
      runtimeNeeds: runtime.os === 'debian' ? runtimeNeeds('rust', input.context) : [],
      rewriteCommand: (segment) => {
        const text = (execFormOf(segment.instruction) ?? [segment.body]).join(' ');
        // `cargo run` and paths into target/ have no meaning without the toolchain: run the installed binary.
        if (segment === command && (CARGO_RUN.test(text) || /target\/(?:release|debug)\//.test(text))) return `${segment.keyword} ["${name}"]`;
        return undefined;
      },
    };
  },
};
