// When a stage "builds something" (so splitting it pays off), and which OS packages are toolchain
// rather than runtime libraries. Kept beside the rewrites: the split is offered exactly when these say
// the final stage builds, and its output must not say so again.
import { lookup } from '../data/lookup';

/** Images that exist to compile or package code. Slim/alpine/JRE variants of language images are runtimes. */
export function isToolchainImage(name: string, tag: string | undefined): boolean {
  const t = tag ?? '';
  switch (name) {
    case 'golang': case 'rust': case 'maven': case 'gradle': case 'gcc': case 'buildpack-deps':
    case 'clang': case 'haskell': case 'swift': case 'sbt': case 'sdk':
      return true;
    case 'node': case 'python': case 'ruby':
      return !/slim|alpine|distroless/.test(t);
    case 'openjdk': case 'eclipse-temurin': case 'amazoncorretto': case 'sapmachine':
      return !/jre/.test(t);
    default:
      return false;
  }
}

/** Where a command starts in a shell line: the beginning, after a separator, after env assignments. */
const COMMAND_START = String.raw`(?:^|[;&|(]\s*|\s-c\s+['"]?)(?:env\s+)?(?:\w+=\S*\s+)*`;

export const BUILD_COMMAND = new RegExp([
  String.raw`\bgo\s+(?:build|install)\b`,
  String.raw`\bcargo\s+(?:build|install)\b`,
  String.raw`\b(?:mvn|mvnw)\s[^&;|]*\b(?:package|install|verify)\b`,
  String.raw`\b(?:gradle|gradlew)\s[^&;|]*\b(?:build|assemble|jar|bootJar|shadowJar|installDist)\b`,
  String.raw`\b(?:npm|pnpm)\s+run(?:-script)?\s+build`,
  String.raw`\byarn\s+(?:run\s+)?build\b`,
  String.raw`\bpnpm\s+build\b`,
  String.raw`${COMMAND_START}(?:npx\s+)?tsc(?:\s|$)`,
  String.raw`\b(?:ng|vite|nest)\s+build\b`,
  String.raw`\bdotnet\s+(?:publish|build)\b`,
  String.raw`${COMMAND_START}(?:make|cmake|ninja|gcc|g\+\+|cc|clang)(?:\s|$)`,
  String.raw`\bsetup\.py\s+(?:build|bdist|install)\b`,
].join('|'));

const TOOLCHAIN_PACKAGE = /^(?:build-essential|build-base|gcc(?:-[\d.]+)?|g\+\+(?:-[\d.]+)?|cpp|make|cmake|clang|llvm|ninja-build|autoconf|automake|libtool|pkg-config|pkgconf|git|musl-dev|linux-headers|python3?-dev|python3?-pip|python3?-venv|golang(?:-go)?|rustc|cargo|maven|gradle|default-jdk(?:-headless)?|openjdk-\d+-jdk(?:-headless)?|nodejs|npm|yarn|gfortran|swig|bison|flex)$|-(?:dev|devel)$/;

export function isToolchainPackage(pkg: string): boolean {
  return TOOLCHAIN_PACKAGE.test(pkg.replace(/[=:].*$/, ''));
}

/** Runtime libraries for the -dev packages whose runtime half is commonly needed (Debian bookworm names). */
const RUNTIME_OF_DEV: Record<string, string> = {
  'libpq-dev': 'libpq5',
  'libssl-dev': 'libssl3',
  'libxml2-dev': 'libxml2',
  'libxslt1-dev': 'libxslt1.1',
  'libjpeg-dev': 'libjpeg62-turbo',
  'libjpeg62-turbo-dev': 'libjpeg62-turbo',
  'libpng-dev': 'libpng16-16',
  'libffi-dev': 'libffi8',
  'zlib1g-dev': 'zlib1g',
  'libmariadb-dev': 'libmariadb3',
  'default-libmysqlclient-dev': 'libmariadb3',
  'libsqlite3-dev': 'libsqlite3-0',
  'libyaml-dev': 'libyaml-0-2',
  'libgeos-dev': 'libgeos-c1v5',
  'libmagic-dev': 'libmagic1',
  'libcurl4-openssl-dev': 'libcurl4',
  'libgmp-dev': 'libgmp10',
  'libicu-dev': 'libicu72',
  'libzstd-dev': 'libzstd1',
  'libbz2-dev': 'libbz2-1.0',
  'liblzma-dev': 'liblzma5',
  'libreadline-dev': 'libreadline8',
  'libwebp-dev': 'libwebp7',
  'libtiff-dev': 'libtiff6',
  'libtiff5-dev': 'libtiff6',
  'libfreetype6-dev': 'libfreetype6',
  'libfreetype-dev': 'libfreetype6',
  'libcairo2-dev': 'libcairo2',
  'libpango1.0-dev': 'libpango-1.0-0',
  'libgdal-dev': 'libgdal32',
  'libvips-dev': 'libvips42',
  'libmagickwand-dev': 'libmagickwand-6.q16-6',
  'libsasl2-dev': 'libsasl2-2',
  'libldap2-dev': 'libldap-2.5-0',
  'libldap-dev': 'libldap-2.5-0',
  'unixodbc-dev': 'unixodbc',
  'libkrb5-dev': 'libkrb5-3',
  'libsodium-dev': 'libsodium23',
  'libopenblas-dev': 'libopenblas0',
  'libblas-dev': 'libblas3',
  'liblapack-dev': 'liblapack3',
  'libproj-dev': 'libproj25',
  'libpcre3-dev': 'libpcre3',
  'libpcre2-dev': 'libpcre2-8-0',
  'libglib2.0-dev': 'libglib2.0-0',
  'libevent-dev': 'libevent-2.1-7',
  'libuv1-dev': 'libuv1',
  'libsnappy-dev': 'libsnappy1v5',
  'libgeos++-dev': 'libgeos3.11.1',
};

/** -dev packages whose runtime half the table above does not know (the runtime may need it; said in a comment). */
export function unmappedDevPackages(packages: readonly string[]): string[] {
  return packages.map((p) => p.replace(/[=:].*$/, '')).filter((p) => /^lib.+-dev$/.test(p) && !lookup(RUNTIME_OF_DEV, p) && !/^(?:libc6|libc|linux-libc|libstdc\+\+|libgcc)/.test(p));
}

/** Packages that `apt-get install` lines of a RUN install (flags left out). */
export function aptPackages(command: string): string[] {
  const out: string[] = [];
  for (const m of command.matchAll(/\bapt(?:-get)?\s+(?:-\S+\s+)*install\b([^&;|]*)/g)) {
    for (const word of m[1].trim().split(/\s+/)) if (word && !word.startsWith('-') && !word.startsWith('$')) out.push(word.replace(/\\$/, ''));
  }
  return out.filter(Boolean);
}

/** Packages that `apk add` lines of a RUN install. */
export function apkPackages(command: string): string[] {
  const out: string[] = [];
  for (const m of command.matchAll(/\bapk\s+add\b([^&;|]*)/g)) {
    const words = m[1].trim().split(/\s+/);
    // `--virtual .build-deps` names a group of build-only packages that a later `apk del` removes.
    if (words.includes('--virtual') || words.includes('-t')) continue;
    for (const word of words) if (word && !word.startsWith('-') && !word.startsWith('$')) out.push(word);
  }
  return out;
}

/** Alpine: the runtime half of `foo-dev` is `foo`; compilers and build tools stay behind. */
export function runtimeApkPackages(packages: readonly string[]): string[] {
  const out = new Set<string>();
  for (const pkg of packages) {
    const bare = pkg.replace(/[=<>~].*$/, '');
    if (/-dev$/.test(bare)) out.add(bare.replace(/-dev$/, ''));
    else if (!isToolchainPackage(bare)) out.add(bare);
  }
  return [...out];
}

/** What the runtime needs from the builder's OS packages: runtime halves of -dev packages, non-toolchain ones. */
export function runtimePackages(packages: readonly string[]): string[] {
  const out = new Set<string>();
  for (const pkg of packages) {
    const bare = pkg.replace(/[=:].*$/, '');
    const runtime = lookup(RUNTIME_OF_DEV, bare);
    if (runtime) out.add(runtime);
    else if (!isToolchainPackage(bare)) out.add(pkg);
  }
  return [...out];
}

/** Compilers and headers: installing them means the stage compiles something. */
const COMPILER_PACKAGE = /^(?:build-essential|build-base|gcc(?:-[\d.]+)?|g\+\+(?:-[\d.]+)?|make|cmake|clang|ninja-build|autoconf|automake|libtool|musl-dev|gfortran)$|-(?:dev|devel)$/;

export function installsToolchainPackages(command: string): boolean {
  return aptPackages(command).some((p) => COMPILER_PACKAGE.test(p.replace(/[=:].*$/, ''))) || /\bapk\s+add\b[^&;|]*\b(?:build-base|gcc|g\+\+|make|musl-dev)\b/.test(command);
}

/** Builds that install into system paths (`make install`): nothing says which files are the artifacts. */
export const INSTALLS_INTO_SYSTEM = /\b(?:make|ninja)\b[^&;|]*\binstall\b|\bcmake\s+--install\b/;
