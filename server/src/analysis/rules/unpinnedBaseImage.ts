import type { TextEdit } from 'vscode-languageserver-types';
import { formatImageRef, imageName, parseImageRef } from '../imageReference';
import { imageTextSource, pulledImage } from '../stageFacts';
import type { Finding, Fix, Rule, RuleContext } from '../types';

export const unpinnedBaseImage: Rule = {
  id: 'unpinned-base-image',
  defaultSeverity: 'warning',
  summary: 'FROM without a tag or with `latest`: the build changes when the image is republished.',
  hadolint: ['DL3006', 'DL3007'],
  check(model, ctx: RuleContext) {
    const findings: Finding[] = [];
    for (const stage of model.stages) {
      // Stage names and unresolvable variables are not images we can judge; scratch has no versions.
      const image = pulledImage(stage);
      if (image === undefined) continue;
      if (stage.refs.some((r) => r.kind === 'from' && r.forward !== undefined)) continue;
      const ref = parseImageRef(image);
      if (ref.digest || (ref.tag && ref.tag !== 'latest')) continue;
      const range = stage.from.getImageRange();
      if (!range) continue;
      const what = ref.tag ? `${imageName(ref)}:latest` : `${image} (no tag, so :latest)`;
      const fixes: Fix[] = [];
      const facts = ctx.images?.get(image) ?? ctx.images?.get(formatImageRef(ref));
      const source = imageTextSource(model, stage);
      if (facts?.digest && source && source.text === image) {
        const pinned = `${source.text}@${facts.digest}`;
        const edit: TextEdit = { range: source.range, newText: pinned };
        fixes.push({ title: `Pin to the digest ${image} has now (${facts.digest.slice(0, 19)}…)`, edits: [edit], preferred: true });
      }
      findings.push({
        range,
        message: `${what} is a moving target: the next build may get another version without any change to this file. Pin a version tag (e.g. ${imageName(ref)}:<version>) or a digest.`,
        fixes,
        hadolint: ref.tag ? 'DL3007' : 'DL3006',
      });
    }
    return findings;
  },
};
