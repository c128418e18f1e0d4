// The push date of a tag. The distribution API has none; Docker Hub offers it through its own API
// (hub.docker.com/v2/…/tags/<tag> → tag_last_pushed), so it is asked for Docker Hub images only, in
// parallel with the manifest lookup, and a failure simply means no push date.
import type { ImageReference } from '../analysis/imageReference';

export interface PushDateSource {
  /** ISO 8601 push date of the reference's tag, or undefined when the registry does not offer one. */
  pushedAt(ref: ImageReference, signal?: AbortSignal): Promise<string | undefined>;
}

export class DockerHubTags implements PushDateSource {
  constructor(private readonly fetchImpl: typeof fetch = fetch, private readonly baseUrl = 'https://hub.docker.com') {}

  async pushedAt(ref: ImageReference, signal?: AbortSignal): Promise<string | undefined> {
    if (ref.registry !== 'docker.io' || !ref.tag) return undefined;
    const slash = ref.repository.indexOf('/');
    const namespace = ref.repository.slice(0, slash);
    const repository = ref.repository.slice(slash + 1);
    const url = `${this.baseUrl}/v2/namespaces/${encodeURIComponent(namespace)}/repositories/${encodeURIComponent(repository)}/tags/${encodeURIComponent(ref.tag)}`;
    try {
      const response = await this.fetchImpl(url, { headers: { accept: 'application/json' }, signal });
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        return undefined;
      }
      const json = (await response.json()) as { tag_last_pushed?: unknown; last_updated?: unknown };
      const date = typeof json.tag_last_pushed === 'string' ? json.tag_last_pushed : typeof json.last_updated === 'string' ? json.last_updated : undefined;
      return date && !Number.isNaN(Date.parse(date)) ? date : undefined;
    } catch {
      // No push date is a normal outcome (Hub API down, rate limited, offline): sizes stand without it.
      return undefined;
    }
  }
}
