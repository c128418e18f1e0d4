// `multistage fix FILE [--split] [--reorder] [--runtime-flavor F] [--write]`: applies the requested
// rewrites (analysis/rewrite, the same as the code actions), then every safe fix (the same engine as
// `source.fixAll.multistage`); prints a unified diff unless --write is given.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fixAllText } from '../analysis/fixAll';
import { buildModel } from '../analysis/model';
import { applyTextEdits, refactorActions, REORDER_TITLE, rewritesWithheld, SPLIT_TITLE } from '../analysis/rewrite';
import { DEFAULT_SETTINGS, type AnalysisSettings, type RuleContext } from '../analysis/types';
import { parseArgs, UsageError } from './args';
import { contextForDockerfile } from './context';
import { unifiedDiff } from './diff';
import type { CliIO } from './lint';

export function runFix(argv: string[], io: CliIO): number {
  const args = parseArgs(argv, ['target', 'context', 'runtime-flavor'], ['write', 'split', 'reorder']);
  if (args.positionals.length !== 1) throw new UsageError('fix takes exactly one Dockerfile');
  const file = args.positionals[0];
  const before = readFileSync(file, 'utf8');
  const flavor = args.options.get('runtime-flavor') ?? 'auto';
  if (!['auto', 'distroless', 'slim', 'alpine'].includes(flavor)) throw new UsageError('--runtime-flavor is one of auto, distroless, slim, alpine');
  const ctx: RuleContext = {
    settings: { ...DEFAULT_SETTINGS, target: args.options.get('target'), runtimeFlavor: flavor as AnalysisSettings['runtimeFlavor'] },
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
    return 0;
  }
  if (args.flags.has('write')) {
    writeFileSync(file, after);
    io.stderr(`wrote ${file}\n`);
  } else {
    io.stdout(unifiedDiff(before, after, basename(file)));
  }
  return 0;
}

/** Applies one refactoring from analysis/rewrite, or says why it does not apply. */
function applyRefactor(text: string, ctx: RuleContext, title: string, io: CliIO): string {
  const model = buildModel(text, { target: ctx.settings.target });
  const action = refactorActions(model, ctx).find((a) => a.title === title);
  if (!action) {
    const why = rewritesWithheld(model) ?? (title === SPLIT_TITLE ? 'the final stage builds nothing' : 'no dependency install follows a copy of the sources');
    io.stderr(`${title}: not applicable (${why})\n`);
    return text;
  }
  io.stderr(`applied: ${title}\n`);
  return applyTextEdits(model, action.edits);
}
