// How a Dockerfile uses its build context: which COPY/ADD instructions (without --from) send the whole
// context, and which context paths it names explicitly. The .dockerignore rules read this.
import type { Range } from 'vscode-languageserver-types';
import { normalizePath } from './dockerignore';
import type { DockerfileModel } from './model';
import { copyArgs, copyFromFlag, isWholeContext } from './stageFacts';

export interface ContextCopies {
  /** Sources that copy the whole context (`COPY . .`), in file order. */
  whole: { value: string; range: Range }[];
  /** Context-relative paths copied by name (`COPY dist ./dist` → `dist`). */
  named: string[];
}

export function contextCopiesOf(model: DockerfileModel): ContextCopies {
  const whole: ContextCopies['whole'] = [];
  const named: string[] = [];
  for (const stage of model.stages) {
    for (const instruction of stage.instructions) {
      const keyword = instruction.getKeyword();
      if (keyword !== 'COPY' && keyword !== 'ADD') continue;
      if (copyFromFlag(instruction)) continue;
      const args = copyArgs(instruction);
      if (!args?.destination) continue;
      for (const source of args.sources) {
        if (/^[a-z]+:\/\//i.test(source.value) || source.value.startsWith('--')) continue;
        if (isWholeContext(source.value)) whole.push(source);
        else named.push(normalizePath(source.value));
      }
    }
  }
  return { whole, named };
}

/** Whether `entry` (a context-relative path) is, contains or lies inside a path the Dockerfile copies by name. */
export function copiedByName(copies: ContextCopies, entry: string): boolean {
  return copies.named.some((n) => {
    const plain = n.replace(/[*?[].*$/, '').replace(/\/$/, '');
    return plain === entry || plain.startsWith(`${entry}/`) || (plain !== '' && entry.startsWith(`${plain}/`));
  });
}
