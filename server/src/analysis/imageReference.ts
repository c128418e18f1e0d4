// Image references as Docker reads them: "node:20", "ghcr.io/org/app@sha256:…", "localhost:5000/x". One
// split (splitImageReference: where the registry, path, tag and digest are) read two ways:
// - parseImageRef, for the rules: never fails, so a typo or a variable still gets a name to compare
//   (Docker Hub left implicit, `library/` dropped, lower-cased);
// - parseImageReference, for registry lookups and caches: only what Docker would pull, fully qualified.
// Pure string work.

/** A reference cut where Docker cuts it; the parts as written (a tag or digest may be empty). */
export interface ReferenceParts {
  /** The first path part when it names a host (has `.` or `:`, or is `localhost`), lower-cased. */
  registry?: string;
  /** The repository path without the registry: `node`, `library/node`, `bitnami/redis`. */
  path: string;
  tag?: string;
  digest?: string;
}

/** Splits a reference the way Docker does (a first path part with `.`/`:` or `localhost` is a registry). */
export function splitImageReference(text: string): ReferenceParts {
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let registry: string | undefined;
  const slash = rest.indexOf('/');
  if (slash > 0 && isRegistryHost(rest.slice(0, slash))) {
    registry = rest.slice(0, slash).toLowerCase();
    rest = rest.slice(slash + 1);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { registry, path: rest, tag, digest };
}

/** Whether the first path component names a registry host rather than a Docker Hub namespace. */
function isRegistryHost(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost';
}

const DOCKER_HUB = 'docker.io';

/** Docker Hub under any of its names. */
function isDockerHub(registry: string): boolean {
  return registry === DOCKER_HUB || registry === 'index.docker.io' || registry === 'registry-1.docker.io';
}

export interface ImageRef {
  /** Registry host when written (`gcr.io`, `mcr.microsoft.com`); undefined for Docker Hub. */
  registry?: string;
  /** Repository path without registry and without Docker Hub's `library/` prefix: `node`, `bitnami/redis`. */
  repository: string;
  tag?: string;
  digest?: string;
}

/** The rules' reading: never undefined; Docker Hub left implicit and its `library/` dropped, lower-cased. */
export function parseImageRef(ref: string): ImageRef {
  const parts = splitImageReference(ref.trim());
  const registry = parts.registry !== undefined && !isDockerHub(parts.registry) ? parts.registry : undefined;
  let repository = parts.path.toLowerCase();
  if (!registry && repository.startsWith('library/')) repository = repository.slice('library/'.length);
  return { registry, repository, tag: parts.tag || undefined, digest: parts.digest || undefined };
}

/** `registry/repository` as one comparable name: `node`, `mcr.microsoft.com/dotnet/sdk`. */
export function imageName(ref: ImageRef): string {
  return ref.registry ? `${ref.registry}/${ref.repository}` : ref.repository;
}

export function formatImageRef(ref: ImageRef): string {
  return `${imageName(ref)}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

export interface ImageReference {
  /** Registry as the user knows it: "docker.io", "ghcr.io", "127.0.0.1:5000". */
  registry: string;
  /** Host the distribution API lives on (Docker Hub's API is registry-1.docker.io). */
  apiHost: string;
  /** Repository path inside the registry; Docker Hub's official images live under "library/". */
  repository: string;
  tag?: string;
  digest?: string;
  /** Fully qualified form, used as the cache key: "docker.io/library/node:20". */
  canonical: string;
}

const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/** The lookups' reading: undefined when it is not one Docker would accept (variables, typos, empty). */
export function parseImageReference(raw: string): ImageReference | undefined {
  const text = raw.trim();
  if (!text || /[\s$]/.test(text)) return undefined;
  let { registry = DOCKER_HUB, path, tag, digest } = splitImageReference(text);
  if (digest !== undefined && !DIGEST.test(digest)) return undefined;
  if (tag !== undefined && !TAG.test(tag)) return undefined;
  if (isDockerHub(registry)) registry = DOCKER_HUB;
  const parts = path.split('/');
  if (!parts.every((p) => PATH_COMPONENT.test(p))) return undefined;
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  const repository = parts.join('/');
  if (!tag && !digest) tag = 'latest';
  const apiHost = registry === DOCKER_HUB ? 'registry-1.docker.io' : registry;
  const canonical = `${registry}/${repository}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
  return { registry, apiHost, repository, tag, digest, canonical };
}

/** The short name people write: "node:20" for Docker Hub official images, the full name otherwise. */
export function displayName(ref: ImageReference): string {
  let name = ref.registry === DOCKER_HUB ? ref.repository.replace(/^library\//, '') : `${ref.registry}/${ref.repository}`;
  if (ref.tag) name += `:${ref.tag}`;
  if (ref.digest) name += `@${ref.digest}`;
  return name;
}

/** Registries Docker itself talks plain HTTP to: loopback always, others only when the user says so. */
export function usesPlainHttp(registry: string, insecure: readonly string[]): boolean {
  const host = registry.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host === '127.0.0.1' || host === '::1') return true;
  return insecure.some((entry) => entry.trim().toLowerCase() === registry.toLowerCase());
}

/** An image id as `docker images` shows it: the first 12 hex digits, without `sha256:`. */
export function shortImageId(imageId: string): string {
  return imageId.replace(/^sha256:/, '').slice(0, 12);
}
