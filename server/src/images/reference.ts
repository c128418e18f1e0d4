// Image references as Docker reads them: "node:20", "ghcr.io/org/app@sha256:…", "localhost:5000/x".
// Pure string work, shared by the registry client, the caches and the variant table.

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

const DOCKER_HUB = 'docker.io';
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/** Whether the first path component names a registry host rather than a Docker Hub namespace. */
function isRegistryHost(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost';
}

/** Parses a reference; undefined when it is not one Docker would accept (variables, typos, empty). */
export function parseImageReference(raw: string): ImageReference | undefined {
  const text = raw.trim();
  if (!text || /[\s$]/.test(text)) return undefined;
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  const parts = rest.split('/');
  let registry = DOCKER_HUB;
  if (parts.length > 1 && isRegistryHost(parts[0])) registry = parts.shift()!.toLowerCase();
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DOCKER_HUB;
  if (parts.length === 0 || !parts.every((p) => PATH_COMPONENT.test(p))) return undefined;
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
