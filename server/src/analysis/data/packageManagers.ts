// What Multistage knows about package managers, in one place: how their install commands look, which
// files they need, where they keep caches, how those caches are cleaned, and where BuildKit cache
// mounts should point. Rules read these tables; they hold no package-manager knowledge of their own.

/** Options that take a separate value, per tool, so `apt-get -o X=1 install` finds `install`. */
export const OPTIONS_WITH_VALUES: ReadonlyMap<string, ReadonlySet<string>> = new Map<string, ReadonlySet<string>>([
  ['apt-get', new Set(['-o', '--option', '-c', '--config-file', '-t', '--target-release', '--default-release'])],
  ['apt', new Set(['-o', '--option', '-c', '--config-file', '-t', '--target-release'])],
  ['apk', new Set(['-X', '--repository', '-p', '--root', '--repositories-file', '--keys-dir', '--arch', '--cache-dir', '-t', '--virtual'])],
  ['npm', new Set(['--prefix', '-w', '--workspace', '--omit', '--include', '--registry', '--cache', '--userconfig', '-C'])],
  ['yarn', new Set(['--cwd', '--modules-folder', '--cache-folder', '--registry', '--network-timeout', '--mutex'])],
  ['pnpm', new Set(['-C', '--dir', '--filter', '-F', '--store-dir', '--registry', '--reporter'])],
  ['pip', new Set(['-r', '--requirement', '-c', '--constraint', '-i', '--index-url', '--extra-index-url', '-f', '--find-links', '-t', '--target', '--prefix', '--root', '--cache-dir', '--trusted-host', '--platform', '--python-version', '--only-binary', '--no-binary', '-e', '--editable', '--log', '--timeout', '--retries', '--progress-bar', '--upgrade-strategy'])],
  ['dnf', new Set(['--setopt', '--releasever', '--installroot', '--enablerepo', '--disablerepo', '-c', '--config', '--exclude', '-x', '--repo', '--repoid', '--forcearch', '-d', '--debuglevel', '-e', '--errorlevel', '--color', '--comment', '--advisory', '--advisories', '--cve', '--bz', '--sec-severity'])],
  ['dnf5', new Set(['--setopt', '--releasever', '--installroot', '--enable-repo', '--disable-repo', '--enablerepo', '--disablerepo', '-c', '--config', '--exclude', '-x', '--repo', '--forcearch', '--use-host-config', '--comment', '--advisories', '--cve'])],
  ['tdnf', new Set(['--setopt', '--releasever', '--installroot', '--enablerepo', '--disablerepo', '-c', '--config', '--exclude'])],
  ['yum', new Set(['--setopt', '--releasever', '--installroot', '--enablerepo', '--disablerepo', '-c', '--config', '--exclude', '-x'])],
  ['microdnf', new Set(['--setopt', '--releasever', '--installroot', '--enablerepo', '--disablerepo', '--config', '--exclude'])],
  ['zypper', new Set(['--root', '-R', '--reposd-dir', '-D', '--cache-dir', '-C', '--raw-cache-dir', '--solv-cache-dir', '--pkg-cache-dir', '--config', '-c', '--userdata', '--plus-repo', '-p', '--plus-content'])],
  ['go', new Set(['-o', '-C', '-ldflags', '-gcflags', '-tags', '-mod', '-modfile', '-p', '-asmflags', '-buildmode', '-pkgdir', '-toolexec', '-trimpath=false'])],
  ['cargo', new Set(['--manifest-path', '--target', '--target-dir', '-p', '--package', '--features', '-F', '--bin', '--profile', '-j', '--jobs', '--config', '-Z'])],
  ['gem', new Set(['-v', '--version', '-i', '--install-dir', '-n', '--bindir', '--source'])],
  ['bundle', new Set(['--gemfile', '--jobs', '-j', '--retry', '--path', '--without', '--with'])],
]);

/** OS package managers: install subcommands, the cleanup that empties their caches, and those caches. */
export interface OsPackageManager {
  tools: readonly string[];
  installSubcommands: readonly string[];
  /** The command appended by the quick fix of `package-cache-kept`, for the tool the RUN used. */
  cleanCommand: (tool: string) => string;
  /** Commands (tool + subcommand) that empty the cache. */
  cleanSubcommands: readonly string[];
  /** Cache folders: removing one of these with rm in the same RUN also counts as cleanup. */
  cacheDirs: readonly string[];
  /** Flags that keep the cache out of the layer in the first place. */
  noCacheFlags: readonly string[];
  cacheMountTargets: readonly string[];
  /** Where each tool name may keep its cache, when that differs by tool (else cacheMountTargets). */
  cacheDirsByTool?: Readonly<Record<string, readonly string[]>>;
}

/**
 * dnf (4 and 5), yum, microdnf and tdnf: every command that downloads metadata or packages into the
 * cache, under every name their documentation gives it (dnf(8) "Commands" with their aliases, dnf5's
 * compatibility aliases, yum(8), microdnf --help). `group install`/`module install` are two words:
 * see DNF_TWO_WORD_INSTALLS.
 */
export const DNF_LIKE: OsPackageManager = {
  tools: ['dnf', 'dnf5', 'dnf-3', 'yum', 'microdnf', 'tdnf'],
  installSubcommands: [
    'install', 'in', 'localinstall', 'reinstall', 'rei',
    'upgrade', 'up', 'update', 'upgrade-to', 'update-to', 'localupdate',
    'upgrade-minimal', 'up-min', 'update-minimal',
    'distro-sync', 'distrosync', 'distribution-synchronization', 'dsync',
    'downgrade', 'dg', 'swap', 'groupinstall', 'groupupdate', 'builddep', 'build-dep',
    'makecache', 'mc',
  ],
  cleanCommand: (tool) => `${tool} clean all`,
  cleanSubcommands: ['clean'],
  // dnf 4: /var/cache/dnf; dnf5: /var/cache/libdnf5; yum and microdnf (libdnf on RHEL 8): /var/cache/yum.
  cacheDirs: ['/var/cache/dnf', '/var/cache/libdnf5', '/var/cache/yum', '/var/cache/tdnf'],
  noCacheFlags: [],
  cacheMountTargets: ['/var/cache/dnf', '/var/cache/libdnf5', '/var/cache/yum', '/var/cache/tdnf'],
  // `dnf` is dnf 4 or (Fedora 41+) dnf 5; `yum` is dnf 4 on RHEL 8+; microdnf is libdnf-based.
  cacheDirsByTool: {
    dnf: ['/var/cache/dnf', '/var/cache/libdnf5'],
    'dnf-3': ['/var/cache/dnf'],
    dnf5: ['/var/cache/libdnf5'],
    yum: ['/var/cache/yum', '/var/cache/dnf'],
    microdnf: ['/var/cache/yum', '/var/cache/dnf', '/var/cache/libdnf5'],
    tdnf: ['/var/cache/tdnf'],
  },
};

/** `dnf group install x`, `dnf module install x`, `dnf groups upgrade`: the second word installs. */
export const DNF_TWO_WORD_INSTALLS: Readonly<Record<string, readonly string[]>> = {
  group: ['install', 'upgrade', 'update', 'mark-install'],
  groups: ['install', 'upgrade', 'update'],
  module: ['install', 'update', 'upgrade', 'enable', 'switch-to'],
};

/** zypper(8): commands that fetch metadata or packages, with their documented short forms. */
export const ZYPPER: OsPackageManager = {
  tools: ['zypper'],
  installSubcommands: ['install', 'in', 'install-new-recommends', 'inr', 'update', 'up', 'dist-upgrade', 'dup', 'patch', 'source-install', 'si', 'verify', 've', 'refresh', 'ref'],
  cleanCommand: () => 'zypper clean --all',
  cleanSubcommands: ['clean', 'cc'],
  cacheDirs: ['/var/cache/zypp'],
  noCacheFlags: [],
  cacheMountTargets: ['/var/cache/zypp'],
};

export const APT = {
  tools: ['apt-get', 'apt', 'aptitude'] as readonly string[],
  // apt-get(8), apt(8) and aptitude(8): everything that downloads packages with the lists in place.
  installSubcommands: ['install', 'reinstall', 'upgrade', 'dist-upgrade', 'full-upgrade', 'safe-upgrade', 'build-dep', 'satisfy'] as readonly string[],
  /** Index files that `apt-get update` writes; removing them is the cleanup that matters most. */
  listsDir: '/var/lib/apt/lists',
  listsCleanup: 'rm -rf /var/lib/apt/lists/*',
  /** apt ≥ 2.7 (Debian 13): `apt-get dist-clean` also removes the lists; `apt-get clean` does not. */
  listsCleanupSubcommands: ['dist-clean', 'distclean'] as readonly string[],
  archivesDir: '/var/cache/apt/archives',
  noRecommendsFlag: '--no-install-recommends',
  /** Ways of turning recommends off other than the flag. */
  noRecommendsOptions: ['APT::Install-Recommends=false', 'APT::Install-Recommends=0', 'APT::Install-Recommends="false"', 'APT::Install-Recommends=no'],
  cacheMountTargets: ['/var/cache/apt', '/var/lib/apt', '/var/lib/apt/lists'],
};

export const APK = {
  tools: ['apk'] as readonly string[],
  /** apk(8): `add`, `upgrade` and `fix` fetch the index (and packages) unless --no-cache is given. */
  installSubcommands: ['add', 'upgrade', 'fix'] as readonly string[],
  noCacheFlag: '--no-cache',
  cacheDirs: ['/var/cache/apk', '/etc/apk/cache'] as readonly string[],
  cacheMountTargets: ['/var/cache/apk', '/etc/apk/cache'] as readonly string[],
};

export type LanguageManagerId = 'npm' | 'yarn' | 'pnpm' | 'bun' | 'pip' | 'poetry' | 'uv' | 'pipenv' | 'go' | 'maven' | 'gradle' | 'cargo' | 'bundler' | 'composer' | 'dotnet';

/** Language package managers: what an install needs from the context, and where caches go. */
export interface LanguageManager {
  id: LanguageManagerId;
  /** Files that declare dependencies (needed by the install). */
  manifests: readonly string[];
  lockfiles: readonly string[];
  /** Cache folders in the image (for `package-cache-kept` / `prefer-cache-mount`). */
  cacheDirs: readonly string[];
  /** Suggested cache-mount target for `prefer-cache-mount`. */
  cacheMountTarget?: string;
  /** The command that empties the cache, appended by `package-cache-kept`'s fix. */
  cleanCommand?: string;
}

export const LANGUAGE_MANAGERS: Readonly<Record<LanguageManagerId, LanguageManager>> = {
  npm: { id: 'npm', manifests: ['package.json'], lockfiles: ['package-lock.json', 'npm-shrinkwrap.json'], cacheDirs: ['/root/.npm/_cacache', '/root/.npm', '~/.npm', '$HOME/.npm'], cacheMountTarget: '/root/.npm', cleanCommand: 'npm cache clean --force' },
  yarn: { id: 'yarn', manifests: ['package.json'], lockfiles: ['yarn.lock', '.yarnrc.yml', '.yarnrc'], cacheDirs: ['/usr/local/share/.cache/yarn', '/root/.cache/yarn', '~/.cache/yarn', '/root/.yarn/berry/cache'], cacheMountTarget: '/usr/local/share/.cache/yarn', cleanCommand: 'yarn cache clean' },
  pnpm: { id: 'pnpm', manifests: ['package.json'], lockfiles: ['pnpm-lock.yaml', 'pnpm-workspace.yaml'], cacheDirs: ['/root/.local/share/pnpm/store', '/root/.pnpm-store', '/pnpm/store', '/root/.cache/pnpm'], cacheMountTarget: '/root/.local/share/pnpm/store', cleanCommand: 'pnpm store prune' },
  bun: { id: 'bun', manifests: ['package.json'], lockfiles: ['bun.lockb', 'bun.lock'], cacheDirs: ['/root/.bun/install/cache'], cacheMountTarget: '/root/.bun/install/cache' },
  pip: { id: 'pip', manifests: ['requirements.txt', 'pyproject.toml', 'setup.py', 'setup.cfg'], lockfiles: [], cacheDirs: ['/root/.cache/pip', '~/.cache/pip', '$HOME/.cache/pip'], cacheMountTarget: '/root/.cache/pip' },
  poetry: { id: 'poetry', manifests: ['pyproject.toml'], lockfiles: ['poetry.lock', 'poetry.toml'], cacheDirs: ['/root/.cache/pypoetry'], cacheMountTarget: '/root/.cache/pypoetry' },
  uv: { id: 'uv', manifests: ['pyproject.toml', 'requirements.txt'], lockfiles: ['uv.lock'], cacheDirs: ['/root/.cache/uv'], cacheMountTarget: '/root/.cache/uv' },
  pipenv: { id: 'pipenv', manifests: ['Pipfile'], lockfiles: ['Pipfile.lock'], cacheDirs: ['/root/.cache/pipenv'], cacheMountTarget: '/root/.cache/pip' },
  go: { id: 'go', manifests: ['go.mod'], lockfiles: ['go.sum', 'go.work', 'go.work.sum'], cacheDirs: ['/go/pkg/mod', '/root/.cache/go-build'], cacheMountTarget: '/go/pkg/mod' },
  maven: { id: 'maven', manifests: ['pom.xml'], lockfiles: ['.mvn', 'mvnw'], cacheDirs: ['/root/.m2'], cacheMountTarget: '/root/.m2' },
  gradle: { id: 'gradle', manifests: ['build.gradle', 'build.gradle.kts', 'settings.gradle', 'settings.gradle.kts'], lockfiles: ['gradle.properties', 'gradle', 'gradlew', 'gradle.lockfile'], cacheDirs: ['/root/.gradle', '/home/gradle/.gradle'], cacheMountTarget: '/root/.gradle' },
  cargo: { id: 'cargo', manifests: ['Cargo.toml'], lockfiles: ['Cargo.lock'], cacheDirs: ['/usr/local/cargo/registry', '/usr/local/cargo/git', '/root/.cargo/registry', '/root/.cargo/git'], cacheMountTarget: '/usr/local/cargo/registry' },
  bundler: { id: 'bundler', manifests: ['Gemfile'], lockfiles: ['Gemfile.lock'], cacheDirs: ['/usr/local/bundle/cache', '/root/.bundle/cache', '/root/.local/share/gem'], cacheMountTarget: '/usr/local/bundle/cache' },
  composer: { id: 'composer', manifests: ['composer.json'], lockfiles: ['composer.lock'], cacheDirs: ['/root/.composer/cache', '/root/.cache/composer', '/tmp/cache'], cacheMountTarget: '/root/.composer/cache' },
  dotnet: { id: 'dotnet', manifests: ['*.csproj', '*.fsproj', '*.vbproj', '*.sln'], lockfiles: ['packages.lock.json', 'nuget.config', 'NuGet.Config', 'Directory.Build.props', 'Directory.Packages.props'], cacheDirs: ['/root/.nuget/packages'], cacheMountTarget: '/root/.nuget/packages' },
};

/**
 * npm's install and ci commands under every name npm accepts (lib/utils/cmd-list.js: aliases,
 * abbreviations and the typos it forgives), plus install-test/install-ci-test, which install too.
 */
export const NPM_INSTALL_ALIASES: readonly string[] = [
  'install', 'add', 'i', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal', 'isntall',
  'ci', 'clean-install', 'ic', 'install-clean', 'isntall-clean',
  'install-test', 'it', 'install-ci-test', 'cit', 'clean-install-test', 'sit',
];
export const NPM_UPDATE_ALIASES: readonly string[] = ['update', 'up', 'upgrade', 'udpate'];

/** JS installs: subcommands that install dependencies, and the flag that leaves dev ones out. */
export const JS_INSTALLS: Readonly<Record<'npm' | 'yarn' | 'pnpm' | 'bun', { subcommands: readonly string[]; omitDevFix: string; omitDevFlags: readonly string[] }>> = {
  npm: { subcommands: NPM_INSTALL_ALIASES, omitDevFix: '--omit=dev', omitDevFlags: ['--production', '--only=production', '--only=prod', '--omit=dev', '--prod'] },
  yarn: { subcommands: ['install'], omitDevFix: '--production', omitDevFlags: ['--production', '--prod', '--production=true'] },
  pnpm: { subcommands: ['install', 'i'], omitDevFix: '--prod', omitDevFlags: ['--prod', '-P', '--production'] },
  bun: { subcommands: ['install', 'i'], omitDevFix: '--production', omitDevFlags: ['--production', '-p'] },
};

/** Env values that make JS package managers skip dev dependencies. */
export const JS_PRODUCTION_ENV: Readonly<Record<string, readonly string[]>> = {
  NODE_ENV: ['production'],
  NPM_CONFIG_PRODUCTION: ['true', '1'],
  npm_config_production: ['true', '1'],
  NPM_CONFIG_OMIT: ['dev'],
  npm_config_omit: ['dev'],
  YARN_PRODUCTION: ['true', '1'],
};

/** Env that keeps pip's cache out of the layer. */
export const PIP_NO_CACHE_ENV: Readonly<Record<string, (value: string) => boolean>> = {
  // pip reads PIP_NO_CACHE_DIR through its boolean parser: "off"/"false"/"0" also disable the cache
  // (a historical quirk), so any value counts.
  PIP_NO_CACHE_DIR: () => true,
};

/** Python requirement files that only development needs. */
export const DEV_REQUIREMENTS = /(^|\/)(requirements[-_.]?(dev|test|tests|testing|lint|ci|docs)|dev[-_]requirements|test[-_]requirements)[^/]*\.(txt|in)$/i;

/** npm and yarn caches: which subcommands fill them, how they are emptied, what relocates them. */
export const JS_CACHES = {
  npm: {
    fillingSubcommands: [...NPM_INSTALL_ALIASES, ...NPM_UPDATE_ALIASES],
    cachePath: /(^|\/)\.npm(\/|$)|_cacache/,
    cleanCommand: 'npm cache clean --force',
    mountTargets: ['/root/.npm/_cacache'],
    relocatingEnv: ['npm_config_cache', 'NPM_CONFIG_CACHE'],
    relocatingFlags: ['--cache'],
  },
  yarn: {
    // `yarn` alone also installs: see isYarnInstall().
    fillingSubcommands: ['install', 'add', 'global', 'upgrade', 'up', 'upgrade-interactive', 'dlx'],
    cachePath: /\.cache\/yarn|\.yarn\/cache|\.yarn\/berry\/cache|yarn-cache|\.yarn-cache/,
    cleanCommand: 'yarn cache clean',
    // Classic as root in the node images: /usr/local/share/.cache/yarn; elsewhere ~/.cache/yarn; berry ~/.yarn/berry/cache.
    mountTargets: ['/usr/local/share/.cache/yarn', '/root/.cache/yarn', '/root/.yarn/berry/cache'],
    relocatingEnv: ['YARN_CACHE_FOLDER', 'yarn_cache_folder'],
    relocatingFlags: ['--cache-folder'],
  },
} as const;

/** A final stage that runs a development server or is named for development needs its dev dependencies. */
export const DEV_SERVER_COMMAND = /\b(ng\s+serve|nodemon|vite(\s+dev)?$|next\s+dev|webpack(-dev-server|\s+serve)|react-scripts\s+start|vue-cli-service\s+serve|(npm|yarn|pnpm|bun)\s+(run\s+)?(dev|serve|watch|test|start:dev)\b)/;
export const DEV_STAGE_NAME = /^(dev|develop|development|dev-envs?|devcontainer|test|tests|testing|ci|debug)$/i;

/**
 * pip parses options with optparse, which accepts any unambiguous prefix of a long option: `--no-cache`
 * means `--no-cache-dir`. These are all the spellings that turn the cache off.
 */
export const PIP_NO_CACHE_FLAGS: readonly string[] = ['--no-cache-dir', '--no-cache-di', '--no-cache-d', '--no-cache-', '--no-cache'];
