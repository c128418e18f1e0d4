import { DEV_REQUIREMENTS, DEV_SERVER_COMMAND, DEV_STAGE_NAME, JS_INSTALLS, JS_PRODUCTION_ENV } from '../data/packageManagers';
import { buildStepLabel } from '../data/buildTools';
import { parseImageRef } from '../imageReference';
import { envAt, flagValues, hasFlag, invocationOf, isCommand, positionalArgs, stageEnvAt, subcommandOf, type ShellCommand } from '../shell';
import { insertAfter, isYarnInstall, runsInFinalImage, type StageRun } from '../shell/layers';
import { baseChain, rootImage } from '../stageFacts';
import { copiedManifests } from '../copiedManifests';
import type { DockerfileModel } from '../model';
import type { ContextFiles, Finding, Fix, Rule } from '../types';

type JsManager = keyof typeof JS_INSTALLS;
const JS_MANAGERS = Object.keys(JS_INSTALLS) as JsManager[];
/** Commands after the install that need dev dependencies: a build, or tests and linters. */
const NEEDS_DEV = /^(test|lint|check|typecheck|e2e)(:|$)/;

export const devDependenciesInFinalStage: Rule = {
  id: 'dev-dependencies-in-final-stage',
  defaultSeverity: 'warning',
  summary: 'The final image installs development dependencies.',
  check(model, ctx) {
    if (isDevelopmentImage(model)) return [];
    const runs = runsInFinalImage(model);
    // Every command of the final image in order, and for each the next one that needs dev dependencies
    // (computed backwards once, and only when an install is found, so the lookup per install stays linear).
    let nextNeedsDev: Map<ShellCommand, ShellCommand | undefined> | undefined;
    const nextNeedingDev = (install: ShellCommand) => {
      if (!nextNeedsDev) {
        nextNeedsDev = new Map();
        const all = runs.flatMap((r) => r.commands);
        let next: ShellCommand | undefined;
        for (let k = all.length - 1; k >= 0; k--) {
          nextNeedsDev.set(all[k], next);
          if (buildStepLabel(all[k].argv) !== undefined || runsDevScript(all[k])) next = all[k];
        }
      }
      return nextNeedsDev.get(install);
    };
    const findings: Finding[] = [];
    runs.forEach((stageRun) => {
      let reported = false;
      for (const c of stageRun.commands) {
        // An install inside if/else or a case arm is the author choosing dev or prod per build.
        if (c.inBranch) continue;
        const js = jsInstallWithDev(model, stageRun, c);
        if (js && prunedLater(stageRun.commands, c)) continue;
        if (js && declaresNoDevDependencies(model, stageRun, ctx.context)) continue;
        if (js) {
          if (reported) continue;
          reported = true;
          findings.push(jsFinding(model, stageRun, c, js, nextNeedingDev(c)));
          continue;
        }
        const py = pythonDevInstall(c);
        if (py) findings.push({ range: c.range, message: py });
      }
    });
    return findings;
  },
};

/** A development or test image: a final stage named so, or one whose CMD starts a dev server or tests. */
function isDevelopmentImage(model: DockerfileModel): boolean {
  const target = model.targetIndex >= 0 ? model.stages[model.targetIndex] : undefined;
  if (!target) return false;
  const chain = baseChain(model, target);
  // The target's own name, or (for an unnamed final stage) the name of the stage it is built FROM.
  const name = chain.find((s) => s.name !== undefined)?.name;
  if (name !== undefined && DEV_STAGE_NAME.test(name)) return true;
  for (const stage of chain) {
    const start = [...stage.instructions].reverse().find((i) => i.getKeyword() === 'CMD' || i.getKeyword() === 'ENTRYPOINT');
    if (start) return DEV_SERVER_COMMAND.test(start.getArguments().map((a) => a.getValue().replace(/^\[?"?|"?,?\]?$/g, '')).join(' '));
  }
  return false;
}

/** `npm prune --omit=dev` (or --production), `pnpm prune --prod`, or a production reinstall later in the same RUN. */
function prunedLater(commands: readonly ShellCommand[], install: ShellCommand): boolean {
  return commands.some((c) => c.index > install.index && (
    (isCommand(c, ['npm', 'pnpm'], 'prune') && (hasFlag(c, '--production', '--prod') || flagValues(c, '--omit').includes('dev')))
    || (isCommand(c, 'yarn', 'install') && hasFlag(c, '--production'))
    || (isCommand(c, 'yarn', 'workspaces') && c.argv.includes('focus') && hasFlag(c, '--production'))));
}

function runsDevScript(c: ShellCommand): boolean {
  if (!isCommand(c, JS_MANAGERS)) return false;
  const [sub, script] = positionalArgs(c).map((w) => w.text);
  return NEEDS_DEV.test(sub ?? '') || ((sub === 'run' || sub === 'run-script') && NEEDS_DEV.test(script ?? ''));
}

/** The manager when `c` installs a project's JS dependencies including dev ones. */
function jsInstallWithDev(model: DockerfileModel, { stage, run, commands }: StageRun, c: ShellCommand): JsManager | undefined {
  const tool = invocationOf(c)?.tool;
  const manager = tool !== undefined && (JS_MANAGERS as readonly string[]).includes(tool) ? (tool as JsManager) : undefined;
  if (!manager) return undefined;
  const sub = subcommandOf(c)?.text;
  const installs = JS_INSTALLS[manager].subcommands;
  // `yarn` alone installs; `npm install <pkg>` / `yarn add` install named packages, not the project's dev set.
  if (!(manager === 'yarn' ? isYarnInstall(c) : sub !== undefined && installs.includes(sub))) return undefined;
  if (positionalArgs(c).length > 1 || hasFlag(c, '-g', '--global')) return undefined;
  const explicitDev = c.argv.some((a) => /^--(production|prod)=(false|0)$/.test(a) || a === '--include=dev');
  if (explicitDev) return manager;
  if (hasFlag(c, ...JS_INSTALLS[manager].omitDevFlags)) return undefined;
  if (flagValues(c, '--omit').includes('dev') || flagValues(c, '--only').some((v) => /^prod/.test(v))) return undefined;
  const env = envAt(commands, c, stageEnvAt(model, stage, run));
  for (const [name, values] of Object.entries(JS_PRODUCTION_ENV)) {
    const value = env.get(name);
    // A value only known at build time (ARG NODE_ENV) is usually set to production there: stay quiet.
    if (value !== undefined && (values.includes(value) || value.includes('$'))) return undefined;
  }
  return manager;
}

function jsFinding(model: DockerfileModel, stageRun: StageRun, c: ShellCommand, manager: JsManager, needsDev: ShellCommand | undefined): Finding {
  const command = `${manager} ${subcommandOf(c)?.text ?? 'install'}`;
  if (needsDev) {
    return {
      range: c.range,
      message: `${command} installs devDependencies into the final image, and the ${needsDev.argv.slice(0, 3).join(' ')} step on line ${needsDev.range.start.line + 1} needs them. Build in a separate stage and install only production dependencies in the final one.`,
    };
  }
  const flag = omitDevFlag(model, stageRun, manager);
  const anchor = subcommandOf(c) ?? c.words[0];
  const fix: Fix = { title: `Add ${flag}`, edits: [insertAfter(anchor, flag)], preferred: true };
  return {
    range: c.range,
    message: `${command} installs devDependencies (test runners, compilers, linters) into the final image. Add ${flag} or set NODE_ENV=production.`,
    fixes: [fix],
  };
}

/** npm 6 (Node ≤ 14) does not know --omit=dev; it needs --production. */
function omitDevFlag(model: DockerfileModel, { stage }: StageRun, manager: JsManager): string {
  if (manager !== 'npm') return JS_INSTALLS[manager].omitDevFix;
  const root = rootImage(model, stage);
  const ref = root ? parseImageRef(root.image) : undefined;
  const major = ref?.repository === 'node' ? Number(/^(\d+)/.exec(ref.tag ?? '')?.[1]) : NaN;
  return major > 0 && major <= 14 ? '--production' : JS_INSTALLS.npm.omitDevFix;
}

/** A message when `c` installs Python development requirements; undefined otherwise. */
function pythonDevInstall(c: ShellCommand): string | undefined {
  if (isCommand(c, 'pip', 'install')) {
    const files = [...flagValues(c, '-r'), ...flagValues(c, '--requirement')];
    const dev = files.find((f) => DEV_REQUIREMENTS.test(f));
    if (dev) return `pip install -r ${dev} puts development requirements into the final image. Install them only in a test or build stage.`;
    const targets = [...positionalArgs(c).map((w) => w.text), ...flagValues(c, '-e'), ...flagValues(c, '--editable')];
    const extra = targets.find((a) => /\[[^\]]*\b(dev|test|tests|testing|lint)\b[^\]]*\]/.test(a));
    if (extra) return `pip install ${extra} installs development extras into the final image. Install the package without them here.`;
    return undefined;
  }
  if (isCommand(c, 'pipenv', 'install') && hasFlag(c, '--dev', '-d')) {
    return 'pipenv install --dev puts development packages into the final image. Drop --dev here.';
  }
  if (isCommand(c, 'poetry', 'install')) {
    const excludesDev = hasFlag(c, '--no-dev') || flagValues(c, '--only').some((v) => !/\bdev\b/.test(v))
      || flagValues(c, '--without').some((v) => /\bdev\b/.test(v));
    if (!excludesDev) return 'poetry install also installs the dev dependency group into the final image. Use poetry install --only main (or --without dev).';
  }
  if (isCommand(c, 'uv', 'sync') && !hasFlag(c, '--no-dev', '--only-group') && !flagValues(c, '--no-group').includes('dev')) {
    return 'uv sync also installs the dev dependency group into the final image. Use uv sync --no-dev.';
  }
  return undefined;
}

/**
 * Whether the build context shows that the install has no dev dependencies to install: every
 * package.json the image got from the context before the install declares none and no workspaces.
 * Unknown (no context, no manifest copied, an unreadable one) is not "none".
 */
function declaresNoDevDependencies(model: DockerfileModel, { stage, run }: StageRun, context: ContextFiles | undefined): boolean {
  const manifests = copiedManifests(model, stage, run, context, 'package.json');
  if (!manifests || manifests.length === 0) return false;
  for (const path of manifests) {
    let pkg: { devDependencies?: unknown; workspaces?: unknown } | null;
    try {
      pkg = JSON.parse(context!.read(path) ?? 'null') as typeof pkg;
    } catch {
      return false;
    }
    if (pkg === null || typeof pkg !== 'object' || pkg.workspaces !== undefined) return false;
    const dev = pkg.devDependencies;
    if (dev !== undefined && (dev === null || typeof dev !== 'object' || Object.keys(dev).length > 0)) return false;
  }
  return true;
}
