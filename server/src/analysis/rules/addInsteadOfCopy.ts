import { Add } from 'dockerfile-ast';
import { copyArgs } from '../stageFacts';
import type { Finding, Rule } from '../types';

// ADD extracts local tar archives (optionally gzip/bzip2/xz compressed) and fetches URLs and git
// repositories; for anything else it is COPY with surprises.
const ARCHIVE = /\.(tar|tgz|tbz|tbz2|txz|tzst|gz|bz2|xz|zst|lz|lzma|z)$/i;
const REMOTE = /^(https?:\/\/|git@|git:\/\/|ssh:\/\/)|\.git(#.*)?$/i;
// Flags only ADD understands: their presence means ADD is meant.
const ADD_ONLY_FLAGS = new Set(['checksum', 'keep-git-dir', 'unpack']);
const VALUED_FLAGS = new Set(['chmod', 'chown', 'exclude']);

export const addInsteadOfCopy: Rule = {
  id: 'add-instead-of-copy',
  defaultSeverity: 'info',
  summary: 'ADD of local files that are not archives: COPY says what it does.',
  hadolint: ['DL3020'],
  check(model) {
    const findings: Finding[] = [];
    for (const stage of model.stages) {
      for (const instruction of stage.instructions) {
        if (!(instruction instanceof Add)) continue;
        if (instruction.getFlags().some((f) => ADD_ONLY_FLAGS.has(f.getName()))) continue;
        // `--chmod 777` (no '='): the builder reads 777 as a source, so the sources below are not what they seem.
        if (instruction.getFlags().some((f) => VALUED_FLAGS.has(f.getName()) && f.getValue() === null)) continue;
        const args = copyArgs(instruction);
        if (!args || !args.destination || args.sources.length === 0) continue;
        // A variable could expand to an archive or a URL.
        // A wildcard can match an archive, which ADD would extract: say nothing rather than guess.
        if (args.sources.some((s) => /[$*?[]/.test(s.value) || ARCHIVE.test(s.value) || REMOTE.test(s.value))) continue;
        // COPY of several sources needs a folder destination (`dir/`); ADD is let off by dockerfile-utils,
        // so the plain swap would add a builder error there (found by test/unit/robustness.test.ts).
        const fixable = args.sources.length === 1 || /[/\\]$/.test(args.destination.value);
        const keyword = instruction.getInstructionRange();
        const written = instruction.getInstruction();
        findings.push({
          range: keyword,
          message: `ADD of ${args.sources.map((s) => s.value).join(', ')}: ${args.sources.length === 1 ? 'a local file or folder, not an archive or a URL' : 'local files or folders, not archives or URLs'}, so COPY does the same and says so.`,
          fixes: fixable ? [{
            title: 'Change ADD to COPY',
            edits: [{ range: keyword, newText: written === written.toLowerCase() ? 'copy' : 'COPY' }],
            preferred: true,
            safe: true,
          }] : [],
        });
      }
    }
    return findings;
  },
};
