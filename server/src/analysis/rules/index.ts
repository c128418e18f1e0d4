import type { Rule } from '../types';
import { duplicateStageName } from './duplicateStageName';
import { numericStageReference } from './numericStageReference';
import { stageReferencedBeforeDefined } from './stageReferencedBeforeDefined';
import { syntaxError } from './syntaxError';
import { unknownStageReference } from './unknownStageReference';
import { unusedStage } from './unusedStage';

export const allRules: readonly Rule[] = [
  syntaxError,
  unknownStageReference,
  stageReferencedBeforeDefined,
  duplicateStageName,
  numericStageReference,
  unusedStage,
];

export function ruleById(id: string): Rule | undefined {
  return allRules.find((rule) => rule.id === id);
}
