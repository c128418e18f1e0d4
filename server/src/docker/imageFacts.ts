// What the engine says about a built image: `docker image inspect` for size and layer count,
// `docker history --no-trunc --human=false` for the per-layer sizes.
import { runDocker, type DockerResult, type RunDockerOptions } from './runner';
import { parseHistoryLines, type HistoryEntry } from './pure/layerMapping';

export interface InspectedImage {
  id: string;
  sizeBytes: number;
  layers: number;
  repoTags: string[];
}

export type FactsResult<T> = { ok: true; value: T } | { ok: false; result: DockerResult };

export async function inspectImage(ref: string, options: RunDockerOptions): Promise<FactsResult<InspectedImage>> {
  const result = await runDocker(['image', 'inspect', '--format', '{{json .}}', ref], options);
  if (result.code !== 0) return { ok: false, result };
  try {
    const raw = JSON.parse(result.stdout) as {
      Id?: string;
      Size?: number;
      RootFS?: { Layers?: string[] };
      RepoTags?: string[] | null;
    };
    return {
      ok: true,
      value: {
        id: raw.Id ?? ref,
        sizeBytes: Number(raw.Size ?? 0),
        layers: raw.RootFS?.Layers?.length ?? 0,
        repoTags: raw.RepoTags ?? [],
      },
    };
  } catch (error) {
    return { ok: false, result: { ...result, code: 1, stderr: `unreadable inspect output: ${(error as Error).message}` } };
  }
}

/** History entries oldest first, each with whether it added a filesystem layer. */
export async function imageHistory(
  ref: string,
  options: RunDockerOptions,
): Promise<FactsResult<(HistoryEntry & { hasFilesystemLayer: boolean })[]>> {
  const result = await runDocker(['history', '--no-trunc', '--human=false', '--format', '{{json .}}', ref], options);
  if (result.code !== 0) return { ok: false, result };
  const entries = parseHistoryLines(result.stdout);
  return { ok: true, value: entries };
}
