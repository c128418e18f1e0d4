// `multistage fix FILE [--split] [--reorder] [--runtime-flavor F] [--write]`: applies the requested
// rewrites (analysis/rewrite, the same as the code actions), then every safe fix (the same engine as
// `source.fixAll.multistage`); prints a unified diff unless --write is given.
import { basename } from 'node:path';
import { fixAllText } from '../analysis/fixAll';
import { buildModel } from '../analysis/model';
import { applyTextEdits, refactorActions, reorderWithheld, rewritesWithheld } from '../analysis/rewrite';
import { REORDER_TITLE, SPLIT_TITLE } from '../analysis/rewrite/names';
import { RUNTIME_FLAVORS, SETTINGS } from '../analysis/settings';
import { DEFAULT_SETTINGS, type RuleContext } from '../analysis/types';
import { parseArgs, UsageError } from './args';
import { contextForDockerfile } from './context';
import { unifiedDiff } from './diff';
import { MAX_DOCKERFILE_BYTES } from './files';
import type { CliIO } from './io';
import { FileChangedError, replaceFile, type WriteCalls } from './replaceFile';
import { outcomeReason, readRegularFile } from '../workspace/safeRead';
import { EXIT_NOT_WRITTEN, EXIT_OK } from './exitCodes';

/** For tests: the write's file-system calls, and a moment between reading the file and replacing it. */
export interface FixHooks {
  calls?: WriteCalls;
  beforeReplace?: () => void;
}

/**
 * The text of a Dockerfile and how to turn text back into its bytes. UTF-8 when the bytes are valid
 * UTF-8; otherwise each byte is read as one Latin-1 character, which maps back to the same byte, so
 * lines no fix touched keep their exact bytes whatever the file's real encoding.
 */
function decode(bytes: Buffer): { text: string; encoding: 'utf8' | 'latin1' } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), encoding: 'utf8' };
  } catch {
    return { text: bytes.toString('latin1'), encoding: 'latin1' };
  }
}

export function runFix(argv: string[], io: CliIO, hooks: FixHooks = {}): number {
  const args = parseArgs(argv, ['target', 'context', 'runtime-flavor'], ['write', 'split', 'reorder']);
  if (args.positionals.length !== 1) throw new UsageError('fix takes exactly one Dockerfile');
  const file = args.positionals[0];
  const read = readRegularFile(file, { maxBytes: MAX_DOCKERFILE_BYTES });
  if (read.kind !== 'ok') throw new Error(`${file}: ${read.kind === 'missing' ? 'no such file' : outcomeReason(read)}`);
  const { text: before, encoding } = decode(read.bytes);
  if (encoding === 'latin1') io.stderr(`${file} is not UTF-8: read byte for byte, so lines no fix touches keep their exact bytes\n`);
  const flavorOption = args.options.get('runtime-flavor');
  const flavor = SETTINGS['split.runtimeFlavor'].read(flavorOption);
  if (flavorOption !== undefined && flavor !== flavorOption) throw new UsageError(`--runtime-flavor is one of ${RUNTIME_FLAVORS.join(', ')}`);
  const ctx: RuleContext = {
    settings: { ...DEFAULT_SETTINGS, target: SETTINGS.target.read(args.options.get('target')) || undefined, runtimeFlavor: flavor },
    context: contextForDockerfile(file, args.options.get('context')),
  };
  // Reorder first: the split then keeps the cache-friendly order in its builder stage.
  let rewritten = before;
  if (args.flags.has('reorder')) rewritten = applyRefactor(rewritten, ctx, REORDER_TITLE, io);
  if (args.flags.has('split')) rewritten = applyRefactor(rewritten, ctx, SPLIT_TITLE, io);
  const { text: after, applied } = fixAllText(rewritten, ctx);
  for (const a of applied) io.stderr(`fixed ${a.rule}: ${a.title}\n`);
  if (after === before) {
    io.stderr('nothing to fix\n');
    return EXIT_OK;
  }
  if (args.flags.has('write')) {
    const bytes = Buffer.from(after, encoding);
    // A fix that brought in a character the file's encoding cannot hold would be written as '?'.
    if (encoding === 'latin1' && bytes.toString('latin1') !== after) {
      io.stderr(`multistage: ${file}: the fixes add characters that this non-UTF-8 file cannot hold; nothing was written (convert it to UTF-8 first)\n`);
      return EXIT_NOT_WRITTEN;
    }
    hooks.beforeReplace?.();
    try {
      replaceFile(file, bytes, read.bytes, hooks.calls);
    } catch (error) {
      if (error instanceof FileChangedError) io.stderr(`multistage: ${error.message}\n`);
      else io.stderr(`multistage: ${file}: could not write (${error instanceof Error ? error.message : String(error)}); the file is unchanged\n`);
      return EXIT_NOT_WRITTEN;
    }
    io.stderr(`wrote ${file}\n`);
  } else {
    io.stdout(unifiedDiff(before, after, basename(file)));
  }
  return EXIT_OK;
}

/** Applies one refactoring from analysis/rewrite, or says why it does not apply. */
function applyRefactor(text: string, ctx: RuleContext, title: string, io: CliIO): string {
  const model = buildModel(text, { target: ctx.settings.target });
  const action = refactorActions(model, ctx).find((a) => a.title === title);
  if (!action) {
    const why = rewritesWithheld(model)
      ?? (title === SPLIT_TITLE ? 'the final stage builds nothing' : reorderWithheld(model, ctx) ?? 'no dependency install follows a copy of the sources');
    io.stderr(`${title}: not applicable (${why})\n`);
    return text;
  }
  io.stderr(`applied: ${title}\n`);
  return applyTextEdits(model, action.edits);
}
