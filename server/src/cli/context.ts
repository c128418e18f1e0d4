// The build context of a Dockerfile on disk, for the CLI: the Dockerfile's folder unless --context says
// otherwise. One cache for the whole run, so Dockerfiles that share a context read it once.
import * as path from 'node:path';
import type { ContextFiles } from '../analysis/types';
import { ContextFilesCache } from '../workspace/contextFiles';

const cache = new ContextFilesCache();

export function contextForDockerfile(file: string, contextDir: string | undefined): ContextFiles {
  const root = contextDir ? path.resolve(contextDir) : path.dirname(path.resolve(file));
  return cache.contextFor(root, file);
}
