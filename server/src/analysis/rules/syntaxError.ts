import { ValidationCode } from 'dockerfile-utils';
import { BUILDER_ERRORS_ONLY, validateDockerfile } from '../builderValidation';
import type { Rule } from '../types';

// Problems dockerfile-utils reports that another Multistage rule already reports more precisely.
const REPORTED_ELSEWHERE = new Set<number>([ValidationCode.DUPLICATE_BUILD_STAGE_NAME]);

export const syntaxError: Rule = {
  id: 'syntax-error',
  defaultSeverity: 'error',
  summary: 'What the Docker builder itself rejects: unknown instructions, bad flags, missing arguments.',
  check(model) {
    // The model's parse is reused (see builderValidation.ts).
    return validateDockerfile(model.text, BUILDER_ERRORS_ONLY, model.dockerfile)
      .filter((d) => d.severity === 1 && !REPORTED_ELSEWHERE.has(Number(d.code)))
      .map((d) => ({ range: d.range, message: typeof d.message === 'string' ? d.message : d.message.value }));
  },
};
