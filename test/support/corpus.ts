// The Dockerfile corpus (../shared/corpus: files/ and MANIFEST.tsv), the one place its paths are built,
// for the tests that run over all of it and for the benchmarks.
import type { TestContext } from 'node:test';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requirePart } from './requirements';

/** The corpus folders and files below `root` (by default ../shared/corpus beside this repository). */
export function corpusPaths(root = join(__dirname, '..', '..', '..', 'shared', 'corpus')) {
  return { root, files: join(root, 'files'), manifest: join(root, 'MANIFEST.tsv') };
}

export const CORPUS_DIR = corpusPaths().files;

export interface CorpusFile {
  name: string;
  text: string;
}

/** Every file of a corpus files folder, sorted by name. */
export function readCorpus(dir = CORPUS_DIR): CorpusFile[] {
  return readdirSync(dir).sort().map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
}

/**
 * Call at the top of a test that needs the corpus. Without it the test is SKIPPED loudly (a failure under
 * CI=true) and this returns false: return from the test then.
 */
export function requireCorpus(t: TestContext): boolean {
  return requirePart(t, 'the Dockerfile corpus (../shared/corpus/files)', existsSync(CORPUS_DIR), 'clone this repository next to ../shared');
}

/** Every corpus file, sorted by name; undefined (the test skipped, see requireCorpus) without the corpus. */
export function corpusFiles(t: TestContext): CorpusFile[] | undefined {
  return requireCorpus(t) ? readCorpus() : undefined;
}
