// Which manifest files (package.json, go.mod…) the image got from the build context before an
// instruction, so a rule can read what the build will install instead of guessing. Read through the
// analysis context (ContextFiles), like the split recipes read package.json.
import type { Instruction } from 'dockerfile-ast';
import type { DockerfileModel, Stage } from './model';
import { copyArgsOf } from './shell/layers';
import { chainInstructions, copyFromFlag, isWholeContext } from './stageFacts';
import type { ContextFiles } from './types';

/**
 * Context paths of the files named `fileName` that COPY/ADD (without --from) put into the stage, or its
 * FROM chain, before `before`: copied by name, by a pattern on the name (`package*.json`), inside a
 * copied folder, or with the whole context. Undefined when that cannot be known: no context, or a
 * source with a variable, an unreadable word or a wildcard in a folder part.
 */
export function copiedManifests(model: DockerfileModel, stage: Stage, before: Instruction, context: ContextFiles | undefined, fileName: string): string[] | undefined {
  if (!context) return undefined;
  const found = new Set<string>();
  for (const instruction of chainInstructions(model, stage)) {
    if (instruction === before) break;
    const keyword = instruction.getKeyword();
    if ((keyword !== 'COPY' && keyword !== 'ADD') || copyFromFlag(instruction)) continue;
    for (const source of copyArgsOf(instruction)?.sources ?? []) {
      if (source.word.expands || source.word.invalid) return undefined;
      const path = source.value.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
      const folder = path.replace(/[^/]*$/, '');
      const name = path.slice(folder.length);
      if (/[*?[]/.test(folder)) return undefined;
      if (isWholeContext(source.value) || path === '' || path === '.') {
        if (context.exists(fileName)) found.add(fileName);
      } else if (name === fileName || (/[*?[]/.test(name) && globMatches(name, fileName))) {
        if (context.exists(folder + fileName)) found.add(folder + fileName);
      } else if (!/[*?[]/.test(path) && context.isDirectory(path) && context.exists(`${path}/${fileName}`)) {
        found.add(`${path}/${fileName}`);
      }
    }
  }
  return [...found];
}

function globMatches(pattern: string, name: string): boolean {
  const regex = pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  try {
    return new RegExp(`^${regex}$`).test(name);
  } catch {
    return false;
  }
}
