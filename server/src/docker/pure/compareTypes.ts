// Plain data that build-and-compare produces. The CLI prints it (`compare --json`), the results panel
// renders it and "Save JSON" writes it, so it holds only JSON values: no functions, no class instances.
import type { BehaviourReport } from './behaviourTypes';
import type { XrayReport } from '../../xray/types';

export type Side = 'before' | 'after';

/** One entry of `docker history`, oldest first, mapped back to the Dockerfile when it can be. */
export interface LayerRow {
  /** The history's CREATED BY text (untrusted: escape before display). */
  createdBy: string;
  sizeBytes: number;
  /** False for metadata-only entries (ENV, CMD, …) that add no filesystem layer. */
  hasFilesystemLayer: boolean;
  /** 1-based line of the Dockerfile instruction that made this layer, when known. */
  line?: number;
  /** The instruction keyword (RUN, COPY, …), when known. */
  instruction?: string;
  /** The mapped Dockerfile instruction as written (whitespace collapsed), when known. */
  source?: string;
  /** True for entries inherited from the base image (mapped to the FROM line). */
  fromBaseImage: boolean;
}

export type SmokeOutcome =
  | { kind: 'exited'; exitCode: number; seconds: number; logTail: string[] }
  | { kind: 'still-running'; seconds: number; logTail: string[] }
  | { kind: 'failed-to-start'; message: string };

export interface ImageReport {
  /** How the Dockerfile is named to the user: a workspace-relative path, or "Dockerfile @ HEAD". */
  dockerfile: string;
  /** Local path of the Dockerfile, when the side is a file on disk (click → reveal line). */
  dockerfilePath?: string;
  imageId: string;
  /** The temporary tag, when the image was kept (`multistage.compare.keepImages`). */
  keptTag?: string;
  target?: string;
  /** The base image of the built stage as written in FROM (ARGs resolved), when known. */
  baseImage?: string;
  /** `docker image inspect` .Size. */
  sizeBytes: number;
  /** Filesystem layers (RootFS.Layers). */
  layers: number;
  buildSeconds: number;
  history: LayerRow[];
  smoke?: SmokeOutcome;
  /** The image X-ray (bytes and wasted bytes per layer and Dockerfile line), when one was asked for. */
  xray?: XrayReport;
  /** Why the X-ray asked for could not be made (the comparison itself succeeded). */
  xrayError?: string;
}

export interface CompareResult {
  before: ImageReport;
  after: ImageReport;
  /** before.sizeBytes - after.sizeBytes: positive when "after" is smaller. */
  savedBytes: number;
  /** savedBytes relative to before, in percent with one decimal; 0 when before is empty. */
  savedPercent: number;
  /** ISO time the comparison finished. */
  finishedAt: string;
  /** Whether the builds ran with BuildKit or the legacy builder. */
  builder: 'buildkit' | 'legacy';
  /** What both images did when run and asked the same requests (absent when the check was turned off). */
  behaviour?: BehaviourReport;
}

export type CompareFailureKind = 'cli-missing' | 'daemon-unreachable' | 'build-failed' | 'cancelled' | 'docker-error';

export interface CompareFailure {
  kind: CompareFailureKind;
  /** The side whose build failed, when one did. */
  side?: Side;
  /** One sentence a person can act on. */
  message: string;
  /** The last lines of the failing build or command. */
  lastLines: string[];
  /** How far each side's build got, when the builds ran (for `--json`, which reports a failure too). */
  builds?: Record<Side, SideBuild>;
}

export interface SideBuild {
  dockerfile: string;
  /** 'stopped': cancelled, or stopped because the other side failed. */
  build: 'succeeded' | 'failed' | 'stopped';
  exitCode?: number;
}

export type CompareOutcome = { ok: true; result: CompareResult } | { ok: false; failure: CompareFailure };

export function savings(beforeBytes: number, afterBytes: number): { savedBytes: number; savedPercent: number } {
  const savedBytes = beforeBytes - afterBytes;
  const savedPercent = beforeBytes > 0 ? Math.round((savedBytes / beforeBytes) * 1000) / 10 : 0;
  return { savedBytes, savedPercent };
}
