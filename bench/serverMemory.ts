// Item 3 (memory): the server's resident set size after it has opened and analysed 200 corpus
// Dockerfiles, read from /proc/<pid>/status.
import type { CorpusFile } from './corpus';
import { LspClient } from '../test/support/lspClient';
import { round } from './stats';

export interface ServerMemoryResult {
  documents: number;
  rssMbAtStart: number;
  rssMbAfter200Docs: number;
}

export async function measureServerMemory(corpus: readonly CorpusFile[], count = 200): Promise<ServerMemoryResult> {
  const client = await LspClient.start();
  try {
    const rssMbAtStart = client.rssMb();
    // Spread the picks over the sorted corpus so that no single repository dominates.
    const step = Math.max(1, Math.floor(corpus.length / count));
    const picked = corpus.filter((_, i) => i % step === 0).slice(0, count);
    const pending = new Set(picked.map((_, i) => `file:///bench/memory/${i}/Dockerfile`));
    const allPublished = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${pending.size} documents got no diagnostics within 120 s`)), 120_000);
      const stop = client.onDiagnostics((d) => {
        pending.delete(d.uri);
        if (pending.size === 0) {
          clearTimeout(timer);
          stop();
          resolve();
        }
      });
    });
    picked.forEach((file, i) => client.open(`file:///bench/memory/${i}/Dockerfile`, file.text));
    await allPublished;
    return { documents: picked.length, rssMbAtStart: round(rssMbAtStart, 1), rssMbAfter200Docs: round(client.rssMb(), 1) };
  } finally {
    await client.shutdown();
  }
}
