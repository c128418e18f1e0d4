// Which runtime image the split puts under the artifacts, and how to become a non-root user there.
// Every choice keeps the language version of the builder image; `auto` keeps its C library too.
import { imageName, parseImageRef } from '../imageReference';
import { lookup } from '../data/lookup';
import type { RuntimeFlavor } from '../settings';

export type { RuntimeFlavor };

/** How a runtime base provides a non-root user. */
export type UserFamily = 'debian' | 'alpine' | 'distroless' | 'node' | 'dotnet' | 'nginx';

export interface RuntimeImage {
  image: string;
  family: UserFamily;
  /** Package manager of the runtime base, for runtime libraries; 'none' for distroless/scratch. */
  os: 'debian' | 'alpine' | 'none';
  /** A comment line placed above the runtime FROM when the choice deserves an explanation. */
  note?: string;
}

export interface ImageRef {
  /** Everything before the tag: registry and repository path. */
  repository: string;
  /** Last path element of the repository (golang, node, …). */
  name: string;
  tag?: string;
  digest?: string;
}

/** The repository (with registry) and its last path element, from the one reference parser in data/baseImages. */
export function parseImage(ref: string): ImageRef {
  const parsed = parseImageRef(ref);
  const repository = imageName(parsed);
  return { repository, name: repository.slice(repository.lastIndexOf('/') + 1), tag: parsed.tag, digest: parsed.digest };
}

export function isAlpineTag(tag: string | undefined): boolean {
  return !!tag && /(?:^|-)alpine/.test(tag);
}

/** Debian release named in a tag (bookworm, bullseye, …), if any. */
export function debianCodename(tag: string | undefined): string | undefined {
  return /(bookworm|bullseye|buster|trixie)/.exec(tag ?? '')?.[1];
}

const DISTROLESS_DEBIAN: Record<string, string> = { bookworm: 'debian12', bullseye: 'debian11', trixie: 'debian13' };

export function distroless(kind: string, codename = 'bookworm', nonroot = true): string {
  return `gcr.io/distroless/${kind}-${lookup(DISTROLESS_DEBIAN, codename) ?? 'debian12'}${nonroot ? ':nonroot' : ''}`;
}

/**
 * The same image line with a `-slim` (or `-alpine`) variant: `node:20` → `node:20-slim`,
 * `python:3.11-bookworm` → `python:3.11-slim-bookworm`, `node:20.11-bookworm` → `node:20.11-bookworm-slim`.
 */
export function variantTag(repository: string, tag: string | undefined, variant: 'slim' | 'alpine', name: string): string {
  const base = !tag || tag === 'latest' ? (name === 'node' ? 'lts' : '') : tag;
  const cleaned = base.replace(/-(?:slim|alpine[0-9.]*)(?=$|-)/g, '');
  const codename = debianCodename(cleaned);
  if (variant === 'alpine') {
    const version = cleaned.replace(/-?(bookworm|bullseye|buster|trixie)$/, '');
    return `${repository}:${version ? `${version}-alpine` : 'alpine'}`;
  }
  if (!cleaned) return `${repository}:slim`;
  if (codename) {
    // node puts the variant after the release, python before it.
    const version = cleaned.replace(new RegExp(`-?${codename}$`), '');
    if (name === 'node') return `${repository}:${version ? `${version}-` : ''}${codename}-slim`;
    return `${repository}:${version ? `${version}-` : ''}slim-${codename}`;
  }
  return `${repository}:${cleaned}-slim`;
}

export const LIBC_NOTE = (family: string) =>
  `# multistage: runtime on ${family} (musl libc) as multistage.split.runtimeFlavor asks; native modules built on glibc will not load there.`;

/** Lines that give the runtime stage a non-root user, ending with the USER instruction. */
export function nonRootUserLines(family: UserFamily): string[] {
  switch (family) {
    case 'distroless':
      return ['USER nonroot:nonroot'];
    case 'node':
      return ['USER node'];
    case 'dotnet':
      return ['USER app'];
    case 'alpine':
      return ['RUN addgroup -S -g 10001 app && adduser -S -G app -u 10001 app', 'USER app'];
    case 'nginx':
      // The official nginx image starts as root only to bind port 80; its workers run as `nginx`.
      return [];
    case 'debian':
      return ['RUN useradd --system --user-group --uid 10001 --create-home app', 'USER app'];
  }
}

/** Users that exist in a runtime family without being created. */
export function builtInUsers(family: UserFamily): string[] {
  switch (family) {
    case 'distroless':
      return ['nonroot', 'nobody', 'root', '65532'];
    case 'node':
      return ['node', 'root', 'nobody'];
    case 'dotnet':
      return ['app', 'root', 'nobody'];
    case 'nginx':
      return ['nginx', 'root', 'nobody'];
    default:
      return ['root', 'nobody'];
  }
}

/** A generic Debian runtime for binaries built on Debian (glibc) images. */
export function debianSlim(codename = 'bookworm'): RuntimeImage {
  return { image: `debian:${codename}-slim`, family: 'debian', os: 'debian' };
}
