// Fix all, off the language server's main thread (bundled as server/out/fixAllWorker.js). One fix-all
// of a large file is several whole-file analyses; run on the main thread, every hover, edit and
// diagnostics update waited behind it. Here it runs in a worker thread: the server stays responsive,
// and a fix-all that is cancelled or overtaken by an edit is simply terminated.
import { parentPort } from 'node:worker_threads';
import * as path from 'node:path';
import { fixAllText } from './analysis/fixAll';
import type { AnalysisSettings, ImageFacts } from './analysis/types';
import { ContextFilesCache } from './workspace/contextFiles';

export interface FixAllJob {
  text: string;
  settings: AnalysisSettings;
  /** The build context (absolute root, and the Dockerfile relative to it), when there is one. */
  context?: { root: string; dockerfile?: string };
  images?: [string, ImageFacts][];
}

export type FixAllAnswer = { text: string } | { error: string };

// A cache per job: the worker answers for what is on disk now, as a fresh analysis would.
parentPort?.on('message', (job: FixAllJob) => {
  try {
    const context = job.context
      ? new ContextFilesCache().contextFor(job.context.root, job.context.dockerfile !== undefined ? path.resolve(job.context.root, job.context.dockerfile) : undefined)
      : undefined;
    const { text } = fixAllText(job.text, { settings: job.settings, context, images: job.images ? new Map(job.images) : undefined });
    parentPort!.postMessage({ text } satisfies FixAllAnswer);
  } catch (error) {
    parentPort!.postMessage({ error: error instanceof Error ? error.stack ?? error.message : String(error) } satisfies FixAllAnswer);
  }
});
