// Which Dockerfile line made each layer. The image config's history has one entry per instruction;
// `empty_layer` marks the ones without a filesystem layer (ENV, CMD, …), so the others pair up with the
// layers in order. The pairing with Dockerfile lines is layerMapping.ts's (the same one Build and
// Compare uses); this module only feeds it the config's history and hands back one origin per layer.
import { mapHistoryToDockerfile } from '../docker/pure/layerMapping';
import type { ImageConfig } from './imageLayout';
import type { XrayLine } from './types';

export interface LayerOrigin {
  createdBy: string;
  line?: number;
  instruction?: string;
  fromBaseImage: boolean;
}

/**
 * @param layerBytes addedBytes per layer (the history's own sizes are not in the config).
 * Without a Dockerfile nothing says where the base image ends; the first layer counts as the base, as in dive.
 */
export function layerOrigins(
  config: ImageConfig,
  layerBytes: readonly number[],
  dockerfileText: string | undefined,
  target: string | undefined,
): LayerOrigin[] {
  const history = (Array.isArray(config.history) ? config.history : []).map((h) => ({
    createdBy: typeof h?.created_by === 'string' ? h.created_by : '',
    sizeBytes: 0,
    hasFilesystemLayer: h?.empty_layer !== true,
  }));
  // History entries with a layer, aligned with the layers from the newest end: an engine that records
  // fewer entries than layers (or more) still gets the recent, user-made layers right.
  const withLayer = history.map((h, i) => ({ h, i })).filter(({ h }) => h.hasFilesystemLayer);
  const historyIndexOfLayer = layerBytes.map((_, layer) => {
    const k = withLayer.length - (layerBytes.length - layer);
    return k >= 0 ? withLayer[k].i : -1;
  });
  historyIndexOfLayer.forEach((i, layer) => {
    if (i >= 0) history[i].sizeBytes = layerBytes[layer];
  });
  const rows = dockerfileText !== undefined ? mapHistoryToDockerfile(dockerfileText, target, history) : undefined;
  return layerBytes.map((_, layer) => {
    const i = historyIndexOfLayer[layer];
    const createdBy = i >= 0 ? history[i].createdBy : '';
    const row = i >= 0 ? rows?.[i] : undefined;
    if (!rows) return { createdBy, fromBaseImage: layer === 0 };
    if (!row) return { createdBy, fromBaseImage: true };
    return {
      createdBy,
      fromBaseImage: row.fromBaseImage,
      ...(row.line !== undefined ? { line: row.line } : {}),
      ...(row.instruction !== undefined ? { instruction: row.instruction } : {}),
    };
  });
}

/** Layers summed per Dockerfile line, in line order; layers with no known line are left out. */
export function linesOf(layers: readonly { index: number; line?: number; instruction?: string; addedBytes: number; wastedBytes: number }[]): XrayLine[] {
  const byLine = new Map<number, XrayLine>();
  for (const layer of layers) {
    if (layer.line === undefined) continue;
    let line = byLine.get(layer.line);
    if (!line) byLine.set(layer.line, (line = { line: layer.line, instruction: layer.instruction ?? '', addedBytes: 0, wastedBytes: 0, layers: [] }));
    line.addedBytes += layer.addedBytes;
    line.wastedBytes += layer.wastedBytes;
    line.layers.push(layer.index);
  }
  return [...byLine.values()].sort((a, b) => a.line - b.line);
}
