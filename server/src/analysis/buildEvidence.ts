// What in a stage shows that it builds software: build steps (go build, npm run build, dotnet publish…)
// and installs of compilers/-dev headers that stay in the layer. Installs removed again in the same RUN
// (`apk add --virtual .build-deps … && apk del .build-deps`, Debian's `apt-get purge --auto-remove`)
// leave no toolchain behind and do not count.
import type { Run } from 'dockerfile-ast';
import type { Range } from 'vscode-languageserver-types';
import { buildStepLabel, isCompilerPackage, isDevHeadersPackage } from './data/buildTools';
import { memo } from './memo';
import type { DockerfileModel, Stage } from './model';
import { flagValues, hasFlag, isCommand, positionalArgs, shellCommandsOf, type ShellCommand } from './shell';
import type { ContextFiles } from './types';

export interface BuildEvidence {
  kind: 'build-step' | 'build-packages';
  /** "go build", or the packages: "gcc, make". */
  label: string;
  range: Range;
}

const INSTALLS: readonly { tools: string[]; sub: string[] }[] = [
  { tools: ['apt-get', 'apt'], sub: ['install'] },
  { tools: ['apk'], sub: ['add'] },
  { tools: ['yum', 'dnf', 'microdnf', 'tdnf'], sub: ['install'] },
];

function removedLater(commands: readonly ShellCommand[], after: ShellCommand, packages: readonly string[], virtualName?: string): boolean {
  for (const command of commands) {
    if (command.index <= after.index) continue;
    if (isCommand(command, ['apt-get', 'apt'], ['purge', 'remove', 'autoremove'])) return true;
    if (isCommand(command, ['yum', 'dnf', 'microdnf'], ['remove', 'erase', 'autoremove'])) return true;
    if (isCommand(command, 'apk', 'del')) {
      const removed = positionalArgs(command).slice(1).map((w) => w.text);
      if ((virtualName && removed.includes(virtualName)) || packages.every((p) => removed.includes(p))) return true;
    }
  }
  return false;
}

/** Lifecycle scripts npm, yarn and pnpm run on a plain install of the project itself. */
const INSTALL_LIFECYCLE = ['preinstall', 'install', 'postinstall', 'prepare'];
const BUILD_SCRIPT = /\b(tsc|webpack|vite build|ng build|next build|nest build|nuxt build|rollup|esbuild|babel|parcel build|(npm|pnpm|yarn)( run)? build)\b/;

/**
 * When the context's package.json has a lifecycle script that builds (`"prepare": "tsc"`), an install
 * without --ignore-scripts is a build step too. Returns "prepare: tsc" or undefined.
 */
function buildingLifecycleScript(command: ShellCommand, context: ContextFiles | undefined): string | undefined {
  if (!context || !isCommand(command, ['npm', 'yarn', 'pnpm'], ['install', 'ci', 'i', 'add']) && !(isCommand(command, 'yarn') && positionalArgs(command).length === 0)) return undefined;
  if (hasFlag(command, '--ignore-scripts')) return undefined;
  let scripts: Record<string, unknown> = {};
  try {
    scripts = (JSON.parse(context.read('package.json') ?? '{}') as { scripts?: Record<string, unknown> }).scripts ?? {};
  } catch {
    return undefined;
  }
  for (const name of INSTALL_LIFECYCLE) {
    const script = scripts[name];
    if (typeof script === 'string' && BUILD_SCRIPT.test(script)) return `${name}: ${script}`;
  }
  return undefined;
}

// Four rules ask for the same stages' evidence; answers depend on the stage and the context only.
const evidenceOf = memo<Stage, Map<ContextFiles | undefined, readonly BuildEvidence[]>>('multistage.buildEvidence');

/** Build evidence of one stage (its own instructions, not its FROM chain), in order. Shared read-only. */
export function buildEvidenceOf(model: DockerfileModel, stage: Stage, context?: ContextFiles): readonly BuildEvidence[] {
  let byContext = evidenceOf.get(stage);
  if (!byContext) evidenceOf.set(stage, (byContext = new Map()));
  let evidence = byContext.get(context);
  if (!evidence) byContext.set(context, (evidence = computeBuildEvidence(model, stage, context)));
  return evidence;
}

function computeBuildEvidence(model: DockerfileModel, stage: Stage, context: ContextFiles | undefined): BuildEvidence[] {
  const evidence: BuildEvidence[] = [];
  for (const instruction of stage.instructions) {
    if (instruction.getKeyword() !== 'RUN') continue;
    const commands = shellCommandsOf(model, instruction as Run);
    for (const command of commands) {
      const step = buildStepLabel(command.argv);
      if (step) {
        evidence.push({ kind: 'build-step', label: step, range: command.range });
        continue;
      }
      const lifecycle = buildingLifecycleScript(command, context);
      if (lifecycle) {
        evidence.push({ kind: 'build-step', label: `${command.argv.slice(0, 2).join(' ')}, whose package.json ${lifecycle.split(':')[0]} script runs ${lifecycle.slice(lifecycle.indexOf(':') + 2)}`, range: command.range });
        continue;
      }
      const install = INSTALLS.find((i) => isCommand(command, i.tools, i.sub));
      if (!install) continue;
      const args = positionalArgs(command).slice(1);
      if (!args.some((w) => isCompilerPackage(w.text))) continue;
      const packages = args.filter((w) => isCompilerPackage(w.text) || isDevHeadersPackage(w.text));
      const names = packages.map((w) => w.text);
      const virtualName = flagValues(command, '--virtual')[0] ?? flagValues(command, '-t')[0];
      if (removedLater(commands, command, names, virtualName)) continue;
      evidence.push({ kind: 'build-packages', label: names.join(', '), range: command.range });
    }
  }
  return evidence;
}
