// The OCI distribution API client: tag → (index → platform manifest) → sum of layer sizes.
// Auth follows the registry's own WWW-Authenticate challenge (anonymous bearer token, or the user's
// Docker credentials when they have some), so Docker Hub, ghcr.io, mcr, gcr, quay and any host:port
// work the same way. Everything goes through `fetch` handed in by the caller, so tests can count calls.
import { createHash } from 'node:crypto';
import { parseChallenges, type AuthChallenge } from './challenge';
import { NO_CREDENTIALS, type CredentialSource } from './credentials';
import type { PushDateSource } from './dockerHubTags';
import { MalformedManifestError, MANIFEST_ACCEPT, layerBytes, parseManifest, pickPlatformEntry, platformsOffered, type ParsedManifest } from './ociManifests';
import { formatPlatform, type Platform } from './platform';
import { usesPlainHttp, type ImageReference } from '../analysis/imageReference';

export interface RegistryFacts {
  /** Digest the tag points at (an index for multi-platform images): what "pin to digest" uses. */
  digest: string;
  /** Digest of the platform's own manifest. */
  platformDigest: string;
  compressedBytes: number;
  layers: number;
  platform: string;
  /** Image creation time (manifest annotation or config), ISO 8601, when the registry offers it. */
  createdAt?: string;
  /** When the tag was last pushed, where the registry offers it (Docker Hub). */
  pushedAt?: string;
}

export type RegistryErrorKind = 'auth' | 'not-found' | 'rate-limited' | 'malformed' | 'no-platform' | 'http' | 'network' | 'too-large';

export class RegistryError extends Error {
  constructor(readonly kind: RegistryErrorKind, message: string) {
    super(message);
  }
}

export interface LookupOptions {
  signal?: AbortSignal;
  /** The digest the tag pointed at last time: when a HEAD shows it unchanged, nothing is downloaded. */
  knownDigest?: string;
  /**
   * `multistage.registries.insecure` of the document asking: registries reached over plain HTTP (loopback
   * always is). Per lookup, because each document has its own settings.
   */
  insecureRegistries?: readonly string[];
}

export interface RegistryClient {
  /** Facts for one platform, or 'unchanged' when the tag still points at `knownDigest`. */
  imageFacts(ref: ImageReference, platform: Platform, options?: LookupOptions): Promise<RegistryFacts | 'unchanged'>;
}

export interface RegistryClientOptions {
  fetch?: typeof fetch;
  credentials?: CredentialSource;
  /** Indexes of a few thousand entries are a few MB; anything past this is not a manifest we read. */
  maxManifestBytes?: number;
  now?: () => number;
  /** Push dates, for registries that offer them outside the distribution API. */
  pushDates?: PushDateSource;
}

/** What fetch itself follows by default (the Fetch standard's limit is 20; registries need one or two). */
const MAX_REDIRECTS = 10;

interface Token {
  header: string;
  expiresAt: number;
}

const USER_AGENT = 'multistage-vscode (image size lookup)';

/** fetch() reports "fetch failed" and hides the reason (ECONNREFUSED, ENOTFOUND, …) in `cause`. */
/** Node's error codes in words a user reads in a hover ("ENOTFOUND" means nothing to most). */
const NETWORK_CODES: Record<string, string> = {
  ENOTFOUND: 'its name does not resolve',
  EAI_AGAIN: 'its name does not resolve right now',
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  ENETUNREACH: 'no network route to it',
  EHOSTUNREACH: 'no network route to it',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed and not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate is not trusted',
};

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.code === 'string') return NETWORK_CODES[cause.code] ?? `network error ${cause.code}`;
  if (cause && typeof cause.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

export class OciRegistryClient implements RegistryClient {
  private readonly fetchImpl: typeof fetch;
  private readonly credentials: CredentialSource;
  private readonly maxBytes: number;
  private readonly now: () => number;
  private readonly pushDates?: PushDateSource;
  /** Authorization header per registry + repository, reused until it expires. */
  private readonly tokens = new Map<string, Token>();
  /** Per registry: no manifest GET before this time (rate limit exhausted or 429). */
  private readonly blockedUntil = new Map<string, number>();
  /** Manifests fetched by digest never change, so one download serves every later lookup. */
  private readonly byDigest = new Map<string, ParsedManifest>();

  constructor(options: RegistryClientOptions = {}) {
    this.fetchImpl = options.fetch ?? fetch;
    this.credentials = options.credentials ?? NO_CREDENTIALS;
    this.maxBytes = options.maxManifestBytes ?? 8_000_000;
    this.now = options.now ?? Date.now;
    this.pushDates = options.pushDates;
  }

  async imageFacts(ref: ImageReference, platform: Platform, options: LookupOptions = {}): Promise<RegistryFacts | 'unchanged'> {
    const reference = ref.digest ?? ref.tag ?? 'latest';
    // Asked in parallel with the manifests; it never fails the lookup.
    const pushedAt = ref.digest ? undefined : this.pushDates?.pushedAt(ref, options.signal).catch(() => undefined);
    let topDigest = ref.digest;
    if (!ref.digest && options.knownDigest) {
      // HEAD does not count against Docker Hub's pull limit; a GET of the tag does.
      const head = await this.request(ref, `manifests/${reference}`, 'HEAD', MANIFEST_ACCEPT, options);
      const digest = head.headers.get('docker-content-digest');
      if (head.ok && digest === options.knownDigest) return 'unchanged';
      if (head.ok && digest) topDigest = digest;
    }
    const top = topDigest && this.byDigest.get(topDigest)
      ? { manifest: this.byDigest.get(topDigest)!, digest: topDigest }
      : await this.getManifest(ref, reference, options);
    let image = top.manifest;
    let platformDigest = top.digest;
    let offered = formatPlatform(platform);
    if (image.kind === 'index') {
      const entry = pickPlatformEntry(image.entries, platform);
      if (!entry) {
        const available = platformsOffered(image.entries);
        throw new RegistryError('no-platform', `no ${formatPlatform(platform)} image (offered: ${available.join(', ') || 'none'})`);
      }
      platformDigest = entry.digest;
      image = this.byDigest.get(entry.digest) ?? (await this.getManifest(ref, entry.digest, options)).manifest;
      if (image.kind !== 'image') throw new RegistryError('malformed', 'an index entry points at another index');
    }
    let createdAt: string | undefined = image.annotations['org.opencontainers.image.created'] ?? top.manifest.annotations['org.opencontainers.image.created'];
    if (image.kind === 'image' && (!createdAt || top.manifest.kind === 'image') && image.config) {
      const config = await this.readConfig(ref, image.config.digest, options);
      createdAt ??= config?.created;
      if (top.manifest.kind === 'image' && config?.os && config.architecture) {
        offered = formatPlatform({ os: config.os, architecture: config.architecture, variant: config.variant });
      }
    }
    return {
      digest: top.digest,
      platformDigest,
      compressedBytes: layerBytes(image as Extract<ParsedManifest, { kind: 'image' }>),
      layers: (image as Extract<ParsedManifest, { kind: 'image' }>).layers.length,
      platform: offered,
      createdAt: typeof createdAt === 'string' && !Number.isNaN(Date.parse(createdAt)) ? createdAt : undefined,
      pushedAt: await pushedAt,
    };
  }

  private async getManifest(ref: ImageReference, reference: string, options: LookupOptions): Promise<{ manifest: ParsedManifest; digest: string }> {
    const blocked = this.blockedUntil.get(ref.apiHost) ?? 0;
    if (blocked > this.now()) {
      throw new RegistryError('rate-limited', `${ref.registry} pull rate limit reached; retrying after ${new Date(blocked).toISOString()}`);
    }
    const response = await this.request(ref, `manifests/${reference}`, 'GET', MANIFEST_ACCEPT, options);
    this.noteRateLimit(ref, response);
    if (!response.ok) throw this.statusError(ref, response, reference);
    const bytes = await this.readCapped(response);
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    if (reference.startsWith('sha256:') && reference !== digest) {
      throw new RegistryError('malformed', `manifest content does not match its digest ${reference.slice(0, 19)}…`);
    }
    let manifest: ParsedManifest;
    try {
      manifest = parseManifest(bytes.toString('utf8'), response.headers.get('content-type'));
    } catch (error) {
      if (error instanceof MalformedManifestError) throw new RegistryError('malformed', error.message);
      throw error;
    }
    if (this.byDigest.size > 2000) this.byDigest.clear();
    this.byDigest.set(digest, manifest);
    return { manifest, digest };
  }

  private async readConfig(ref: ImageReference, digest: string, options: LookupOptions): Promise<{ created?: string; os?: string; architecture?: string; variant?: string } | undefined> {
    try {
      const response = await this.request(ref, `blobs/${digest}`, 'GET', 'application/json, */*', options);
      if (!response.ok) return undefined;
      const json = JSON.parse((await this.readCapped(response)).toString('utf8'));
      return json && typeof json === 'object' ? json : undefined;
    } catch (error) {
      // The creation date is a nice-to-have: sizes stand without it. Aborts still propagate.
      if (options.signal?.aborted) throw error;
      return undefined;
    }
  }

  /** Dockerhub: "ratelimit-remaining: 97;w=21600". At 0 the next GET would be refused, so stop asking. */
  private noteRateLimit(ref: ImageReference, response: Response): void {
    const remaining = response.headers.get('ratelimit-remaining');
    const match = remaining ? /^(\d+)(?:;w=(\d+))?/.exec(remaining) : null;
    if (response.status === 429) {
      const retryAfter = Number(response.headers.get('retry-after'));
      this.blockedUntil.set(ref.apiHost, this.now() + (Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 60_000));
    } else if (match && Number(match[1]) === 0) {
      const windowSeconds = Number(match[2] ?? 3600);
      this.blockedUntil.set(ref.apiHost, this.now() + Math.min(windowSeconds, 3600) * 1000);
    }
  }

  private statusError(ref: ImageReference, response: Response, reference: string): RegistryError {
    if (response.status === 404) return new RegistryError('not-found', `${ref.repository}:${reference} not found on ${ref.registry}`);
    if (response.status === 401 || response.status === 403) return new RegistryError('auth', `${ref.registry} refused access to ${ref.repository} (${response.status})`);
    if (response.status === 429) return new RegistryError('rate-limited', `${ref.registry} rate limit reached (429)`);
    return new RegistryError('http', `${ref.registry} answered ${response.status} for ${ref.repository}:${reference}`);
  }

  private async readCapped(response: Response): Promise<Buffer> {
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > this.maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw new RegistryError('too-large', `manifest of ${declared} bytes is larger than the ${this.maxBytes} bytes read`);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    if (!response.body) return Buffer.alloc(0);
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      total += chunk.byteLength;
      if (total > this.maxBytes) {
        await response.body.cancel().catch(() => undefined);
        throw new RegistryError('too-large', `manifest larger than the ${this.maxBytes} bytes read`);
      }
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  }

  /**
   * fetch with redirects followed here rather than by fetch: blob and token requests are redirected to
   * other hosts (CDNs), and a hop from HTTPS to plain HTTP would send the request, and whatever it
   * carries, in the clear to anyone on the path. Such a hop is refused; credentials never cross origins.
   */
  private async fetchFollowing(start: string, init: { method?: string; headers: Record<string, string>; signal?: AbortSignal }, registry: string): Promise<Response> {
    let url = new URL(start);
    let { method = 'GET' } = init;
    const headers = { ...init.headers };
    for (let hop = 0; ; hop++) {
      const response = await this.fetchImpl(url, { method, headers, signal: init.signal, redirect: 'manual' });
      const location = response.headers.get('location');
      if (![301, 302, 303, 307, 308].includes(response.status) || !location) return response;
      await response.body?.cancel().catch(() => undefined);
      if (hop >= MAX_REDIRECTS) throw new RegistryError('http', `${registry} redirected more than ${MAX_REDIRECTS} times`);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new RegistryError('http', `${registry} redirected to an unusable address`);
      }
      if (next.protocol !== 'https:' && next.protocol !== 'http:') throw new RegistryError('http', `${registry} redirected to a ${next.protocol} address; refused`);
      if (url.protocol === 'https:' && next.protocol === 'http:') {
        throw new RegistryError('http', `${registry} redirected from HTTPS to plain HTTP (${next.origin}); refused, the answer could be read or altered on the way`);
      }
      if (next.origin !== url.origin) delete headers.authorization;
      if (response.status === 303 && method !== 'HEAD') method = 'GET';
      url = next;
    }
  }

  /** One request with auth: a 401 with a challenge is answered once, then the token is reused. */
  private async request(ref: ImageReference, path: string, method: 'GET' | 'HEAD', accept: string, options: LookupOptions): Promise<Response> {
    const { signal, insecureRegistries = [] } = options;
    const scheme = usesPlainHttp(ref.registry, insecureRegistries) ? 'http' : 'https';
    const url = `${scheme}://${ref.apiHost}/v2/${ref.repository}/${path}`;
    const tokenKey = `${ref.apiHost}/${ref.repository}`;
    const send = (authorization?: string) => {
      const headers: Record<string, string> = { accept, 'user-agent': USER_AGENT };
      if (authorization) headers.authorization = authorization;
      return this.fetchFollowing(url, { method, headers, signal }, ref.registry).catch((error: unknown) => {
        if (signal?.aborted || error instanceof RegistryError) throw error;
        throw new RegistryError('network', `cannot reach ${ref.registry}: ${networkReason(error)}`);
      });
    };
    const cached = this.tokens.get(tokenKey);
    let response = await send(cached && cached.expiresAt > this.now() ? cached.header : undefined);
    if (response.status !== 401) return response;
    const challenges = parseChallenges(response.headers.get('www-authenticate'));
    await response.body?.cancel().catch(() => undefined);
    const authorization = await this.answerChallenge(ref, challenges, options);
    if (!authorization) {
      throw new RegistryError('auth', challenges.length === 0
        ? `${ref.registry} answered 401 without an authentication challenge`
        : `${ref.registry} needs credentials for ${ref.repository} (docker login ${ref.registry})`);
    }
    this.tokens.set(tokenKey, authorization);
    response = await send(authorization.header);
    if (response.status === 401) {
      this.tokens.delete(tokenKey);
      throw new RegistryError('auth', `${ref.registry} refused the token for ${ref.repository}`);
    }
    return response;
  }

  private async answerChallenge(ref: ImageReference, challenges: AuthChallenge[], options: LookupOptions): Promise<Token | undefined> {
    const { signal, insecureRegistries = [] } = options;
    const credentials = await this.credentials.forRegistry(ref.registry);
    const basic = credentials ? `Basic ${Buffer.from(`${credentials.username}:${credentials.secret}`).toString('base64')}` : undefined;
    const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm);
    if (bearer) {
      let realm: URL;
      try {
        realm = new URL(bearer.params.realm);
      } catch {
        throw new RegistryError('auth', `${ref.registry} sent an unusable token realm`);
      }
      if (bearer.params.service) realm.searchParams.set('service', bearer.params.service);
      realm.searchParams.set('scope', bearer.params.scope ?? `repository:${ref.repository}:pull`);
      const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: 'application/json' };
      // Credentials go to a token service over HTTPS only, unless it is a registry the user allowed HTTP for.
      const realmSafe = realm.protocol === 'https:' || usesPlainHttp(realm.host, insecureRegistries);
      if (basic && realmSafe) headers.authorization = basic;
      const response = await this.fetchFollowing(realm.toString(), { headers, signal }, ref.registry).catch((error: unknown) => {
        if (signal?.aborted || error instanceof RegistryError) throw error;
        throw new RegistryError('network', `cannot reach the token service of ${ref.registry}`);
      });
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        throw new RegistryError('auth', `the token service of ${ref.registry} answered ${response.status}`);
      }
      let body: { token?: string; access_token?: string; expires_in?: number };
      try {
        body = JSON.parse((await this.readCapped(response)).toString('utf8'));
      } catch {
        throw new RegistryError('auth', `the token service of ${ref.registry} sent no token`);
      }
      const token = body.token ?? body.access_token;
      if (typeof token !== 'string' || !token) throw new RegistryError('auth', `the token service of ${ref.registry} sent no token`);
      // Registries default to 60 s; renew a little early so a token never expires mid-lookup.
      const seconds = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60;
      return { header: `Bearer ${token}`, expiresAt: this.now() + Math.max(seconds - 10, 5) * 1000 };
    }
    if (basic && challenges.some((c) => c.scheme === 'basic')) return { header: basic, expiresAt: this.now() + 3600_000 };
    return undefined;
  }
}
