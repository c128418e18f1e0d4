import type { Rule } from '../types';

export const duplicateStageName: Rule = {
  id: 'duplicate-stage-name',
  defaultSeverity: 'error',
  summary: 'Two stages share a name (names are case-insensitive).',
  hadolint: ['DL3024'],
  check(model) {
    const firstByName = new Map<string, number>();
    const findings = [];
    for (const stage of model.stages) {
      if (!stage.name || !stage.nameRange) continue;
      const key = stage.name.toLowerCase();
      const first = firstByName.get(key);
      if (first === undefined) {
        firstByName.set(key, stage.index);
        continue;
      }
      const line = model.stages[first].range.start.line + 1;
      findings.push({ range: stage.nameRange, message: `Stage name '${stage.name}' is already used on line ${line}.`, hadolint: 'DL3024' });
    }
    return findings;
  },
};
