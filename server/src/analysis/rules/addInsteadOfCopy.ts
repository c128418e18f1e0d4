import { Add } from 'dockerfile-ast';
import { copyArgs, type CopyArg } from '../stageFacts';
import type { ContextFiles, Finding, Rule } from '../types';

// ADD extracts local tar archives (optionally gzip/bzip2/xz/zstd compressed) and fetches URLs and git
// repositories; for anything else it is COPY with surprises. Sources are read as the builder reads
// them (copyArgs → builderWords.ts): `ADD "app.tar.gz" /app/` is an archive, not a file whose name
// has quotes in it.
const ARCHIVE = /\.(tar|tgz|tbz|tbz2|txz|tzst|taz|tlz|gz|bz2|xz|zst|lz|lzma|lz4|z)$/i;
// BuildKit's isURL / isGitURL: http(s) URLs, git transports, `github.com/…` and `.git` (with a #ref).
const REMOTE = /^([a-z][a-z0-9+.-]*:\/\/|git@|github\.com\/)|\.git(#.*)?$/i;
/**
 * ADD recognises a tar archive by its content, whatever the name. The swap to COPY is applied by fix-all
 * only when the source cannot be one: a folder, a text file read from the build context, or a name
 * whose extension says what else it is. Any other file keeps the fix as a manual one.
 */
const NOT_TAR_EXTENSION = /\.(py|pyc|js|mjs|cjs|ts|tsx|jsx|json|jsonc|ya?ml|toml|ini|cfg|conf|config|env|properties|xml|html?|css|scss|md|txt|csv|sh|bash|zsh|ps1|bat|cmd|go|mod|sum|rs|java|kt|kts|gradle|scala|rb|gemspec|php|pl|lua|c|h|cc|cpp|hpp|cs|csproj|fsproj|sln|vb|sql|graphql|proto|lock|pem|crt|cer|key|pub|asc|gpg|service|socket|timer|rules|list|sources|repo|patch|diff|svg|png|jpe?g|gif|ico|webp|woff2?|ttf|otf|jar|war|ear|zip|whl|deb|rpm|so|dll|exe|wasm|node)$/i;
// Flags only ADD understands: their presence means ADD is meant.
const ADD_ONLY_FLAGS = new Set(['checksum', 'keep-git-dir', 'unpack']);
const VALUED_FLAGS = new Set(['chmod', 'chown', 'exclude']);

/** Why a source keeps ADD's meaning, or undefined when it is a plain local path. */
export function addSourceProblem(source: CopyArg): string | undefined {
  if (source.word.invalid) return 'unreadable';
  if (source.word.expands) return 'variable';
  if (/[*?[]/.test(source.value)) return 'wildcard';
  if (REMOTE.test(source.value)) return 'remote';
  if (ARCHIVE.test(source.value)) return 'archive';
  return undefined;
}

/** Whether the local source certainly is not a tar archive (the condition for the fix to be safe). */
export function certainlyNotTar(source: string, context?: ContextFiles): boolean {
  if (/(^|\/)\.{0,2}\/?$/.test(source) || source.endsWith('/')) return true;
  const path = source.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  if (context?.isDirectory(path)) return true;
  const content = context?.read(path);
  // A tar has NUL bytes in every header; compressed archives are not valid UTF-8 (U+FFFD once decoded).
  if (content !== undefined && !/[\0\uFFFD]/.test(content) && !content.startsWith('\x1f')) return true;
  return NOT_TAR_EXTENSION.test(path);
}

export const addInsteadOfCopy: Rule = {
  id: 'add-instead-of-copy',
  defaultSeverity: 'info',
  summary: 'ADD of local files that are not archives: COPY says what it does.',
  hadolint: ['DL3020'],
  check(model, ctx) {
    const findings: Finding[] = [];
    for (const stage of model.stages) {
      for (const instruction of stage.instructions) {
        if (!(instruction instanceof Add)) continue;
        if (instruction.getFlags().some((f) => ADD_ONLY_FLAGS.has(f.getName()))) continue;
        // `--chmod 777` (no '='): the builder reads 777 as a source, so the sources below are not what they seem.
        if (instruction.getFlags().some((f) => VALUED_FLAGS.has(f.getName()) && f.getValue() === null)) continue;
        const args = copyArgs(instruction);
        if (!args || !args.destination || args.sources.length === 0) continue;
        // A variable could expand to an archive or a URL; a wildcard can match an archive: say nothing.
        if (args.sources.some((s) => addSourceProblem(s) !== undefined)) continue;
        // COPY of several sources needs a folder destination (`dir/`); ADD is let off by dockerfile-utils,
        // so the plain swap would add a builder error there (found by test/unit/robustness.test.ts).
        const fixable = args.sources.length === 1 || /[/\\]$/.test(args.destination.value);
        const safe = args.sources.every((s) => certainlyNotTar(s.value, ctx.context));
        const keyword = instruction.getInstructionRange();
        const written = instruction.getInstruction();
        const names = args.sources.map((s) => s.value).join(', ');
        findings.push({
          range: keyword,
          message: safe
            ? `ADD of ${names}: ${args.sources.length === 1 ? 'a local file or folder, not an archive or a URL' : 'local files or folders, not archives or URLs'}, so COPY does the same and says so.`
            : `ADD of ${names}: local, not a URL, and not named like an archive, so COPY does the same and says so, unless it is a tar archive under another name (ADD would extract it).`,
          fixes: fixable ? [{
            title: 'Change ADD to COPY',
            edits: [{ range: keyword, newText: written === written.toLowerCase() ? 'copy' : 'COPY' }],
            preferred: true,
            safe,
          }] : [],
          hadolint: 'DL3020',
        });
      }
    }
    return findings;
  },
};
