// Which folder is a Dockerfile's build context: the one `multistage.buildContexts` maps it to (both
// relative to the workspace folder), else the Dockerfile's own folder, as `docker build -f X dir` users
// and compose files most often have it. Diagnostics (workspace/buildContext.ts) and Build and Compare
// (client/src/compare/buildOptions.ts) both ask this function, so they pick the same folder; it uses
// node:path only, which the extension already bundles.
import * as path from 'node:path';
import { configuredBuildContext } from '../analysis/settings';

/**
 * The context root (absolute) for a Dockerfile, given the workspace folders (absolute paths) and the
 * `multistage.buildContexts` setting as readSetting() returns it. The innermost folder holding the file is its folder.
 */
export function contextRootFor(dockerfile: string, workspaceFolders: readonly string[], buildContexts: Readonly<Record<string, string>>): string {
  const folder = workspaceFolders
    .filter((f) => {
      const rel = path.relative(f, dockerfile);
      return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
    })
    .sort((a, b) => b.length - a.length)[0];
  const configured = folder === undefined ? undefined : configuredBuildContext(buildContexts, path.relative(folder, dockerfile));
  return configured === undefined ? path.dirname(dockerfile) : path.resolve(folder!, configured);
}
