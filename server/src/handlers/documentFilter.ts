// Which open documents the server lints. The client's document selector already sends only Dockerfiles
// on disk or unsaved; this guard also holds when a user forces the Dockerfile language on a file that
// is not one: BuildKit's ignore files (`.dockerignore`, `Dockerfile.dockerignore`, `api.Dockerfile.dockerignore`)
// and the read-only baselines of the compare panel.

/** The scheme of the compare panel's read-only baseline documents (client/src/baselineDocuments.ts). */
export const BASELINE_SCHEME = 'multistage-baseline';

export function isLintedDocument(uri: string): boolean {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1]?.toLowerCase();
  if (scheme === BASELINE_SCHEME) return false;
  const path = uri.split(/[?#]/)[0];
  let name = path.slice(path.lastIndexOf('/') + 1);
  try {
    name = decodeURIComponent(name);
  } catch {
    // A malformed escape: judge the name as written.
  }
  return !/(^|\.)dockerignore$/i.test(name);
}
