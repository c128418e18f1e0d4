// Maps `docker history` entries back to the Dockerfile lines that made them, so the results panel can
// say "this 81 MB layer is line 7". Pure: takes the Dockerfile text and `docker history`'s output (parsed here).
//
// Neither builder records line numbers, so the mapping aligns the two sequences from the newest end:
// the last instructions of the built stage (and of the stages it is based on via FROM <stage>) made the
// newest history entries. Each entry is matched with the nearest earlier instruction of the same keyword;
// instructions that may leave no history entry (ARG, and anything the builder folds away) are skipped.
// The first entry that matches nothing, and everything older, belongs to the base image (the FROM line).
import { buildModel, type DockerfileModel } from '../../analysis/model';
import { isScratch } from '../../analysis/data/baseImages';
import type { LayerRow } from './compareTypes';

export interface HistoryEntry {
  createdBy: string;
  sizeBytes: number;
  /** Image id of the entry, or "<missing>" — `docker history` prints a real id only for layers it has. */
  id?: string;
}

/** Metadata instructions (ENV, CMD, …) leave a 0-byte entry and no layer; RUN/COPY/ADD and imports do. */
function makesLayer(createdBy: string): boolean {
  const keyword = historyKeyword(createdBy);
  return keyword === undefined || keyword === 'RUN' || keyword === 'COPY' || keyword === 'ADD';
}

/** `docker history --format '{{json .}}'` output, oldest entry first, each with whether it added a filesystem layer. */
export function parseHistoryLines(stdout: string): (HistoryEntry & { hasFilesystemLayer: boolean })[] {
  const newestFirst: (HistoryEntry & { hasFilesystemLayer: boolean })[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    try {
      const row = JSON.parse(line) as { CreatedBy?: string; Size?: string | number; ID?: string; Comment?: string };
      const sizeBytes = Number(row.Size ?? 0) || 0;
      const createdBy = row.CreatedBy ?? '';
      newestFirst.push({
        createdBy,
        sizeBytes,
        id: row.ID,
        hasFilesystemLayer: sizeBytes > 0 || makesLayer(createdBy),
      });
    } catch {
      // A line that is not JSON (a warning printed by the CLI) carries no layer.
    }
  }
  return newestFirst.reverse();
}

interface SourceInstruction {
  keyword: string;
  /** 1-based line. */
  line: number;
  /** Arguments as written, whitespace collapsed (RUN's command text is stored unexpanded in the history). */
  args: string;
}

/** Instructions that some builders record no history entry for; skipping them costs no confidence. */
const MAY_LEAVE_NO_ENTRY = new Set(['ARG', 'ONBUILD', 'MAINTAINER']);

/**
 * @param history entries oldest first (the reverse of `docker history` output order).
 * @param hasFilesystemLayer per entry; entries without a layer are metadata (ENV, CMD, …).
 */
export function mapHistoryToDockerfile(
  dockerfileText: string,
  target: string | undefined,
  history: readonly (HistoryEntry & { hasFilesystemLayer: boolean })[],
): LayerRow[] {
  const { instructions, fromLine } = instructionsOfBuiltStage(dockerfileText, target);
  const rows: LayerRow[] = history.map((h) => ({
    createdBy: h.createdBy,
    sizeBytes: h.sizeBytes,
    hasFilesystemLayer: h.hasFilesystemLayer,
    fromBaseImage: true,
    ...(fromLine !== undefined ? { line: fromLine, instruction: 'FROM' } : {}),
  }));
  let cursor = instructions.length - 1;
  for (let i = rows.length - 1; i >= 0 && cursor >= 0; i--) {
    const keyword = historyKeyword(rows[i].createdBy) ?? (execRunAt(instructions, cursor, rows[i].createdBy) ? 'RUN' : undefined);
    const match = keyword === undefined ? -1 : findMatch(instructions, cursor, keyword, rows[i].createdBy);
    if (match < 0) break;
    rows[i] = { ...rows[i], fromBaseImage: false, line: instructions[match].line, instruction: keyword, source: `${instructions[match].keyword} ${instructions[match].args}`.trim() };
    cursor = match - 1;
  }
  return rows;
}

function findMatch(instructions: SourceInstruction[], cursor: number, keyword: string, createdBy: string): number {
  // Same keyword and, for RUN, the same command: the strongest evidence, searched across skippable ones.
  let fallback = -1;
  for (let j = cursor; j >= 0; j--) {
    const candidate = instructions[j];
    if (candidate.keyword === keyword) {
      if (keyword !== 'RUN' || runCommandMatches(candidate.args, createdBy)) return j;
      if (fallback < 0) fallback = j;
    }
    if (candidate.keyword !== keyword && !MAY_LEAVE_NO_ENTRY.has(candidate.keyword)) break;
  }
  return fallback;
}

function runCommandMatches(args: string, createdBy: string): boolean {
  const command = collapse(args.replace(/^(--[a-z-]+=\S+\s+)+/i, ''));
  const recorded = collapse(createdBy);
  const probe = command.slice(0, 40);
  return (probe.length > 0 && recorded.includes(probe)) || execRunMatches(args, createdBy);
}

/**
 * The legacy builder records an exec-form RUN (`RUN ["/bin/busybox", "rm", "/x"]`) as its arguments joined
 * by spaces, with no `/bin/sh -c` and no keyword (`/bin/busybox rm /x`, or `|1 A=1 /bin/busybox rm /x` with
 * build args), so the text alone says nothing: it is a RUN when the next unmatched RUN of the stage says so.
 */
function execRunAt(instructions: SourceInstruction[], cursor: number, createdBy: string): boolean {
  for (let j = cursor; j >= 0; j--) {
    const candidate = instructions[j];
    if (candidate.keyword === 'RUN') return execRunMatches(candidate.args, createdBy);
    if (!MAY_LEAVE_NO_ENTRY.has(candidate.keyword)) return false;
  }
  return false;
}

function execRunMatches(args: string, createdBy: string): boolean {
  const json = args.replace(/^(--[a-z-]+=\S+\s+)+/i, '').trim();
  if (!json.startsWith('[')) return false;
  let argv: unknown;
  try {
    argv = JSON.parse(json);
  } catch {
    return false;
  }
  if (!Array.isArray(argv) || argv.length === 0 || !argv.every((a) => typeof a === 'string')) return false;
  // `|N A=1 B=2 ` (the build args in scope) comes first when there were any.
  let recorded = createdBy.trim();
  const withArgs = /^\|(\d+) /.exec(recorded);
  if (withArgs) recorded = recorded.slice(withArgs[0].length).split(' ').slice(Number(withArgs[1])).join(' ');
  return collapse(recorded) === collapse(argv.join(' '));
}

/** The instruction keyword a history entry was made by, for both BuildKit and the legacy builder. */
export function historyKeyword(createdBy: string): string | undefined {
  const text = createdBy.trim();
  const nop = /#\(nop\)\s+([A-Z]+)\b/.exec(text);
  if (nop) return nop[1];
  const buildkit = /^([A-Z]+)\s/.exec(text);
  if (buildkit && KEYWORDS.has(buildkit[1])) return buildkit[1];
  // Legacy RUN: `/bin/sh -c cmd`, or `|2 A=1 B=2 /bin/sh -c cmd` when build args were in scope.
  if (/^(\|\d+ .*?)?(\/bin\/sh -c|\/bin\/bash -c|cmd \/S \/C)/.test(text) || /^\|\d+ /.test(text)) return 'RUN';
  return undefined;
}

const KEYWORDS = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'HEALTHCHECK', 'LABEL', 'MAINTAINER',
  'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

/** The image the built stage's filesystem starts from (following FROM <stage>), as written with ARGs resolved. */
export function baseImageOfBuiltStage(dockerfileText: string, target: string | undefined): string | undefined {
  return instructionsOfBuiltStage(dockerfileText, target).baseImage;
}

function instructionsOfBuiltStage(
  text: string,
  target: string | undefined,
): { instructions: SourceInstruction[]; fromLine?: number; baseImage?: string } {
  let model: DockerfileModel;
  try {
    model = buildModel(text, target ? { target } : {});
  } catch {
    return { instructions: [] };
  }
  if (model.targetIndex < 0) return { instructions: [] };
  // FROM <earlier stage> continues that stage's filesystem: walk down to the stage based on a real image.
  const chain: number[] = [];
  const visited = new Set<number>();
  for (let index: number | undefined = model.targetIndex; index !== undefined && !visited.has(index); ) {
    visited.add(index);
    chain.unshift(index);
    index = model.stages[index].baseStage;
  }
  const root = model.stages[chain[0]];
  const instructions = chain.flatMap((i) =>
    model.stages[i].instructions.map((ins) => ({
      keyword: ins.getKeyword().toUpperCase(),
      line: ins.getRange().start.line + 1,
      args: collapse(ins.getRawArgumentsContent() ?? ''),
    })),
  );
  const fromScratch = isScratch(root.image);
  return {
    instructions,
    fromLine: fromScratch ? undefined : root.from.getRange().start.line + 1,
    baseImage: root.image ?? root.imageRaw,
  };
}

function collapse(text: string): string {
  return text.replace(/\\\r?\n/g, ' ').replace(/\s+/g, ' ').trim();
}
