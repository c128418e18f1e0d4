// The build context of an open Dockerfile (the folder contextRoot.ts picks, its files read through the
// bounded cache), and the workspace folders it is picked among.
import { fileURLToPath } from 'node:url';
import type { ContextFiles } from '../analysis/types';
import type { ContextFilesCache } from './contextFiles';
import { contextRootFor } from './contextRoot';

export interface BuildContextSettings {
  buildContexts: Record<string, string>;
}

function filePathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export class BuildContextProvider {
  constructor(
    private readonly cache: ContextFilesCache,
    private readonly workspaceFolders: () => readonly string[],
  ) {}

  /** The build context of a Dockerfile opened from disk; undefined for untitled or remote documents. */
  contextFor(documentUri: string, settings: BuildContextSettings): ContextFiles | undefined {
    const dockerfile = filePathOf(documentUri);
    if (!dockerfile) return undefined;
    const root = contextRootFor(dockerfile, this.workspaceFolders(), settings.buildContexts);
    return this.cache.contextFor(root, dockerfile);
  }

  /** Forgets cached facts about changed files; true when a cached context contained any of them. */
  invalidate(changedUris: readonly string[]): boolean {
    let touched = false;
    for (const uri of changedUris) {
      const file = filePathOf(uri);
      if (file && this.cache.invalidate(file)) touched = true;
    }
    return touched;
  }
}

/** The workspace folders as file paths, kept current from workspace/didChangeWorkspaceFolders. */
export class WorkspaceFolderList {
  private readonly folders = new Set<string>();

  constructor(initialUris: readonly string[] = []) {
    this.update(initialUris, []);
  }

  update(addedUris: readonly string[], removedUris: readonly string[]): void {
    for (const uri of removedUris) {
      const file = filePathOf(uri);
      if (file) this.folders.delete(file);
    }
    for (const uri of addedUris) {
      const file = filePathOf(uri);
      if (file) this.folders.add(file);
    }
  }

  paths(): string[] {
    return [...this.folders];
  }
}
