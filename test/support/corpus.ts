// The Dockerfile corpus (../shared/corpus/files), for the tests that run over all of it.
import type { TestContext } from 'node:test';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requirePart } from './requirements';

export const CORPUS_DIR = join(__dirname, '..', '..', '..', 'shared', 'corpus', 'files');

export interface CorpusFile {
  name: string;
  text: string;
}

/**
 * Every corpus file, sorted by name. Without the corpus the test is SKIPPED loudly (a failure under
 * CI=true) and this returns undefined: return from the test then.
 */
export function corpusFiles(t: TestContext): CorpusFile[] | undefined {
  if (!requirePart(t, 'the Dockerfile corpus (../shared/corpus/files)', existsSync(CORPUS_DIR), 'clone this repository next to ../shared')) return undefined;
  return readdirSync(CORPUS_DIR).sort().map((name) => ({ name, text: readFileSync(join(CORPUS_DIR, name), 'utf8') }));
}
