import type { TextEdit } from 'vscode-languageserver-types';
import type { DockerfileModel, Stage } from '../model';
import type { Fix, Rule } from '../types';

/** A name for an unnamed stage that no other stage uses yet. */
function chooseStageName(model: DockerfileModel, stage: Stage): string {
  // Besides stage names, any image or --from value the file names: after `AS builder`, a later
  // `FROM builder` or `COPY --from=builder` meant for an image would resolve to the stage instead.
  const taken = new Set([
    ...model.stages.map((s) => s.name?.toLowerCase()),
    ...model.stages.map((s) => s.imageRaw?.toLowerCase().replace(/[:@].*$/, '')),
    ...model.refs.map((r) => r.value.toLowerCase()),
  ].filter(Boolean));
  const preferred = stage.index === 0 ? 'builder' : `stage-${stage.index}`;
  let name = preferred;
  for (let n = 2; taken.has(name); n++) name = `${preferred}-${n}`;
  return name;
}

function nameStageFix(model: DockerfileModel, stage: Stage): Fix | undefined {
  const edits: TextEdit[] = [];
  let name = stage.name;
  if (!name) {
    const imageRange = stage.from.getImageRange();
    if (!imageRange) return undefined;
    name = chooseStageName(model, stage);
    edits.push({ range: { start: imageRange.end, end: imageRange.end }, newText: ` AS ${name}` });
  }
  for (const ref of model.refs) {
    if (ref.target === stage.index && /^\d+$/.test(ref.value)) edits.push({ range: ref.range, newText: name });
  }
  const title = stage.name ? `Use the stage name '${name}'` : `Name stage ${stage.index} '${name}' and use the name`;
  return { title, edits, preferred: true, safe: true };
}

export const numericStageReference: Rule = {
  id: 'numeric-stage-reference',
  defaultSeverity: 'warning',
  summary: '--from=<number> breaks silently when a stage is inserted; name the stage instead.',
  check(model) {
    const findings = [];
    for (const ref of model.refs) {
      if (ref.kind === 'from' || ref.target === undefined || !/^\d+$/.test(ref.value)) continue;
      const stage = model.stages[ref.target];
      const fix = nameStageFix(model, stage);
      findings.push({
        range: ref.range,
        message: stage.name
          ? `--from=${ref.value} refers to stage '${stage.name}' by position; use its name.`
          : `--from=${ref.value} refers to a stage by position; it breaks when a stage is added above it. Name the stage.`,
        fixes: fix ? [fix] : [],
      });
    }
    return findings;
  },
};
