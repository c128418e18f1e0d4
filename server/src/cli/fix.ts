// `multistage fix FILE [--split] [--reorder] [--write]`: applies every safe fix (the same engine as
// `source.fixAll.multistage`); prints a unified diff unless --write is given.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fixAllText } from '../analysis/fixAll';
import { DEFAULT_SETTINGS } from '../analysis/types';
import { parseArgs, UsageError } from './args';
import { contextForDockerfile } from './context';
import { unifiedDiff } from './diff';
import type { CliIO } from './lint';

export function runFix(argv: string[], io: CliIO): number {
  const args = parseArgs(argv, ['target', 'context'], ['write', 'split', 'reorder']);
  if (args.positionals.length !== 1) throw new UsageError('fix takes exactly one Dockerfile');
  const file = args.positionals[0];
  const before = readFileSync(file, 'utf8');
  const ctx = {
    settings: { ...DEFAULT_SETTINGS, target: args.options.get('target') },
    context: contextForDockerfile(file, args.options.get('context')),
  };
  if (args.flags.has('split') || args.flags.has('reorder')) {
    throw new UsageError('--split and --reorder are not available in this build');
  }
  const { text: after, applied } = fixAllText(before, ctx);
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
