// Finding Dockerfiles for `multistage lint DIR`, and reading them.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const DOCKERFILE_NAME = /(^|[._-])(docker|container)file([._-]|$)/i;
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'vendor', '.venv', 'venv', 'target', 'dist', 'build']);

export function isDockerfileName(name: string): boolean {
  return DOCKERFILE_NAME.test(name) && !name.endsWith('.dockerignore') && !/\.(md|txt|json|ya?ml|sh|js|ts)$/i.test(name);
}

/** Expands the paths given on the command line: files as they are, folders searched for Dockerfiles. */
export function expandPaths(paths: string[]): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      let stat;
      try {
        stat = statSync(path);
      } catch {
        continue;
      }
      if (stat.isDirectory()) {
        if (!SKIPPED_DIRS.has(name)) walk(path);
      } else if (isDockerfileName(name)) {
        files.push(path);
      }
    }
  };
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      missing.push(path);
      continue;
    }
    if (stat.isDirectory()) walk(path);
    else files.push(path);
  }
  return { files, missing };
}
