import { contextCopiesOf, copiedByName } from '../contextCopies';
import { detectEcosystems, dockerignoreTemplate } from '../data/ecosystems';
import { dockerignorePresent, DockerignoreMatcher } from '../dockerignore';
import type { Rule } from '../types';

/** Template lines minus patterns that would exclude something the Dockerfile copies by name. */
function fittingLines(lines: readonly string[], named: (entry: string) => boolean, copiedPaths: readonly string[]): string[] {
  if (copiedPaths.length === 0) return [...lines];
  return lines.filter((line) => {
    if (line === '' || line.startsWith('#') || line.startsWith('!')) return true;
    const matcher = new DockerignoreMatcher(line);
    return !copiedPaths.some((p) => matcher.ignores(p)) && !named(line);
  });
}

export const missingDockerignore: Rule = {
  id: 'missing-dockerignore',
  defaultSeverity: 'warning',
  summary: 'The Dockerfile copies the build context, and the context has no .dockerignore.',
  check(model, ctx) {
    const context = ctx.context;
    if (!context) return [];
    const copies = contextCopiesOf(model);
    if (copies.whole.length === 0) return [];
    // Present but unreadable (too large, not a regular file) is still present: a "create" fix would
    // overwrite it, so the rule stays quiet (the context reader logs why it was not read).
    if (dockerignorePresent(context, context.dockerfile)) return [];
    const ecosystems = detectEcosystems(context);
    const lines = fittingLines(dockerignoreTemplate(ecosystems), (entry) => copiedByName(copies, entry), copies.named);
    const content = `${lines.join('\n')}\n`;
    const path = `${context.root.replace(/[\\/]+$/, '')}/.dockerignore`;
    const first = copies.whole[0];
    const present = ['.git', 'node_modules', '.env', '.venv', 'target', 'dist'].filter((p) => context.exists(p));
    return [{
      range: first.range,
      message: `COPY ${first.value} sends the whole build context, and the context has no .dockerignore${present.length ? `: ${present.join(', ')} will be copied into the image` : ''}. A .dockerignore keeps local files out of the image and the layer cache stable.`,
      fixes: [{
        title: `Create a .dockerignore${ecosystems.length ? ` for ${ecosystems.join(' + ')}` : ''}`,
        edits: [],
        files: [{ path, create: true, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: content }] }],
        preferred: true,
      }],
    }];
  },
};
