import { buildEvidenceOf } from '../buildEvidence';
import { contextCopiesOf, copiedByName } from '../contextCopies';
import { DockerignoreMatcher, findDockerignore } from '../dockerignore';
import type { ContextFiles, Rule } from '../types';

interface Gap {
  /** The path found in the context. */
  path: string;
  /** The pattern that excludes it. */
  pattern: string;
  why: string;
}

const ENV_TEMPLATES = /\.(example|sample|template|dist|defaults?)$/;
const MAX_FOLDERS_FOR_NESTED_SCAN = 200;

/** Things in a context that never belong in an image, whether or not the .dockerignore mentions them. */
function candidates(context: ContextFiles, buildsInImage: boolean): Gap[] {
  const names = context.list('');
  const has = (name: string) => names.includes(name);
  const gaps: Gap[] = [];
  if (has('.git')) gaps.push({ path: '.git', pattern: '.git', why: 'the repository history' });
  if (has('node_modules') && context.isDirectory('node_modules')) gaps.push({ path: 'node_modules', pattern: 'node_modules', why: 'host-installed dependencies (possibly built for another OS)' });
  for (const name of names) {
    if ((name === '.env' || name.startsWith('.env.')) && !ENV_TEMPLATES.test(name) && !context.isDirectory(name)) {
      gaps.push({ path: name, pattern: name === '.env' ? '.env' : '.env.*', why: 'local secrets' });
    }
    if (context.isDirectory(name) && (name === '.venv' || context.exists(`${name}/pyvenv.cfg`))) {
      gaps.push({ path: name, pattern: name, why: 'a local virtualenv' });
    }
  }
  if (has('__pycache__')) gaps.push({ path: '__pycache__', pattern: '**/__pycache__', why: 'Python bytecode caches' });
  if (has('target') && context.isDirectory('target') && (has('Cargo.toml') || has('pom.xml'))) gaps.push({ path: 'target', pattern: 'target', why: 'local build output' });
  if ((has('bin') || has('obj')) && names.some((n) => /\.(csproj|fsproj|sln)$/.test(n))) {
    for (const d of ['bin', 'obj']) if (has(d) && context.isDirectory(d)) gaps.push({ path: d, pattern: d, why: 'local build output' });
  }
  // dist/ and build/ are only dead weight when the image builds them itself; otherwise they may be the input.
  if (buildsInImage && has('package.json')) {
    for (const d of ['dist', 'build', '.next']) if (has(d) && context.isDirectory(d)) gaps.push({ path: d, pattern: d, why: 'local build output the image rebuilds' });
  }
  // Monorepos: node_modules one or two levels down (api/node_modules, packages/web/node_modules) is not
  // matched by a bare `node_modules`. The scan is bounded: it never walks into big trees.
  const nested = nestedNodeModules(context, names);
  if (nested) gaps.push({ path: nested, pattern: '**/node_modules', why: 'host-installed dependencies' });
  return gaps;
}

function nestedNodeModules(context: ContextFiles, rootNames: readonly string[]): string | undefined {
  let budget = MAX_FOLDERS_FOR_NESTED_SCAN;
  const skip = (n: string) => n.startsWith('.') || n === 'node_modules';
  for (const first of rootNames) {
    if (skip(first) || !context.isDirectory(first) || budget-- <= 0) continue;
    if (context.isDirectory(`${first}/node_modules`)) return `${first}/node_modules`;
    for (const second of context.list(first)) {
      if (skip(second) || budget-- <= 0) continue;
      if (context.isDirectory(`${first}/${second}/node_modules`)) return `${first}/${second}/node_modules`;
    }
  }
  return undefined;
}

export const dockerignoreGaps: Rule = {
  id: 'dockerignore-gaps',
  defaultSeverity: 'info',
  summary: "The context holds node_modules, .git, .env files, build outputs or virtualenvs that .dockerignore doesn't exclude.",
  check(model, ctx) {
    const context = ctx.context;
    if (!context) return [];
    const copies = contextCopiesOf(model);
    if (copies.whole.length === 0) return [];
    const ignoreFile = findDockerignore(context, context.dockerfile);
    if (!ignoreFile) return [];
    const matcher = new DockerignoreMatcher(ignoreFile.content);
    const builds = model.stages.some((s) => buildEvidenceOf(model, s).length > 0);
    const gaps = candidates(context, builds).filter((g) => !copiedByName(copies, g.path) && !(context.isDirectory(g.path) ? matcher.excludesFolder(g.path) : matcher.ignores(g.path)));
    if (gaps.length === 0) return [];
    const patterns = [...new Set(gaps.map((g) => g.pattern))];
    const content = ignoreFile.content;
    const lines = content.split(/\r?\n/);
    const end = { line: lines.length - 1, character: lines[lines.length - 1].length };
    const lead = content === '' || content.endsWith('\n') ? '' : '\n';
    const path = `${context.root.replace(/[\\/]+$/, '')}/${ignoreFile.path}`;
    const first = copies.whole[0];
    return [{
      range: first.range,
      message: `COPY ${first.value} also copies ${gaps.map((g) => `${g.path} (${g.why})`).join(', ')}: ${ignoreFile.path} does not exclude ${gaps.length === 1 ? 'it' : 'them'}.`,
      fixes: [{
        title: `Add ${patterns.join(', ')} to ${ignoreFile.path}`,
        edits: [],
        files: [{ path, edits: [{ range: { start: end, end }, newText: `${lead}${patterns.join('\n')}\n` }] }],
        preferred: true,
      }],
    }];
  },
};
