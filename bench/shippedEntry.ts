// What the benchmarks take from Multistage, bundled as it ships (see shippedAnalysis.ts).
export { analyze } from '../server/src/analysis/analyze';
export { buildModel } from '../server/src/analysis/model';
export { allRules } from '../server/src/analysis/rules';
export { collectSuppressions } from '../server/src/analysis/suppression';

import { DockerfileParser } from 'dockerfile-ast';

/** dockerfile-ast's parse as Multistage runs it: its bundled copy, with the argument scanner installed. */
export function parseAsShipped(text: string): number {
  return DockerfileParser.parse(text).getInstructions().length;
}
