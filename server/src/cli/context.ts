// The build context of a Dockerfile on disk, for the CLI: the Dockerfile's folder unless --context says
// otherwise. One cache for the whole run, so Dockerfiles that share a context read it once.
import * as path from 'node:path';
import type { ContextFiles } from '../analysis/types';
import { ContextFilesCache } from '../workspace/contextFiles';

// What the context reader left unread (a FIFO, a huge file, a link out of the context) goes to stderr.
let warn: (message: string) => void = (message) => process.stderr.write(`multistage: warning: ${message}\n`);
const cache = new ContextFilesCache(undefined, (message) => warn(message));

/** Where context warnings go (the CLI's stderr; tests capture it). */
export function setContextWarnings(sink: (message: string) => void): void {
  warn = sink;
}

export function contextForDockerfile(file: string, contextDir: string | undefined): ContextFiles {
  const root = contextDir ? path.resolve(contextDir) : path.dirname(path.resolve(file));
  return cache.contextFor(root, file);
}
