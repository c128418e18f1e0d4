import { DockerfileParser } from 'dockerfile-ast';
import { validate, ValidationCode, ValidationSeverity } from 'dockerfile-utils';
import type { DockerfileModel } from '../model';
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
    return validateParsed(model)
      .filter((d) => d.severity === 1 && !REPORTED_ELSEWHERE.has(Number(d.code)))
      .map((d) => ({ range: d.range, message: typeof d.message === 'string' ? d.message : d.message.value }));
  },
};

/**
 * dockerfile-utils' validate() parses the text again (Validator.validate calls DockerfileParser.parse on
 * the document text, dockerfile-utils 0.16 lib/dockerValidator.js) and offers no way to pass a parsed
 * file. The model already holds that parse, so it is lent for the one synchronous call: parsing is
 * about 40% of validate()'s time (bench/, `npm run bench`). The validator only reads the AST. Any other
 * text still gets a fresh parse, and the original function is always put back.
 */
function validateParsed(model: DockerfileModel) {
  const parse = DockerfileParser.parse;
  DockerfileParser.parse = (content: string) => (content === model.text ? model.dockerfile : parse(content));
  try {
    return validate(model.text, ONLY_ERRORS);
  } finally {
    DockerfileParser.parse = parse;
  }
}
