// Ecosystems detected from the build context, and what each one leaves in a context folder that never
// belongs in an image (the .dockerignore entries Multistage proposes).
import type { ContextFiles } from '../types';

export type Ecosystem = 'node' | 'go' | 'python' | 'java' | 'rust' | 'dotnet' | 'ruby' | 'php';

interface EcosystemInfo {
  /** Files at the context root that identify the ecosystem. */
  markers: readonly string[];
  /** Marker file-name patterns (for names like `App.csproj`). */
  markerPatterns?: readonly RegExp[];
  /** .dockerignore entries for this ecosystem's local dependencies, caches and build outputs. */
  ignore: readonly string[];
}

export const ECOSYSTEMS: Readonly<Record<Ecosystem, EcosystemInfo>> = {
  // `**/` where monorepos nest the folder: a bare name only matches at the context root in Docker.
  node: { markers: ['package.json'], ignore: ['**/node_modules', '**/npm-debug.log*', '**/yarn-error.log*', '.npm', 'coverage', '.next/cache'] },
  go: { markers: ['go.mod'], ignore: ['*.test', '*.out', 'vendor/**/testdata'] },
  python: {
    markers: ['requirements.txt', 'pyproject.toml', 'Pipfile', 'setup.py', 'setup.cfg', 'poetry.lock', 'uv.lock'],
    ignore: ['**/__pycache__', '**/*.py[cod]', '.venv', 'venv', '.pytest_cache', '.mypy_cache', '.ruff_cache', '.tox', '**/*.egg-info'],
  },
  java: { markers: ['pom.xml', 'build.gradle', 'build.gradle.kts', 'settings.gradle', 'settings.gradle.kts'], ignore: ['target', 'build', '.gradle'] },
  rust: { markers: ['Cargo.toml'], ignore: ['target'] },
  dotnet: { markers: [], markerPatterns: [/\.(csproj|fsproj|vbproj|sln)$/], ignore: ['bin', 'obj', '*.user'] },
  ruby: { markers: ['Gemfile'], ignore: ['.bundle', 'vendor/bundle', '/log/*', '/tmp/*'] },
  php: { markers: ['composer.json'], ignore: ['vendor'] },
};

/** Entries every context should exclude: VCS data, local secrets, editor folders, Docker's own files. */
export const COMMON_IGNORES: readonly string[] = ['.git', '.env', '.env.*', '!.env.example', '*.log', '.DS_Store', '.vscode', '.idea', 'Dockerfile*', '*.Dockerfile', '.dockerignore', 'docker-compose*.yml', 'compose*.yaml'];

/** Ecosystems whose marker files are at the context root, in a stable order. */
export function detectEcosystems(context: ContextFiles): Ecosystem[] {
  const names = context.list('');
  const found: Ecosystem[] = [];
  for (const [ecosystem, info] of Object.entries(ECOSYSTEMS) as [Ecosystem, EcosystemInfo][]) {
    if (info.markers.some((m) => names.includes(m)) || info.markerPatterns?.some((p) => names.some((n) => p.test(n)))) found.push(ecosystem);
  }
  return found;
}

/** A .dockerignore that fits the context: the common entries, then each ecosystem's. */
export function dockerignoreTemplate(ecosystems: readonly Ecosystem[]): string[] {
  const lines = ['# Created by Multistage: keeps the build context small and local files out of images.', ...COMMON_IGNORES];
  for (const ecosystem of ecosystems) {
    lines.push('', `# ${ecosystem}`);
    for (const entry of ECOSYSTEMS[ecosystem].ignore) if (!lines.includes(entry)) lines.push(entry);
  }
  return lines;
}
