import type { Arg, Env, Instruction } from 'dockerfile-ast';
import { mayNameSecret, secretWordIn } from '../data/secrets';
import { textOf } from '../model';
import type { Finding, Rule } from '../types';

export const secretInArgOrEnv: Rule = {
  id: 'secret-in-arg-or-env',
  defaultSeverity: 'warning',
  summary: 'A secret-looking ARG/ENV is baked into the image metadata or history.',
  check(model) {
    const findings: Finding[] = [];
    const check = (instruction: Instruction) => {
      const keyword = instruction.getKeyword();
      if (keyword !== 'ARG' && keyword !== 'ENV') return;
      // Most ARG/ENV lines name nothing secret-looking: their properties are not built for this rule.
      if (!mayNameSecret(textOf(model, instruction.getRange()))) return;
      for (const property of (instruction as Arg | Env).getProperties()) {
        const name = property.getName();
        const word = name ? secretWordIn(name) : undefined;
        if (!word) continue;
        const value = property.getValue();
        if (keyword === 'ENV') {
          // ENV X= (empty) stores nothing secret.
          if (value === null || value === '' || value === '""' || value === "''") continue;
          findings.push({
            range: property.getNameRange(),
            message: `ENV ${name} looks like a secret (${word}); every ENV value is stored in the image config, visible to anyone who can pull it (docker inspect). Pass it at run time, or use RUN --mount=type=secret,id=${name.toLowerCase()} for build steps that need it.`,
          });
        } else {
          const how = value === null ? 'passed with --build-arg' : 'given a default';
          findings.push({
            range: property.getNameRange(),
            message: `ARG ${name} looks like a secret (${word}) and is ${how}; build arguments are recorded in the image history and the build cache. Use RUN --mount=type=secret,id=${name.toLowerCase()} (docker build --secret id=${name.toLowerCase()},env=${name}) instead.`,
          });
        }
      }
    };
    // ARGs before the first FROM are only visible to FROM lines; a stage that wants one redeclares it,
    // and that redeclaration is what reaches the history, so only stage instructions are checked.
    for (const stage of model.stages) for (const instruction of stage.instructions) check(instruction);
    return findings;
  },
};
