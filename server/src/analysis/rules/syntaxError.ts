import { ValidationCode, ValidationSeverity } from 'dockerfile-utils';
import { validateDockerfile } from '../builderValidation';
import type { Rule } from '../types';

// Problems dockerfile-utils reports that another Multistage rule already reports more precisely.
const REPORTED_ELSEWHERE = new Set<number>([ValidationCode.DUPLICATE_BUILD_STAGE_NAME]);

// Style warnings are not what the builder rejects; keep only errors.
const ONLY_ERRORS = {
  deprecatedMaintainer: ValidationSeverity.IGNORE,
  directiveCasing: ValidationSeverity.IGNORE,
  emptyContinuationLine: ValidationSeverity.IGNORE,
  instructionCasing: ValidationSeverity.IGNORE,
  instructionCmdMultiple: ValidationSeverity.IGNORE,
  instructionEntrypointMultiple: ValidationSeverity.IGNORE,
  instructionHealthcheckMultiple: ValidationSeverity.IGNORE,
  instructionJSONInSingleQuotes: ValidationSeverity.IGNORE,
  instructionWorkdirRelative: ValidationSeverity.IGNORE,
};

export const syntaxError: Rule = {
  id: 'syntax-error',
  defaultSeverity: 'error',
  summary: 'What the Docker builder itself rejects: unknown instructions, bad flags, missing arguments.',
  check(model) {
    // The model's parse is reused (see builderValidation.ts).
    return validateDockerfile(model.text, ONLY_ERRORS, model.dockerfile)
      .filter((d) => d.severity === 1 && !REPORTED_ELSEWHERE.has(Number(d.code)))
      .map((d) => ({ range: d.range, message: typeof d.message === 'string' ? d.message : d.message.value }));
  },
};
