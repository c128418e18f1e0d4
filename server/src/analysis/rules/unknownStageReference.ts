import { editDistance } from '../editDistance';
import { looksLikeImageReference } from '../data/officialImages';
import type { DockerfileModel, StageRef } from '../model';
import type { Finding, Rule } from '../types';

/**
 * A number that resolves to no stage. In COPY --from it is an index past the last stage, which the
 * builder rejects ("invalid stage index"); in RUN --mount it is not an index at all: BuildKit takes
 * the number for an image name and tries to pull it.
 */
function indexFinding(model: DockerfileModel, ref: StageRef): Finding {
  const count = model.stages.length;
  const stages = `this file has ${count} stage${count === 1 ? '' : 's'} (0${count > 1 ? `–${count - 1}` : ''})`;
  const message = ref.kind === 'copy'
    ? `COPY --from=${ref.value}: invalid stage index, ${stages}; the builder stops here.`
    : `RUN --mount from=${ref.value} names an image called '${ref.value}', not a stage: only COPY --from takes a stage index. Name the stage and use the name.`;
  return { range: ref.range, severity: 'error', message };
}

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
      if (ref.value.includes('$')) continue;
      if (/^\d+$/.test(ref.value)) {
        findings.push(indexFinding(model, ref));
        continue;
      }
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
        // Not safe: the value as written names an image (pulled when it exists), and another stage is
        // a guess about what was meant, so the build would change.
        fixes: nearMiss
          ? [{ title: `Change to '${best!.name}'`, edits: [{ range: ref.range, newText: best!.name }], preferred: true }]
          : [],
        // hadolint's DL3022 checks COPY --from only.
        hadolint: ref.kind === 'copy' ? 'DL3022' : undefined,
      });
    }
    return findings;
  },
};
