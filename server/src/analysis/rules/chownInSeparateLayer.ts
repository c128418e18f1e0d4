import type { Instruction } from 'dockerfile-ast';
import { hasFlag, isCommand, positionalArgs, type ShellCommand } from '../shell';
import { copyArgsOf, deleteInstruction, resolveShellPath, runsInFinalImage, type StageRun } from '../shell/layers';
import { baseChain, buildOrder, workdirAt } from '../stageFacts';
import { memo } from '../memo';
import type { DockerfileModel, Stage } from '../model';
import type { Finding, Fix, Rule } from '../types';

interface CopiedDir {
  instruction: Instruction;
  destination: string;
}

/**
 * Changing owner or mode of a file from a lower layer copies the whole file into the new layer (overlay
 * copy-up), so `COPY . /app` + `RUN chown -R app /app` stores the application twice.
 */
export const chownInSeparateLayer: Rule = {
  id: 'chown-in-separate-layer',
  defaultSeverity: 'warning',
  summary: 'RUN chown/chmod -R on files a COPY just added stores them twice.',
  check(model) {
    const findings: Finding[] = [];
    for (const stageRun of runsInFinalImage(model)) {
      const copies = copiesBefore(model, stageRun);
      if (copies.length === 0) continue;
      const dir = workdirAt(model, stageRun.stage, stageRun.run);
      for (const c of stageRun.commands) {
        const tool = isCommand(c, 'chown') ? 'chown' : isCommand(c, 'chmod') ? 'chmod' : undefined;
        if (!tool || !hasFlag(c, '-R', '--recursive') || hasFlag(c, '--reference')) continue;
        const [spec, ...targets] = positionalArgs(c);
        if (!spec) continue;
        // COPY/ADD already create files as root: `chown -R root:root` on them changes nothing worth a warning.
        if (tool === 'chown' && /^(root|0)([:.](root|0))?$/.test(spec.text)) continue;
        for (const target of targets) {
          const path = resolveShellPath(dir, target.text);
          if (!path || path === '/') continue;
          const matched = copies.filter((copy) => copy.destination === path || copy.destination.startsWith(`${path}/`));
          if (matched.length === 0) continue;
          const first = matched[0].instruction;
          const flag = tool === 'chown' ? `--chown=${spec.text}` : `--chmod=${spec.text}`;
          findings.push({
            range: c.range,
            message: `${tool} -R ${target.text} rewrites the files the ${first.getKeyword()} on line ${first.getRange().start.line + 1} added, so they are stored twice (once per layer). Set ${tool === 'chown' ? 'the owner' : 'the mode'} while copying: ${first.getKeyword()} ${flag}.`,
            fixes: moveToCopyFix(model, stageRun, c, tool, spec.text, path, matched, targets.length),
          });
          break;
        }
      }
    }
    return findings;
  },
};

/** Archives, libraries and packages: single files whose duplication costs real space. */
const LARGE_FILE = /\.(jar|war|ear|zip|tar|t?gz|xz|bz2|zst|7z|so(\.\d+)*|a|bin|whl|wasm|deb|rpm|apk|iso|img|exe|dll|node)$/i;

/**
 * Whether a COPY source can be large: the context, a folder, a glob, a file without extension (often a
 * binary) or an archive/library. A single config file or script is not worth a warning.
 */
function mayBeLarge(source: string): boolean {
  if (source.endsWith('/') || /[*?[]/.test(source) || source === '.' || source === './') return true;
  const base = source.split('/').pop() ?? '';
  return !base.includes('.') || LARGE_FILE.test(base);
}

const copiedByStage = memo<Stage, Map<Instruction, CopiedDir[]>>('multistage.copiedByStage');

/** COPY/ADD destinations (absolute) earlier in the stage chain, skipping those that already set an owner. */
function copiesBefore(model: DockerfileModel, { stage, run }: StageRun): CopiedDir[] {
  // One pass per stage records, for each instruction, the copies made before it.
  let before = copiedByStage.get(stage);
  if (!before) {
    before = new Map();
    const seen: CopiedDir[] = [];
    for (const s of buildOrder(model, stage)) {
      for (const instruction of s.instructions) {
        before.set(instruction, [...seen]);
        const args = copyArgsOf(instruction);
        if (!args?.destination) continue;
        const flags = (instruction as unknown as { getFlags?(): { getName(): string }[] }).getFlags?.() ?? [];
        if (flags.some((f) => f.getName() === 'chown' || f.getName() === 'chmod')) continue;
        if (!args.sources.some((source) => mayBeLarge(source.value))) continue;
        const destination = resolveShellPath(workdirAt(model, stage, instruction), args.destination.value);
        if (destination) seen.push({ instruction, destination });
      }
    }
    copiedByStage.set(stage, before);
  }
  return before.get(run) ?? [];
}

/**
 * Adds --chown/--chmod to the COPY and deletes the RUN, when the RUN is just this one command on exactly
 * the copied folder. Not marked safe: COPY --chown does not change a destination folder that already
 * existed (WORKDIR creates it as root), which RUN chown -R did.
 */
function moveToCopyFix(model: DockerfileModel, { run, commands }: StageRun, c: ShellCommand, tool: string, spec: string, path: string, matched: CopiedDir[], targetCount: number): Fix[] {
  if (commands.length !== 1 || c.depth !== 0 || targetCount !== 1 || matched.length !== 1 || run.getFlags().length > 0) return [];
  if (matched[0].destination !== path || spec.includes('$')) return [];
  if (tool === 'chmod' && !/^[0-7]{3,4}$/.test(spec)) return [];
  if (c.argv.slice(1).some((a) => a.startsWith('-') && !/^-[Rfv]+$|^--recursive$/.test(a))) return [];
  const copy = matched[0].instruction;
  const keywordEnd = copy.getInstructionRange().end;
  const flag = tool === 'chown' ? `--chown=${spec}` : `--chmod=${spec}`;
  return [{
    title: `Use ${copy.getKeyword()} ${flag}`,
    edits: [{ range: { start: keywordEnd, end: keywordEnd }, newText: ` ${flag}` }, deleteInstruction(model, run)],
    preferred: true,
  }];
}
