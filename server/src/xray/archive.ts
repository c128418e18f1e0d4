// The X-ray of one image export: read it in one streaming pass, then replay its layers to measure what
// each added, what of it is hidden later (wasted), dive's efficiency, duplicates and known waste, and tie
// it all to Dockerfile lines. The engine side (xray.ts) feeds it `docker save`'s stdout.
import { readArchiveContents, type ArchiveContents } from './archiveReader';
import { findImage } from './imageLayout';
import { stackLayers } from './layerStack';
import { diveEfficiency } from './diveEfficiency';
import { measureKnownWaste } from './knownWaste';
import { findDuplicates } from './duplicates';
import { layerOrigins, linesOf } from './lineMapping';
import { buildFindings } from './findings';
import type { XrayLayer, XrayReport } from './types';

export { ArchiveError } from './archiveReader';
export { TarFormatError } from './tarStream';

export type ArchiveAnalysis = Omit<XrayReport, 'image' | 'engine' | 'dockerfile' | 'target' | 'analysedAt' | 'seconds'>;

export interface ArchiveAnalysisOptions {
  /** The Dockerfile the image was built from: layers are mapped to its lines. */
  dockerfileText?: string;
  /** The stage that was built (default: the last). */
  target?: string;
  signal?: AbortSignal;
  /** Findings smaller than this are left out (default 10 kB); the per-layer numbers always count everything. */
  minFindingBytes?: number;
}

export const DEFAULT_MIN_FINDING_BYTES = 10_000;

/**
 * Rejects with an ArchiveError or TarFormatError (clear message) when the input is not a readable image
 * export, and with an AbortError when `signal` fires.
 */
export async function analyseImageArchive(
  input: AsyncIterable<Buffer> | NodeJS.ReadableStream,
  options: ArchiveAnalysisOptions = {},
): Promise<ArchiveAnalysis> {
  // The analysis runs as soon as the archive itself is complete, while the engine is still closing its
  // output (`docker save` takes a second or more after its last byte); the result waits for the input's end
  // all the same, and a failure of the input still wins over one of the analysis, as if read first.
  const read = await readArchiveContents(input, options.signal);
  let analysis: ArchiveAnalysis | undefined;
  let failure: unknown;
  try {
    analysis = analyseContents(read.contents, options);
  } catch (error) {
    failure = error;
  }
  await read.rest;
  if (analysis === undefined) throw failure;
  return analysis;
}

function analyseContents(contents: ArchiveContents, options: ArchiveAnalysisOptions): ArchiveAnalysis {
  const image = findImage(contents);
  const stack = stackLayers(image.layers);
  const dive = diveEfficiency(image.layers);
  const origins = layerOrigins(
    image.config,
    image.layers.map((l) => l.addedBytes),
    options.dockerfileText,
    options.target,
  );
  const diffIds = Array.isArray(image.config.rootfs?.diff_ids) ? image.config.rootfs.diff_ids : [];
  const layers: XrayLayer[] = image.layers.map((table, index) => ({
    index,
    ...(typeof diffIds[index] === 'string' ? { diffId: diffIds[index] } : {}),
    createdBy: origins[index].createdBy,
    ...(origins[index].line !== undefined ? { line: origins[index].line } : {}),
    ...(origins[index].instruction !== undefined ? { instruction: origins[index].instruction } : {}),
    fromBaseImage: origins[index].fromBaseImage,
    addedBytes: table.addedBytes,
    entries: table.entries.length,
    wastedBytes: stack.wasted[index],
    hidesBytes: stack.hides[index],
    whiteouts: table.whiteouts,
  }));
  const waste = measureKnownWaste(stack.root, image.layers.map((l) => l.manifests));
  const duplicates = findDuplicates(stack.root);
  const totalBytes = sum(layers.map((l) => l.addedBytes));
  const user = layers.filter((l) => !l.fromBaseImage);
  const userBytes = sum(user.map((l) => l.addedBytes));
  return {
    imageId: image.imageId,
    layout: image.layout,
    totalBytes,
    wastedBytes: sum(layers.map((l) => l.wastedBytes)),
    userWastedRatio: userBytes === 0 ? 0 : sum(user.map((l) => l.wastedBytes)) / userBytes,
    finalBytes: stack.finalBytes,
    efficiency: dive.efficiency,
    diveWastedBytes: dive.wastedBytes,
    layers,
    lines: linesOf(layers),
    findings: buildFindings(layers, stack.hidden, waste, duplicates, options.minFindingBytes ?? DEFAULT_MIN_FINDING_BYTES),
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
