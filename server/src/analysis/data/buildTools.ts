// Build tools and compilers: the system packages that only a build needs, and the commands that are a
// build step. `toolchain-in-final-stage` reads both; the split rewrite reads them too.

/** Debian/Ubuntu (apt) and Alpine (apk) package names that are compilers or build tools. */
const BUILD_PACKAGES: ReadonlySet<string> = new Set([
  'build-essential', 'build-base', 'gcc', 'gcc-c++', 'g++', 'clang', 'llvm', 'make', 'cmake', 'automake', 'autoconf', 'libtool',
  'pkg-config', 'pkgconf', 'musl-dev', 'libc-dev', 'libc6-dev', 'linux-headers', 'gfortran', 'cargo', 'rust', 'rustc',
  'golang', 'golang-go', 'go', 'default-jdk', 'openjdk-17-jdk', 'openjdk-11-jdk', 'openjdk-21-jdk', 'maven', 'gradle',
  'nasm', 'yasm', 'bison', 'flex', 'ninja-build', 'meson', 'scons', 'dpkg-dev', 'r-base-dev', 'alpine-sdk',
]);

function packageName(pkg: string): string {
  return pkg.replace(/[=<>~].*$/, '').replace(/:\w+$/, '').toLowerCase();
}

/** Whether an OS package is a compiler or build tool (gcc, make, build-essential, a JDK…). */
export function isCompilerPackage(pkg: string): boolean {
  const name = packageName(pkg);
  if (BUILD_PACKAGES.has(name)) return true;
  if (/^(gcc|g\+\+|clang|llvm|cpp)-\d+$/.test(name)) return true;
  return /^openjdk-?\d*-jdk/.test(name);
}

/**
 * Whether an OS package is only headers for building against a library (-dev/-devel). On its own such a
 * package is not a toolchain (some images install one for a runtime library it pulls in), so it only
 * counts alongside a compiler.
 */
export function isDevHeadersPackage(pkg: string): boolean {
  return /-(dev|devel)$/.test(packageName(pkg));
}

/**
 * A build step: a command (argv, after env prefixes) that compiles or bundles. Returns a short label
 * ("go build", "npm run build") or undefined.
 */
/** The commands buildStepLabel knows (its switch cases): every other command returns at once. */
const BUILD_STEP_COMMANDS = new Set(['go', 'cargo', 'mvn', 'mvnw', 'gradle', 'gradlew', 'npm', 'yarn', 'pnpm', 'bun', 'npx', 'tsc', 'javac', 'gcc', 'g++', 'cc', 'c++', 'clang', 'rustc', 'dotnet']);

export function buildStepLabel(argv: readonly string[]): string | undefined {
  const cmd0 = argv[0];
  if (!cmd0) return undefined;
  // It runs for every shell command of every RUN, so the common case (not a build tool) allocates nothing.
  const cmd = cmd0.slice(cmd0.lastIndexOf('/') + 1);
  if (!BUILD_STEP_COMMANDS.has(cmd)) return undefined;
  const rest = argv.slice(1);
  const sub = rest.find((a) => !a.startsWith('-'));
  const script = (runWords: readonly string[]) => runWords.find((a) => !a.startsWith('-'));
  switch (cmd) {
    case 'go':
      return sub === 'build' || sub === 'install' ? `go ${sub}` : undefined;
    case 'cargo':
      return sub === 'build' || sub === 'install' ? `cargo ${sub}` : undefined;
    case 'mvn':
    case 'mvnw':
      return rest.some((a) => /^(package|install|verify|compile|spring-boot:repackage)$/.test(a)) ? 'mvn package' : undefined;
    case 'gradle':
    case 'gradlew':
      return rest.some((a) => /^(:?[\w-]+:)?(build|assemble|bootJar|shadowJar|jar|installDist|distTar|distZip)$/.test(a)) ? 'gradle build' : undefined;
    case 'npm':
      if (sub === 'run' || sub === 'run-script') {
        const name = script(rest.slice(rest.indexOf(sub) + 1));
        return name && /^build/.test(name) ? `npm run ${name}` : undefined;
      }
      return undefined;
    case 'yarn':
    case 'pnpm':
    case 'bun': {
      const name = sub === 'run' ? script(rest.slice(rest.indexOf(sub) + 1)) : sub;
      return name && /^build/.test(name) ? `${cmd} ${sub === 'run' ? 'run ' : ''}${name}` : undefined;
    }
    case 'npx':
      return sub === 'tsc' || sub === 'vite' || sub === 'webpack' || sub === 'ng' ? `npx ${sub}` : undefined;
    case 'tsc':
      return 'tsc';
    // Compiling directly (not through make: official images build from source with make and remove
    // the compiler in the same RUN, which the package check already accounts for).
    case 'javac':
    case 'gcc':
    case 'g++':
    case 'cc':
    case 'c++':
    case 'clang':
    case 'rustc':
      return rest.length > 0 && !rest.includes('--version') ? cmd : undefined;
    case 'dotnet':
      return sub === 'publish' || sub === 'build' ? `dotnet ${sub}` : undefined;
    default:
      return undefined;
  }
}

/** Where the usual JavaScript build tools write their output, by the tool a build script runs. */
const JS_BUILD_OUTPUTS: readonly [RegExp, string][] = [
  [/\breact-scripts build\b/, 'build/'],
  [/\bnext build\b/, '.next/'],
  [/\bnuxt build\b/, '.output/'],
  [/\b(vite|vue-cli-service|ng|parcel|nest) build\b/, 'dist/'],
];

/**
 * The output folder of a package.json build script (`"build": "vite build"` → `dist/`); for `tsc`, the
 * tsconfig's outDir when given. Undefined when the script does not say.
 */
export function jsBuildOutput(script: string, tsconfigOutDir?: string): string | undefined {
  for (const [pattern, out] of JS_BUILD_OUTPUTS) if (pattern.test(script)) return out;
  if (/\btsc\b/.test(script) && tsconfigOutDir) return `${tsconfigOutDir.replace(/^\.\//, '').replace(/\/?$/, '/')}`;
  return undefined;
}
