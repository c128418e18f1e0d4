// "Split into builder and runtime stages": the final stage keeps building (renamed to a builder) and a
// new runtime stage receives only the artifacts, the runtime configuration and a non-root user. The
// ecosystem recipes decide the runtime image and the artifacts; everything else is done here, the same
// way for every ecosystem.
import type { TextEdit } from 'vscode-languageserver-types';
import type { DockerfileModel, Stage } from '../model';
import { lineTextOf, offsetAt } from '../model';
import type { RuleContext } from '../types';
import { apkPackages, aptPackages, BUILD_COMMAND, runtimeApkPackages, installsToolchainPackages, isToolchainImage, runtimePackages, unmappedDevPackages } from './buildDetection';
import { parseImage, type RuntimeImage } from './runtimeImages';
import { SETTINGS } from '../settings';
import { ownershipLines, runtimeUser, type OwnershipLines, type RuntimeUser } from './ownership';
import { findWritable, startCommands } from './writable';
import { commandOf, propertyNames, stageParts, variablesIn, type Segment, type StageParts } from './stageParts';
import type { Recipe, RecipeInput, RunStep, SplitPlan } from './recipes/recipe';
import { dotnetRecipe } from './recipes/dotnet';
import { genericRecipe } from './recipes/generic';
import { goRecipe } from './recipes/go';
import { javaRecipe } from './recipes/java';
import { nextStandaloneRecipe } from './recipes/nextStandalone';
import { nodeRecipe } from './recipes/node';
import { pythonRecipe } from './recipes/python';
import { rubyRecipe } from './recipes/ruby';
import { rustRecipe } from './recipes/rust';
import { staticSiteRecipe } from './recipes/staticSite';

/** Most specific first: a Vite app is also a Node app, a Go image may carry Node for assets. */
export const RECIPES: readonly Recipe[] = [dotnetRecipe, javaRecipe, rustRecipe, goRecipe, staticSiteRecipe, nextStandaloneRecipe, nodeRecipe, pythonRecipe, rubyRecipe, genericRecipe];

/** Instructions that only describe the running container: they leave the builder for the runtime. */
const RUNTIME_ONLY = new Set(['EXPOSE', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'VOLUME', 'STOPSIGNAL', 'LABEL', 'ONBUILD', 'MAINTAINER']);

/** ENV keys that only steer package managers and compilers. */
const BUILD_ONLY_ENV = /^(?:CGO_ENABLED|GOOS|GOARCH|GOARM|GOAMD64|GOFLAGS|GOPROXY|GOPRIVATE|GONOSUMDB|GONOSUMCHECK|GOSUMDB|GO111MODULE|GOCACHE|GOMODCACHE|GOTOOLCHAIN|PIP_\w+|POETRY_\w+|UV_\w+|PIPENV_\w+|NPM_CONFIG_\w+|npm_config_\w+|YARN_\w+|MAVEN_OPTS|MAVEN_CONFIG|GRADLE_OPTS|GRADLE_USER_HOME|CARGO_\w+|RUSTFLAGS|RUSTUP_\w+|DEBIAN_FRONTEND|DOTNET_CLI_TELEMETRY_OPTOUT|DOTNET_SKIP_FIRST_TIME_EXPERIENCE|DOTNET_NOLOGO|NUGET_\w+)$/;

/** Tools that fetch or unpack during a build; carried to the runtime only when its configuration uses them. */
const FETCH_TOOLS = new Set(['curl', 'wget', 'gnupg', 'gnupg2', 'dirmngr', 'unzip', 'zip', 'xz-utils', 'bzip2', 'tar', 'gzip', 'apt-transport-https', 'software-properties-common', 'lsb-release', 'openssh-client', 'vim', 'nano', 'less', 'procps', 'sudo']);

export interface SplitResult {
  edit: TextEdit;
  /** The rewritten stage text (builder, blank line, runtime). */
  newText: string;
  ecosystem: string;
}

/** Whether the stage compiles or packages code, so that a split would take a toolchain out of the image. */
export function stageBuilds(stage: Stage, parts: StageParts, escapeChar = '\\'): boolean {
  const base = stage.image ? parseImage(stage.image) : undefined;
  const runs = parts.segments.filter((s) => s.keyword === 'RUN').map((s) => commandOf(s.instruction, escapeChar));
  if (runs.some((c) => BUILD_COMMAND.test(c) || installsToolchainPackages(c))) return true;
  const doesWork = parts.segments.some((s) => ['RUN', 'COPY', 'ADD'].includes(s.keyword));
  return !!base && doesWork && isToolchainImage(base.name, base.tag);
}

export function splitFinalStage(model: DockerfileModel, ctx: RuleContext): SplitResult | undefined {
  const stage = model.stages[model.targetIndex];
  if (!stage || stage.baseStage !== undefined || !stage.image || stage.imageUnresolved) return undefined;
  const parts = stageParts(model, stage);
  if (!stageBuilds(stage, parts, model.escapeChar)) return undefined;

  const taken = new Set(model.stages.filter((s) => s !== stage && s.name).map((s) => s.name!.toLowerCase()));
  const ownName = stage.name && /build/i.test(stage.name) ? stage.name : undefined;
  const builderName = ownName ?? ['build', 'builder', 'build-stage', 'compile'].find((n) => !taken.has(n)) ?? `build-${stage.index}`;
  const runtimeName = stage.name && !ownName ? stage.name : ['runtime', 'final', 'app'].find((n) => !taken.has(n)) ?? `runtime-${stage.index}`;

  const segmentsBy = (keyword: string) => parts.segments.filter((s) => s.keyword === keyword);
  const runs: RunStep[] = segmentsBy('RUN').map((segment) => ({ segment, command: commandOf(segment.instruction, model.escapeChar) }));
  const input: RecipeInput = {
    model,
    parts,
    runs,
    base: parseImage(stage.image),
    flavor: ctx.settings.runtimeFlavor ?? SETTINGS['split.runtimeFlavor'].default,
    builderName,
    workdir: parts.finalWorkdir,
    context: ctx.context,
    cmd: segmentsBy('CMD').pop(),
    entrypoint: segmentsBy('ENTRYPOINT').pop(),
  };
  const starts = startCommands(parts, [input.entrypoint, input.cmd].filter((s): s is Segment => !!s).map((s) => commandOf(s.instruction, model.escapeChar)), input.workdir, ctx.context);
  input.writes = findWritable(parts, [...runs.map((r) => ({ command: r.command, workdir: r.segment.workdir })), ...starts], input.workdir, ctx.context, envValues(parts));
  // No start command: a CI or tooling image whose toolchain is the point, not an app to carry over.
  if (!input.cmd && !input.entrypoint) return undefined;
  let plan: SplitPlan | undefined;
  for (const recipe of RECIPES) {
    if (!recipe.matches(input)) continue;
    plan = recipe.plan(input) ?? genericRecipe.plan(input);
    break;
  }
  if (!plan) return undefined;
  plan.runtime = { ...plan.runtime, image: keepTagVariables(stage, plan.runtime.image) };

  const user = runtimeUser(parts, plan.runtime, runs, input.base.tag);
  const own = ownershipLines(input.writes!, user, plan.runtime, plan.artifacts, builderName, input.workdir);
  const builder = builderText(model, stage, parts, plan, builderName, own);
  const runtime = runtimeText(parts, plan, runtimeName, input, user, own);
  const newText = `${builder}\n\n${runtime}`;
  const lastLine = stage.range.end.line;
  const edit: TextEdit = {
    range: { start: { line: stage.range.start.line, character: 0 }, end: { line: lastLine, character: lineTextOf(model, lastLine).length } },
    newText,
  };
  return { edit, newText, ecosystem: plan.ecosystem };
}

/** `FROM node:${NODE_VERSION}` → the runtime keeps `${NODE_VERSION}` instead of its default. */
function keepTagVariables(stage: Stage, runtimeImage: string): string {
  const raw = stage.imageRaw ?? '';
  const rawTag = parseImage(raw).tag;
  const resolvedTag = parseImage(stage.image ?? '').tag;
  if (!rawTag?.includes('$') || !resolvedTag) return runtimeImage;
  const runtime = parseImage(runtimeImage);
  if (runtime.tag?.startsWith(resolvedTag) && runtime.repository === parseImage(stage.image ?? '').repository) {
    return `${runtime.repository}:${rawTag}${runtime.tag.slice(resolvedTag.length)}`;
  }
  return runtimeImage;
}

function isRuntimeOnly(segment: Segment, parts: StageParts): boolean {
  if (RUNTIME_ONLY.has(segment.keyword)) return true;
  if (segment.keyword !== 'USER') return false;
  // A USER that later RUN/COPY steps rely on stays in the builder too.
  const after = parts.segments.slice(parts.segments.indexOf(segment) + 1);
  return !after.some((s) => ['RUN', 'COPY', 'ADD'].includes(s.keyword));
}

function builderText(model: DockerfileModel, stage: Stage, parts: StageParts, plan: SplitPlan, name: string, own: OwnershipLines): string {
  let from = parts.fromBody;
  if (stage.nameRange) {
    const base = model.lineStarts[stage.from.getRange().start.line];
    from = from.slice(0, offsetAt(model, stage.nameRange.start) - base) + name + from.slice(offsetAt(model, stage.nameRange.end) - base);
  } else {
    from = `${from.replace(/\s+$/, '')} AS ${name}`;
  }
  const lines = [from, ...(plan.builderPrelude ?? [])];
  for (const segment of parts.segments) {
    if (isRuntimeOnly(segment, parts)) continue;
    lines.push(...segment.leading, plan.replaceInBuilder?.get(segment.instruction) ?? segment.body);
  }
  while (lines.length > 1 && lines[lines.length - 1].trim() === '') lines.pop();
  lines.push(...(plan.builderAppend ?? []), ...own.builder);
  return lines.join('\n');
}

function comments(segment: Segment): string[] {
  return segment.leading.filter((line) => line.trim() !== '');
}

function runtimeText(parts: StageParts, plan: SplitPlan, name: string, input: RecipeInput, user: RuntimeUser, own: OwnershipLines): string {
  const fresh = plan.dropEnv === true;
  const dropped = plan.dropConfig ?? new Set<string>();
  const carried = parts.segments.filter((s) => isRuntimeOnly(s, parts) && s.keyword !== 'USER' && !dropped.has(s.keyword));
  const envs = fresh ? [] : parts.segments.filter((s) => s.keyword === 'ENV' && propertyNames(s.instruction).some((n) => !BUILD_ONLY_ENV.test(n)));

  // A pinned target platform stays pinned; $BUILDPLATFORM belongs to the builder only.
  const platformFlag = parts.stage.from.getPlatformFlag()?.getValue();
  const platform = platformFlag && !/BUILDPLATFORM/.test(platformFlag) ? `--platform=${platformFlag} ` : '';
  const lines: string[] = [...(plan.notes ?? []), ...own.notes, `FROM ${platform}${plan.runtime.image} AS ${name}`];
  const carriedText = [...carried, ...envs].map((s) => s.body).join('\n');
  const used = variablesIn(carriedText);
  for (const arg of parts.segments.filter((s) => s.keyword === 'ARG')) {
    if (propertyNames(arg.instruction).some((n) => used.has(n))) lines.push(arg.body);
  }
  for (const label of carried.filter((s) => s.keyword === 'LABEL' || s.keyword === 'MAINTAINER')) lines.push(...comments(label), label.body);
  if (!fresh && (parts.setsWorkdir || (plan.needsWorkdir && input.workdir !== '/'))) lines.push(...(dropped.has('USER') ? [] : own.beforeWorkdir), `WORKDIR ${input.workdir}`);
  for (const env of envs) lines.push(env.body);
  lines.push(...(plan.runtimeEnv ?? []));
  lines.push(...runtimeLibraries(plan, input, carriedText));
  const keepsUser = !dropped.has('USER');
  // Copies with --chown name the runtime user: it is created before them.
  const createFirst = keepsUser && own.beforeArtifacts.length > 0;
  if (createFirst) lines.push(...user.create);
  if (keepsUser) lines.push(...own.beforeArtifacts);
  lines.push(...plan.artifacts);
  lines.push(...(plan.extraConfig ?? []));
  const commands: string[] = [];
  for (const segment of carried) {
    if (segment.keyword === 'LABEL' || segment.keyword === 'MAINTAINER') continue;
    const body = plan.rewriteCommand?.(segment) ?? segment.body;
    (segment.keyword === 'CMD' || segment.keyword === 'ENTRYPOINT' ? commands : lines).push(...comments(segment), body);
  }
  if (keepsUser) lines.push(...(createFirst ? [] : user.create), ...own.afterArtifacts, ...user.use);
  lines.push(...commands);
  return lines.join('\n');
}

/** OS packages the application needs at run time: the runtime halves of -dev packages, and the rest. */
function runtimeLibraries(plan: SplitPlan, input: RecipeInput, carriedText: string): string[] {
  const runtime = plan.runtime;
  const wanted = (p: string) => !FETCH_TOOLS.has(p) || new RegExp(`\\b${p}\\b`).test(carriedText);
  const needs = [...(plan.runtimeNeeds ?? []), ...toolsTheConfigRuns(input, carriedText)];
  const apt = [...new Set([...runtimePackages(input.runs.flatMap((r) => aptPackages(r.command))).filter(wanted), ...needs.flatMap((n) => n.packages)])];
  const apk = runtimeApkPackages(input.runs.flatMap((r) => apkPackages(r.command))).filter(wanted);
  const count = new Set(needs.flatMap((n) => n.packages)).size;
  const why = needs.length > 0 ? [`# multistage: ${needs.map((n) => n.reason).join('; ')} at run time; ${input.base.repository}:${input.base.tag ?? 'latest'} has ${count > 1 ? 'them' : 'it'}, ${runtime.image} does not.`] : [];
  const unknown = unmappedDevPackages(input.runs.flatMap((r) => aptPackages(r.command)));
  if (unknown.length > 0 && runtime.os !== 'none') why.push(`# multistage: the builder installed ${unknown.join(', ')}; if the app loads ${unknown.length > 1 ? 'their libraries' : 'its library'} at run time, install ${unknown.length > 1 ? 'them' : 'it'} here (the runtime package name is not known).`);
  if (runtime.os === 'debian' && apt.length > 0) return [...why, `RUN apt-get update && apt-get install -y --no-install-recommends ${apt.join(' ')} && rm -rf /var/lib/apt/lists/*`];
  if (runtime.os === 'alpine' && apk.length > 0) return [`RUN apk add --no-cache ${apk.join(' ')}`];
  const missing = runtime.os === 'alpine' ? apt : runtime.os === 'debian' ? apk : [...apt, ...apk];
  if (missing.length === 0) return why.filter((line) => !/at run time;/.test(line));
  return [`# multistage: the builder installed ${missing.join(', ')}; add what the app needs at run time to ${runtime.image}.`];
}

/** The full language images (buildpack-deps) carry curl and wget; a HEALTHCHECK or CMD may rely on them. */
function toolsTheConfigRuns(input: RecipeInput, carriedText: string): Array<{ packages: string[]; reason: string }> {
  const full = ['golang', 'python', 'node', 'ruby', 'rust', 'buildpack-deps'].includes(input.base.name) && isToolchainImage(input.base.name, input.base.tag);
  const installed = new Set(input.runs.flatMap((r) => aptPackages(r.command)));
  const used = ['curl', 'wget'].filter((tool) => !installed.has(tool) && new RegExp(`(?:^|[\\s"'\\[;&|])${tool}(?=[\\s"',])`, 'm').test(carriedText));
  return full && used.length > 0 ? [{ packages: used, reason: `the configuration runs ${used.join(' and ')}` }] : [];
}

/** Values the stage's ENV instructions set (`ENV A=b`, `ENV A b`), for paths read from configuration. */
function envValues(parts: StageParts): Map<string, string> {
  const out = new Map<string, string>();
  for (const segment of parts.segments.filter((s) => s.keyword === 'ENV')) {
    const withProps = segment.instruction as unknown as { getProperties(): Array<{ getName(): string; getValue(): string | null }> };
    for (const p of withProps.getProperties()) out.set(p.getName(), p.getValue() ?? '');
  }
  return out;
}
