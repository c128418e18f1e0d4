// What the rewrites are called, in one place: the code-action handler offers them under these titles and
// kinds, the CLI looks them up by title, and the client recognises an applied rewrite by them (to keep
// the text before it as a Build and Compare baseline). No imports, so the client bundles only these lines.
// package.json's codeActions contribution names the same kinds (test/unit/packageContributions.test.ts).

export const SPLIT_TITLE = 'Split into builder and runtime stages';
export const REORDER_TITLE = 'Reorder for layer cache';
export const REORDER_CACHE_TITLE = 'Reorder for layer cache (with BuildKit cache mounts)';

/** The parent kind of every Multistage refactoring. */
export const REWRITE_KIND = 'refactor.rewrite.multistage';
export const SPLIT_KIND = 'refactor.rewrite.multistage.split';
export const REORDER_KIND = 'refactor.rewrite.multistage.reorder';
export const FIX_ALL_KIND = 'source.fixAll.multistage';
