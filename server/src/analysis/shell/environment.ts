// The environment a RUN command sees: ENV/ARG of the stage and its FROM-stages, `export`s earlier in the
// script, and the command's own `VAR=value` prefixes. Computed in one pass per stage and per RUN.
import type { Instruction } from 'dockerfile-ast';
import { memo } from '../memo';
import type { DockerfileModel, Stage } from '../model';
import type { ShellCommand } from './types';
import { substituteVariables } from '../variables';

/**
 * ENV and ARG values in effect at `instruction` within `stage`, including those inherited from a base
 * stage (FROM <stage>). References to earlier values are substituted. A value only known at build time
 * (`ARG X` without a default, or a reference to one) keeps a `$`, so callers can tell it is unknown.
 */
const stageEnvs = memo<Stage, Map<Instruction | undefined, ReadonlyMap<string, string>>>('multistage.stageEnvs');

export function stageEnvAt(model: DockerfileModel, stage: Stage, instruction?: Instruction): Map<string, string> {
  // One pass per stage records the environment before each instruction; callers get a copy.
  let snapshots = stageEnvs.get(stage);
  if (!snapshots) {
    snapshots = computeStageEnvs(model, stage);
    stageEnvs.set(stage, snapshots);
  }
  return new Map(snapshots.get(instruction) ?? snapshots.get(undefined));
}

function computeStageEnvs(model: DockerfileModel, stage: Stage): Map<Instruction | undefined, ReadonlyMap<string, string>> {
  // FROM <earlier stage> inherits its environment (baseStage is always an earlier stage: no cycles).
  const base = stage.baseStage !== undefined && stage.baseStage < stage.index ? model.stages[stage.baseStage] : undefined;
  const env = base ? stageEnvAt(model, base) : new Map<string, string>();
  const snapshots = new Map<Instruction | undefined, ReadonlyMap<string, string>>();
  let frozen: ReadonlyMap<string, string> = new Map(env);
  for (const current of stage.instructions) {
    snapshots.set(current, frozen);
    const keyword = current.getKeyword();
    if (keyword !== 'ENV' && keyword !== 'ARG') continue;
    const properties = (current as unknown as { getProperties(): { getName(): string; getValue(): string | null }[] }).getProperties();
    for (const property of properties) {
      const name = property.getName();
      const value = property.getValue();
      if (value !== null && value !== undefined) {
        const substituted = substituteVariables(value, env);
        env.set(name, substituted.unresolved ? value : substituted.text);
      } else if (keyword === 'ARG') {
        env.set(name, model.globalArgs.get(name) ?? env.get(name) ?? `\${${name}}`);
      }
    }
    frozen = new Map(env);
  }
  snapshots.set(undefined, env);
  return snapshots;
}

/** The environment a command runs with: the stage's, then `export X=…`/`X=…` earlier in the RUN, then its prefixes. */
export function envAt(commands: readonly ShellCommand[], command: ShellCommand, stageEnv?: ReadonlyMap<string, string>): Map<string, string> {
  const env = new Map(stageEnv ?? []);
  for (const [k, v] of scriptAssignmentsBefore(commands, command.index)) env.set(k, v);
  for (const [k, v] of Object.entries(command.env)) env.set(k, v);
  return env;
}

const scriptAssignments = memo<readonly ShellCommand[], ReadonlyMap<string, string>[]>('multistage.scriptAssignments');

/** `export X=…` / `X=…` made by the script before command `index`: one pass per RUN, shared snapshots. */
function scriptAssignmentsBefore(commands: readonly ShellCommand[], index: number): ReadonlyMap<string, string> {
  let snapshots = scriptAssignments.get(commands);
  if (!snapshots) {
    snapshots = [];
    let current: ReadonlyMap<string, string> = new Map();
    for (const command of commands) {
      snapshots.push(current);
      const assigned: [string, string][] = command.argv.length === 0 ? Object.entries(command.env) : [];
      if (command.argv[0] === 'export') {
        for (const arg of command.argv.slice(1)) {
          const eq = arg.indexOf('=');
          if (eq > 0) assigned.push([arg.slice(0, eq), arg.slice(eq + 1)]);
        }
      }
      if (assigned.length > 0) current = new Map([...current, ...assigned]);
    }
    snapshots.push(current);
    scriptAssignments.set(commands, snapshots);
  }
  return snapshots[Math.min(index, snapshots.length - 1)] ?? new Map();
}
