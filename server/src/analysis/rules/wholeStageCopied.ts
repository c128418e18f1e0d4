import type { Run } from 'dockerfile-ast';
import { buildOnlyDescription, isJdkImage } from '../data/baseImages';
import { parseImageRef } from '../imageReference';
import { buildEvidenceOf } from '../buildEvidence';
import { buildStepLabel, jsBuildOutput } from '../data/buildTools';
import type { DockerfileModel, Stage } from '../model';
import { shellCommandsOf, flagValues } from '../shell';
import { baseChain, chainInstructions, cleanAbsolute, copyArgs, copyFromFlag, finalStage, isWholeContext, resolvePath, rootImage, workdirAt, workdirOf } from '../stageFacts';
import type { ContextFiles, Finding, Rule } from '../types';

/** JSON of a context file, or undefined (missing, too big, or not JSON; tsconfig may carry // comments). */
function readJson(context: ContextFiles | undefined, path: string): Record<string, any> | undefined {
  const text = context?.read(path);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text.replace(/^\s*\/\/.*$/gm, '')) as Record<string, any>;
  } catch {
    return undefined;
  }
}

/** Where an npm/yarn/pnpm build script writes, from package.json (and tsconfig.json for tsc). */
function jsOutput(label: string, context: ContextFiles | undefined): string | undefined {
  const name = /^(?:npm|yarn|pnpm|bun) (?:run )?(\S+)$/.exec(label)?.[1];
  const script = name ? readJson(context, 'package.json')?.scripts?.[name] : undefined;
  if (typeof script !== 'string') return undefined;
  const outDir = readJson(context, 'tsconfig.json')?.compilerOptions?.outDir;
  return jsBuildOutput(script, typeof outDir === 'string' ? outDir : undefined);
}

/** Output paths a stage's build steps name (`go build -o /out/app`, `dotnet publish -o /app/publish`, a Vite build's dist/). */
function artifactPaths(model: DockerfileModel, stage: Stage, context: ContextFiles | undefined): string[] {
  const workdir = workdirOf(model, stage);
  const paths: string[] = [];
  for (const instruction of stage.instructions) {
    if (instruction.getKeyword() !== 'RUN') continue;
    for (const command of shellCommandsOf(model, instruction as Run)) {
      const tool = command.argv[0];
      let outputs: string[] = [];
      if (tool === 'go' || tool === 'dotnet') outputs = [...flagValues(command, '-o'), ...flagValues(command, '--output')];
      else if (tool === 'cargo' && command.argv.includes('--release')) outputs = ['target/release/'];
      else if ((tool === 'mvn' || tool === './mvnw') && command.argv.some((a) => a === 'package' || a === 'install')) outputs = ['target/*.jar'];
      else if (tool === 'gradle' || tool === './gradlew') outputs = ['build/libs/*.jar'];
      else {
        const label = buildStepLabel(command.argv);
        const js = label ? jsOutput(label, context) : undefined;
        if (js) outputs = [js];
      }
      for (const out of outputs) if (!out.includes('$')) paths.push(out.startsWith('/') ? out : resolvePath(workdir, out) + (out.endsWith('/') ? '/' : ''));
    }
  }
  return [...new Set(paths)];
}

/** Whether the stage copied the build context into its working directory (so sources sit there). */
function hasSourcesIn(model: DockerfileModel, stage: Stage, dir: string): boolean {
  for (const instruction of chainInstructions(model, stage)) {
    if (instruction.getKeyword() !== 'COPY' || copyFromFlag(instruction)) continue;
    const args = copyArgs(instruction);
    if (!args?.destination || !args.sources.some((s) => isWholeContext(s.value))) continue;
    const dest = resolvePath(workdirAt(model, stage, instruction), args.destination.value);
    if (dest === dir || dest.startsWith(`${dir}/`) || dir === '/') return true;
  }
  return false;
}

export const wholeStageCopied: Rule = {
  id: 'whole-stage-copied',
  defaultSeverity: 'warning',
  summary: "COPY --from copies a build stage's whole filesystem or working directory into the final image.",
  check(model, ctx) {
    const stage = finalStage(model);
    if (!stage) return [];
    const findings: Finding[] = [];
    for (const runtime of baseChain(model, stage)) {
      for (const ref of runtime.refs) {
        if (ref.kind !== 'copy' || ref.target === undefined) continue;
        const source = model.stages[ref.target];
        const args = copyArgs(ref.instruction);
        if (!args?.destination) continue;
        const workdir = workdirOf(model, source);
        // Only a stage that compiles has sources and build inputs that are dead weight at run time; an
        // interpreted app's working directory (sources + production dependencies) is what it runs.
        // Asked only about a copy of `/` or of the working directory (reading a stage's build steps means
        // parsing its RUNs).
        let builds: boolean | undefined;
        const sourceBuilds = () => {
          if (builds === undefined) {
            const root = rootImage(model, source);
            const rootRef = root ? parseImageRef(root.image) : undefined;
            builds = baseChain(model, source).some((s) => buildEvidenceOf(model, s).length > 0)
              || (rootRef !== undefined && (buildOnlyDescription(rootRef) !== undefined || isJdkImage(rootRef)));
          }
          return builds;
        };
        for (const src of args.sources) {
          if (src.value.includes('$') || /[*?[]/.test(src.value)) continue;
          // COPY --from paths are relative to the source stage's root, not its WORKDIR.
          const path = cleanAbsolute(src.value);
          const whole = (path === '/' || (path === workdir && hasSourcesIn(model, source, path))) && sourceBuilds();
          if (!whole) continue;
          const name = source.name ?? String(source.index);
          const artifacts = artifactPaths(model, source, ctx.context);
          const what = path === '/' ? `the whole filesystem of '${name}' (its toolchain included)` : `the whole working directory ${path} of '${name}' (sources and build inputs)`;
          findings.push({
            range: src.range,
            message: `COPY --from=${name} ${src.value} copies ${what} into the final image. Copy only what the program needs at run time${artifacts.length ? `: ${name} builds ${artifacts.join(', ')}` : ' (the build output, production dependencies)'}.`,
          });
        }
      }
    }
    return findings;
  },
};
