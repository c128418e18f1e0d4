// What an ecosystem recipe receives and returns. A recipe decides the runtime image, the artifacts
// to copy and the few builder changes its ecosystem needs; split.ts does the rest (naming, carrying
// the runtime configuration and comments over, the non-root user) the same way for every recipe.
import type { Instruction } from 'dockerfile-ast';
import type { DockerfileModel } from '../../model';
import type { ContextFiles } from '../../types';
import type { ImageRef, RuntimeFlavor, RuntimeImage } from '../runtimeImages';
import { relativeTo, type Segment, type StageParts } from '../stageParts';
import type { WritableFindings } from '../writable';
import type { RuntimeNeed } from '../runtimeNeeds';

export interface RunStep {
  segment: Segment;
  /** The shell command, continuation lines joined. */
  command: string;
}

export interface RecipeInput {
  model: DockerfileModel;
  parts: StageParts;
  runs: RunStep[];
  base: ImageRef;
  flavor: RuntimeFlavor;
  builderName: string;
  /** The runtime stage's working directory (the builder's final one). */
  workdir: string;
  context?: ContextFiles;
  /** Words of the final CMD / ENTRYPOINT, when set. */
  cmd?: Segment;
  entrypoint?: Segment;
  /** Where the app writes at run time (set before the recipes run). */
  writes?: WritableFindings;
}

export interface SplitPlan {
  ecosystem: string;
  runtime: RuntimeImage;
  /** New text for builder instructions the recipe has to change (e.g. CGO_ENABLED=0). */
  replaceInBuilder?: Map<Instruction, string>;
  /** Lines right after the builder's FROM. */
  builderPrelude?: string[];
  /** Lines at the end of the builder. */
  builderAppend?: string[];
  /** ENV lines the runtime needs on top of the carried ones. */
  runtimeEnv?: string[];
  /** COPY --from lines (and anything else the artifacts need). */
  artifacts: string[];
  /** Runtime keywords that no longer apply on the new base (a dev server's EXPOSE/CMD under nginx). */
  dropConfig?: ReadonlySet<string>;
  /** Instructions added to the runtime configuration (EXPOSE 80 for nginx). */
  extraConfig?: string[];
  /** New text for a CMD/ENTRYPOINT that ran the toolchain (`go run`, `mvn spring-boot:run`). */
  rewriteCommand?: (segment: Segment) => string | undefined;
  /** Whether the runtime needs WORKDIR even when the original relied on the base image's default. */
  needsWorkdir?: boolean;
  /** Set for recipes that carry ENV over (all but the static site). */
  dropEnv?: boolean;
  /** System libraries the app's packages load at run time that the builder image had (runtimeNeeds.ts). */
  runtimeNeeds?: RuntimeNeed[];
  /** Comment lines the recipe wants above the runtime FROM. */
  notes?: string[];
}

export interface Recipe {
  id: string;
  /** Cheap test: does this stage look like this ecosystem? Recipes are tried in order. */
  matches(input: RecipeInput): boolean;
  plan(input: RecipeInput): SplitPlan | undefined;
}

export function findRun(input: RecipeInput, pattern: RegExp): RunStep | undefined {
  return input.runs.find((run) => pattern.test(run.command));
}

/** `COPY --from=<builder> <abs source> <dest>`, the destination relative to the runtime workdir. */
export function copyFromBuilder(input: RecipeInput, source: string, dest = source, workdir = input.workdir): string {
  return `COPY --from=${input.builderName} ${source} ${relativeTo(workdir, dest)}`;
}

/** Value of a `-o X` / `--output X` / `--output=X` style option in a command. */
export function optionValue(command: string, names: string[]): string | undefined {
  const words = command.split(' ');
  for (let i = 0; i < words.length; i++) {
    for (const name of names) {
      if (words[i] === name && words[i + 1]) return stripQuotes(words[i + 1]);
      if (words[i].startsWith(name + '=')) return stripQuotes(words[i].slice(name.length + 1));
    }
  }
  return undefined;
}

export function stripQuotes(word: string): string {
  return word.replace(/^["']|["']$/g, '');
}

/** Reads a JSON file from the context, tolerating comments and trailing commas (tsconfig style). */
export function readJson(input: RecipeInput, path: string): Record<string, unknown> | undefined {
  const text = input.context?.read(path);
  if (text === undefined) return undefined;
  const tryParse = (t: string) => {
    try {
      const v: unknown = JSON.parse(t);
      return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  };
  return tryParse(text) ?? tryParse(text.replace(/\/\*[\s\S]*?\*\/|(^|[^:"])\/\/.*$/gm, '$1').replace(/,(\s*[}\]])/g, '$1'));
}

/**
 * The COPY instructions that brought the sources from the context, to repeat in the runtime stage.
 * Copies of single files that a later copy of the whole context brings again are left out.
 */
export function sourceCopies(input: RecipeInput, keep: (segment: Segment) => boolean = () => true): string[] {
  const copies = input.parts.segments.filter((s) => (s.keyword === 'COPY' || s.keyword === 'ADD') && !/--from[= ]/.test(s.body) && keep(s));
  const wholeContext = (s: Segment) => s.instruction.getArguments().slice(0, -1).some((a) => ['.', './', '*'].includes(a.getValue()));
  return copies
    .filter((s, i) => wholeContext(s) || !copies.slice(i + 1).some(wholeContext))
    .map((s) => s.body.trim());
}

/** Whether the app writes somewhere inside its working directory (see writable.ts). */
export function writesInside(input: RecipeInput): boolean {
  const inside = (path: string) => path.startsWith(`${input.workdir.replace(/\/+$/, '')}/`);
  return !!input.writes && (input.writes.paths.some((p) => inside(p.path)) || input.writes.selfDirs.length > 0);
}
