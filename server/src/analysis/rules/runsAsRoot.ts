import type { Instruction } from 'dockerfile-ast';
import {
  PRIVILEGE_DROP_COMMANDS, defaultsToNonRoot, dropsPrivilegesItself, hasBuiltInNodeUser, isScratch, isWindowsImage, osFamily,
} from '../data/baseImages';
import { insertLinesEdit, lineTextOf, textOf, type DockerfileModel, type Stage } from '../model';
import { stageEnvAt } from '../shell';
import { substituteVariables } from '../variables';
import { chainInstructions, finalStage, rootImage } from '../stageFacts';
import type { Finding, Fix, Rule } from '../types';

function isRootUser(value: string): boolean {
  const user = value.trim().split(':')[0];
  return user === 'root' || user === '0';
}

/** Where a new USER goes: before the CMD/ENTRYPOINT that follows the stage's last RUN (and the comments
 * right above it), so later RUNs keep their root rights; else after the stage's last instruction. */
function insertionLine(model: DockerfileModel, stage: Stage): number {
  const instructions = stage.instructions;
  let lastRun = -1;
  instructions.forEach((instruction, i) => {
    if (instruction.getKeyword() === 'RUN') lastRun = i;
  });
  const start = instructions.findIndex((instruction, i) => i > lastRun && ['CMD', 'ENTRYPOINT', 'HEALTHCHECK'].includes(instruction.getKeyword()));
  if (start < 0) {
    const last: Instruction | undefined = instructions[instructions.length - 1];
    return (last ?? stage.from).getRange().end.line + 1;
  }
  let line = instructions[start].getRange().start.line;
  while (line > 0 && /^\s*#/.test(lineTextOf(model, line - 1)) && !/^\s*#\s*(syntax|escape|check)\s*=/.test(lineTextOf(model, line - 1))) line--;
  return line;
}

function userFix(model: DockerfileModel, stage: Stage, image: string | undefined): Fix | undefined {
  const family = image ? osFamily(image) : 'unknown';
  let lines: string[];
  let title: string;
  if (image && hasBuiltInNodeUser(image)) {
    lines = ['USER node'];
    title = "Run as the image's built-in 'node' user";
  } else if (family === 'distroless') {
    lines = ['USER nonroot'];
    title = "Run as distroless's 'nonroot' user";
  } else if (family === 'scratch') {
    lines = ['USER 65534:65534'];
    title = 'Run as the unprivileged uid 65534 (nobody)';
  } else if (family === 'alpine') {
    lines = ['RUN adduser -D -H -u 10001 app', 'USER app'];
    title = "Add a non-root user 'app' (adduser -D) and switch to it";
  } else if (family === 'debian') {
    lines = ['RUN useradd --create-home --uid 10001 app', 'USER app'];
    title = "Add a non-root user 'app' (useradd) and switch to it";
  } else {
    return undefined;
  }
  const edit = insertLinesEdit(model, insertionLine(model, stage), lines);
  if (!edit) return undefined;
  return { title, edits: [edit], preferred: true };
}

export const runsAsRoot: Rule = {
  id: 'runs-as-root',
  defaultSeverity: 'warning',
  summary: 'The final stage runs as root.',
  hadolint: ['DL3002'],
  check(model) {
    const stage = finalStage(model);
    if (!stage) return [];
    const instructions = chainInstructions(model, stage);
    const users = instructions.filter((i) => i.getKeyword() === 'USER');
    const lastUser = users[users.length - 1];
    const root = rootImage(model, stage);
    if (lastUser) {
      const written = lastUser.getArguments().map((a) => a.getValue()).join(' ');
      // `USER ${APP_USER}`: resolve it with the ARG/ENV values in effect; an unknown value is given the
      // benefit of the doubt (it is set at build time, usually to a non-root name).
      const owner = model.stages.find((s) => s.instructions.includes(lastUser)) ?? stage;
      const value = written.includes('$') ? substituteVariables(written, stageEnvAt(model, owner, lastUser)).text : written;
      if (!isRootUser(value)) return [];
      const finding: Finding = {
        range: lastUser.getRange(),
        message: `The image runs as ${value}${value !== written ? ` (${written})` : ''}: a process that is compromised, or a bug that writes anywhere, acts as root in the container. Switch to an unprivileged user after the steps that need root.`,
        hadolint: 'DL3002',
      };
      return [finding];
    }
    if (!root) return [];
    const image = root.image;
    if (defaultsToNonRoot(image) || dropsPrivilegesItself(image) || isWindowsImage(image)) return [];
    // A scratch stage without CMD/ENTRYPOINT exports files (`--output`); nothing runs in it.
    if (isScratch(image) && !instructions.some((i) => i.getKeyword() === 'CMD' || i.getKeyword() === 'ENTRYPOINT')) return [];
    // Entrypoints that switch user themselves (gosu, su-exec) run the service unprivileged.
    // (The instruction's text is tested first: its arguments lie within it, and most never mention one.)
    const dropsPrivileges = (i: Instruction) => PRIVILEGE_DROP_COMMANDS.test(textOf(model, i.getRange())) && PRIVILEGE_DROP_COMMANDS.test(i.getRawArgumentsContent() ?? '');
    if (instructions.some(dropsPrivileges)) return [];
    const range = stage.from.getImageRange() ?? stage.from.getRange();
    const fix = userFix(model, stage, image);
    const who = osFamily(image) === 'unknown' ? `${image}'s default user, root unless that image sets another` : `${image}'s default user, root`;
    return [{
      range,
      message: `The final stage has no USER, so it runs as ${who}. Add a non-root USER${hasBuiltInNodeUser(image) ? " (the node image already has a 'node' user)" : ''}.`,
      fixes: fix ? [fix] : [],
    }];
  },
};
