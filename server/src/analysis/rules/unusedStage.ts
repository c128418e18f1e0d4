import type { Rule } from '../types';

export const unusedStage: Rule = {
  id: 'unused-stage',
  defaultSeverity: 'hint',
  summary: 'A stage that does not contribute to the final stage (or the configured target).',
  check(model) {
    if (model.missingTarget) return [];
    const target = model.stages[model.targetIndex];
    const targetLabel = target?.name ? `'${target.name}'` : 'the final stage';
    return model.stages
      .filter((stage) => !stage.reachesTarget)
      .map((stage) => ({
        range: stage.from.getRange(),
        unnecessary: true,
        message: `Stage ${stage.name ? `'${stage.name}'` : stage.index} is not used by ${targetLabel}; BuildKit skips it, the legacy builder still builds it.`,
      }));
  },
};
