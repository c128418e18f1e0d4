// Where hovers, inlay hints and rules get image facts. Order of sources: memory cache → disk cache →
// local Docker → the image's registry → bundled snapshot. `report()` and `knownFacts()` are synchronous
// and never do IO (the diagnostics path uses them); `lookup()` starts the fetches (one per image and
// platform at a time), waits at most the configured time, and answers with whatever is known by then.
// Fetches that finish later announce themselves through onDidLearn, so hints and diagnostics refresh.
import type { ImageSizeReport } from '../analysis/hover';
import type { ImageFacts } from '../analysis/types';
import { FactsCache } from './factsCache';
import type { LocalImageFacts, LocalImageSource } from './localDocker';
import { formatPlatform, type Platform } from './platform';
import { parseImageReference, usesPlainHttp, type ImageReference } from '../analysis/imageReference';
import { RegistryError, type RegistryClient, type RegistryFacts } from './registryClient';
import type { ImageSnapshot } from './snapshot/snapshot';

/**
 * What a document's settings decide about the facts it sees, passed with every question (nothing is left
 * on the service by the last caller): whether registries are asked at all, and which ones over plain HTTP.
 */
export interface FactsQuery {
  /** `multistage.imageSizes.online`: false shows snapshot and local figures only. */
  online: boolean;
  /** `multistage.registries.insecure`. A registry reached over plain HTTP has its own cache entries. */
  insecureRegistries?: readonly string[];
}

export interface LookupSettings extends FactsQuery {
  timeoutMs: number;
  dockerPath?: string;
  /** Ask local Docker too (the image itself: yes; its variants: not worth a CLI run each). */
  includeLocal?: boolean;
}

export interface ImageSizeServiceDeps {
  registry: RegistryClient;
  local?: LocalImageSource;
  snapshot: ImageSnapshot;
  cache: FactsCache<RegistryFacts>;
  now?: () => number;
  /** Background fetches are stopped after this many multiples of the hover timeout. */
  backgroundTimeoutFactor?: number;
  /** Registry lookups running at once; a file with many FROM lines queues the rest. */
  maxConcurrentLookups?: number;
}

/** A counting semaphore: at most `limit` holders, the rest wait in order. */
class LookupSlots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await work();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

type Listener = (canonical: string) => void;

const LOCAL_TTL_MS = 5 * 60_000;

export class ImageSizeService {
  private readonly registryInFlight = new Map<string, Promise<void>>();
  private readonly localInFlight = new Map<string, Promise<void>>();
  private readonly localFacts = new Map<string, { facts?: LocalImageFacts; checkedAt: number }>();
  private readonly listeners = new Set<Listener>();
  private readonly knownByPlatform = new Map<string, ReadonlyMap<string, ImageFacts>>();
  private readonly now: () => number;
  private readonly slots: LookupSlots;
  readonly stats = { registryLookups: 0, localLookups: 0, deduplicated: 0 };

  constructor(private readonly deps: ImageSizeServiceDeps) {
    this.now = deps.now ?? Date.now;
    this.slots = new LookupSlots(deps.maxConcurrentLookups ?? 6);
  }

  onDidLearn(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** What is known right now, without IO. Undefined for text that is not an image reference. */
  report(reference: string, platform: Platform, query: FactsQuery): ImageSizeReport | undefined {
    const ref = parseImageReference(reference);
    if (!ref) return undefined;
    const { online } = query;
    const key = registryKey(ref, platform, query);
    const report: ImageSizeReport = { reference, platform: formatPlatform(platform), online };
    const cached = online ? this.deps.cache.get(key) : undefined;
    if (cached?.value) {
      const v = cached.value;
      report.registry = {
        compressedBytes: v.compressedBytes, layers: v.layers, digest: v.digest, platformDigest: v.platformDigest,
        createdAt: v.createdAt, pushedAt: v.pushedAt, imagePlatform: v.platform, fetchedAt: cached.storedAt, stale: !this.deps.cache.isFresh(cached) || cached.error !== undefined,
      };
    }
    if (cached?.error && this.deps.cache.isFresh(cached)) {
      report.error = cached.error;
      report.unreachable = isUnreachable(cached.error);
    }
    const local = this.localFacts.get(localKey(ref, platform))?.facts;
    if (local) report.local = { uncompressedBytes: local.uncompressedBytes, layers: local.layers, inspectedAt: local.inspectedAt };
    const match = this.deps.snapshot.match(ref.canonical, platform);
    if (match) {
      const s = match.entry;
      report.snapshot = {
        compressedBytes: s.compressedBytes, layers: s.layers, asOf: s.asOf, source: s.source, sourceCommit: s.sourceCommit, approximate: s.approximate,
        date: this.deps.snapshot.date, newestLayerAt: s.newestLayerAt, digest: s.platformDigest ?? s.digest, via: match.via, imagePlatform: s.platform,
      };
    }
    report.pending = this.registryInFlight.has(key) || this.localInFlight.has(localKey(ref, platform));
    return report;
  }

  /**
   * Facts for the rules, keyed by reference as written (any spelling of the same image finds it).
   * Built once per platform and query and reused until something new is learned, so analysis pays nothing.
   */
  knownFacts(platform: Platform, query: FactsQuery): ReadonlyMap<string, ImageFacts> {
    const memoKey = JSON.stringify([formatPlatform(platform), query.online, query.insecureRegistries ?? []]);
    let known = this.knownByPlatform.get(memoKey);
    if (!known) {
      known = new FactsByReference(this, platform, { online: query.online, insecureRegistries: query.insecureRegistries });
      this.knownByPlatform.set(memoKey, known);
    }
    return known;
  }

  /** Starts what is missing, waits up to timeoutMs, then answers with what is known. */
  async lookup(reference: string, platform: Platform, settings: LookupSettings): Promise<ImageSizeReport | undefined> {
    const ref = parseImageReference(reference);
    if (!ref) return undefined;
    const work = this.start(ref, platform, settings);
    if (work) await withDeadline(work, settings.timeoutMs);
    return this.report(reference, platform, settings);
  }

  /** Starts lookups without waiting (inlay hints, prefetch on open). */
  prefetch(reference: string, platform: Platform, settings: LookupSettings): void {
    const ref = parseImageReference(reference);
    if (ref) void this.start(ref, platform, settings);
  }

  private start(ref: ImageReference, platform: Platform, settings: LookupSettings): Promise<void> | undefined {
    const key = registryKey(ref, platform, settings);
    const tasks: Promise<void>[] = [];
    // Registry and local lookups are shared separately: a variant lookup (no local Docker) and the
    // image's own lookup (with it) share the registry request, and each gets what it asked for.
    const inLocal = localKey(ref, platform);
    const local = this.localFacts.get(inLocal);
    if (this.deps.local && settings.includeLocal !== false && (!local || local.checkedAt + LOCAL_TTL_MS < this.now())) {
      tasks.push(this.shared(this.localInFlight, inLocal, () => this.inspectLocal(ref, inLocal, platform, settings)));
    }
    const cached = this.deps.cache.get(key);
    if (settings.online && (!cached || !this.deps.cache.isFresh(cached))) {
      tasks.push(this.shared(this.registryInFlight, key, () => this.slots.run(() => this.fetchRegistry(ref, key, platform, settings, cached?.value?.digest))));
    }
    return tasks.length === 0 ? undefined : Promise.all(tasks).then(() => undefined);
  }

  /** The running lookup for this key, or a new one that removes itself when done. */
  private shared(inFlight: Map<string, Promise<void>>, key: string, begin: () => Promise<void>): Promise<void> {
    const running = inFlight.get(key);
    if (running) {
      this.stats.deduplicated++;
      return running;
    }
    const work = begin().finally(() => inFlight.delete(key));
    inFlight.set(key, work);
    return work;
  }

  private async inspectLocal(ref: ImageReference, key: string, platform: Platform, settings: LookupSettings): Promise<void> {
    this.stats.localLookups++;
    const name = ref.digest ? `${ref.registry}/${ref.repository}@${ref.digest}` : ref.canonical;
    let facts: LocalImageFacts | undefined;
    try {
      facts = await this.deps.local!.inspect(name, platform, { dockerPath: settings.dockerPath, timeoutMs: Math.max(settings.timeoutMs, 1000) });
    } catch {
      facts = undefined; // a local lookup is optional: no Docker simply means no local row
    }
    const before = this.localFacts.get(key)?.facts;
    this.localFacts.set(key, { facts, checkedAt: this.now() });
    if (facts && facts.uncompressedBytes !== before?.uncompressedBytes) this.learned(ref.canonical);
  }

  private async fetchRegistry(ref: ImageReference, key: string, platform: Platform, settings: LookupSettings, knownDigest?: string): Promise<void> {
    this.stats.registryLookups++;
    const controller = new AbortController();
    const limit = settings.timeoutMs * (this.deps.backgroundTimeoutFactor ?? 3);
    const timer = setTimeout(() => controller.abort(), limit);
    try {
      const result = await this.deps.registry.imageFacts(ref, platform, { signal: controller.signal, knownDigest, insecureRegistries: settings.insecureRegistries });
      if (result === 'unchanged') {
        this.deps.cache.renew(key);
        return;
      }
      const before = this.deps.cache.get(key)?.value;
      this.deps.cache.setValue(key, result);
      // Only news is announced: each announcement re-publishes diagnostics of every open document.
      if (!before || before.digest !== result.digest || before.compressedBytes !== result.compressedBytes) this.learned(ref.canonical);
    } catch (error) {
      const message = controller.signal.aborted
        ? `${ref.registry} did not answer within ${limit} ms`
        : error instanceof RegistryError ? error.message : `lookup failed: ${(error as Error)?.message ?? String(error)}`;
      // A failure changes no figure the rules or hints use; the next hover shows it.
      this.deps.cache.setError(key, message);
    } finally {
      clearTimeout(timer);
    }
  }

  private learned(canonical: string): void {
    this.knownByPlatform.clear();
    for (const listener of this.listeners) {
      try {
        listener(canonical);
      } catch {
        // A listener's failure must not stop the others from hearing about the new facts.
      }
    }
  }
}

/** Failures that mean "no network to that registry" (as opposed to an answer that said no). */
function isUnreachable(message: string): boolean {
  return /^cannot reach |did not answer within/.test(message);
}

/** Local Docker's answer depends on the image and platform only. */
function localKey(ref: ImageReference, platform: Platform): string {
  return `${ref.canonical}|${formatPlatform(platform)}`;
}

/**
 * The registry's answer also depends on how it is reached: a registry the document's settings list as
 * insecure is asked over plain HTTP, and that answer (or failure) is not another document's, whose
 * settings say HTTPS. Other keys are the local ones, so the disk cache keeps its entries.
 */
function registryKey(ref: ImageReference, platform: Platform, query: FactsQuery): string {
  const byInsecureSetting = usesPlainHttp(ref.registry, query.insecureRegistries ?? []) && !usesPlainHttp(ref.registry, []);
  return byInsecureSetting ? `${localKey(ref, platform)}|http` : localKey(ref, platform);
}

function withDeadline(work: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    work.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Merges registry (preferred), local and snapshot figures into the flat shape rules read. */
export function factsFromReport(report: ImageSizeReport): ImageFacts | undefined {
  const compressed = report.registry ?? report.snapshot;
  if (!compressed && !report.local) return undefined;
  return {
    compressedBytes: compressed?.compressedBytes,
    digest: report.registry?.digest,
    source: report.registry ? 'registry' : report.snapshot ? 'snapshot' : 'local',
    ...(!report.registry && report.snapshot?.date ? { snapshotDate: report.snapshot.date } : {}),
    layers: report.registry?.layers ?? report.local?.layers ?? report.snapshot?.layers,
    uncompressedBytes: report.local?.uncompressedBytes,
  };
}

/**
 * A read-only map that answers for any spelling of a reference ("node:20", "docker.io/library/node:20").
 * Lookups only: iterating it yields nothing, because the known set is every cache entry, not this file's.
 */
class FactsByReference extends Map<string, ImageFacts> {
  constructor(private readonly service: ImageSizeService, private readonly platform: Platform, private readonly query: FactsQuery) {
    super();
  }

  override get(reference: string): ImageFacts | undefined {
    const report = this.service.report(reference, this.platform, this.query);
    return report ? factsFromReport(report) : undefined;
  }

  override has(reference: string): boolean {
    return this.get(reference) !== undefined;
  }
}
