import { editDistance } from '../editDistance';
import { looksLikeImageReference } from '../data/officialImages';
import type { Rule } from '../types';

/** How far a name may be from a stage name and still be offered as a correction. */
function maxSuggestionDistance(value: string): number {
  return Math.max(2, Math.floor(value.length / 3));
}

export const unknownStageReference: Rule = {
  id: 'unknown-stage-reference',
  defaultSeverity: 'warning',
  summary: '--from names no stage of this Dockerfile and does not look like an image reference.',
  hadolint: ['DL3022'],
  check(model) {
    const findings = [];
    for (const ref of model.refs.concat()) {
      if (ref.kind === 'from' || ref.target !== undefined || ref.forward !== undefined) continue;
      if (ref.value.includes('$') || /^\d+$/.test(ref.value)) continue;
      // A stage named by a variable could be the one meant: nothing certain can be said then.
      if (model.stages.some((s) => s.index < ref.fromStage && s.name?.includes('$'))) continue;
      // Candidates: stages defined before the reference, the only ones it may name.
      let best: { name: string; distance: number } | undefined;
      for (const stage of model.stages) {
        if (stage.index >= ref.fromStage || !stage.name) continue;
        const distance = editDistance(ref.value.toLowerCase(), stage.name.toLowerCase());
        if (!best || distance < best.distance) best = { name: stage.name, distance };
      }
      const nearMiss = best !== undefined && best.distance <= maxSuggestionDistance(ref.value);
      if (!nearMiss && looksLikeImageReference(ref.value)) continue;
      const where = ref.kind === 'copy' ? 'COPY --from' : 'RUN --mount from';
      findings.push({
        range: ref.range,
        severity: best?.distance === 1 ? ('error' as const) : undefined,
        message: nearMiss
          ? `${where}=${ref.value} names no stage. Did you mean '${best!.name}'?`
          : `${where}=${ref.value} names no earlier stage; the builder will try to pull an image called '${ref.value}'.`,
        fixes: nearMiss
          ? [{ title: `Change to '${best!.name}'`, edits: [{ range: ref.range, newText: best!.name }], preferred: true, safe: best!.distance === 1 }]
          : [],
      });
    }
    return findings;
  },
};
