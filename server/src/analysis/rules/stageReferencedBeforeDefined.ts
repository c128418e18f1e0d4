import type { Rule } from '../types';

export const stageReferencedBeforeDefined: Rule = {
  id: 'stage-referenced-before-defined',
  defaultSeverity: 'error',
  summary: '--from names the current stage or a later one; only earlier stages can be copied from.',
  hadolint: ['DL3022', 'DL3023'],
  check(model) {
    return model.refs
      .filter((ref) => ref.forward !== undefined)
      .map((ref) => {
        const target = model.stages[ref.forward!];
        const label = target.name ? `'${target.name}'` : `stage ${target.index}`;
        const message = ref.forward === ref.fromStage
          ? `${label} is the stage this instruction is in; a stage cannot copy from itself.`
          : `${label} is defined later (line ${target.range.start.line + 1}); a stage can only use stages defined before it.`;
        // hadolint: DL3023 for a stage copying from itself; a later stage is an undefined alias to it (DL3022).
        return { range: ref.range, message, hadolint: ref.kind === 'copy' ? (ref.forward === ref.fromStage ? 'DL3023' : 'DL3022') : undefined };
      });
  },
};
