// Turns the measurements into findings a person can act on: on the line that caused the bytes, with the
// static rule whose fix removes them where one exists. Findings on base-image layers are left out (the
// Dockerfile cannot change them), except a toolchain: choosing a smaller runtime base is the fix.
import { formatBytes } from '../analysis/bytes';
import type { KnownWasteKind, XrayFinding, XrayLayer } from './types';
import type { HiddenGroup } from './layerStack';
import type { WasteMeasure } from './knownWaste';
import type { DuplicateGroup } from './duplicates';

/** The static rule whose fix removes each kind of known waste (rule ids from server/src/analysis/rules/). */
export const WASTE_RULES: Readonly<Partial<Record<KnownWasteKind, string>>> = {
  'apt-lists': 'apt-lists-not-removed',
  'apk-cache': 'apk-cache-kept',
  'dnf-cache': 'package-cache-kept',
  'pip-cache': 'pip-cache-kept',
  'npm-cache': 'package-cache-kept',
  'yarn-cache': 'package-cache-kept',
  // A cache mount keeps these caches out of the layer altogether.
  'pnpm-store': 'prefer-cache-mount',
  'go-build-cache': 'prefer-cache-mount',
  'go-mod-cache': 'prefer-cache-mount',
  'maven-repository': 'prefer-cache-mount',
  'gradle-cache': 'prefer-cache-mount',
  'cargo-registry': 'prefer-cache-mount',
  'git-folder': 'dockerignore-gaps',
  toolchain: 'toolchain-in-final-stage',
  'node-dev-dependencies': 'dev-dependencies-in-final-stage',
};

export const WASTE_LABELS: Readonly<Record<KnownWasteKind, string>> = {
  'apt-lists': 'apt lists',
  'apt-cache': 'apt package cache',
  'apk-cache': 'apk cache',
  'dnf-cache': 'dnf/yum/zypper cache',
  'pip-cache': 'pip cache',
  'npm-cache': 'npm cache',
  'yarn-cache': 'yarn cache',
  'pnpm-store': 'pnpm store',
  'go-build-cache': 'Go build cache',
  'go-mod-cache': 'Go module cache',
  'maven-repository': 'Maven repository',
  'gradle-cache': 'Gradle cache',
  'cargo-registry': 'Cargo registry',
  pycache: '__pycache__ folders',
  'git-folder': '.git folder',
  'test-folders': 'test folders',
  'source-maps': 'source maps',
  toolchain: 'build toolchain',
  'node-dev-dependencies': 'dev dependencies',
};

/** Kinds whose label already names the one folder they live in. */
const SELF_EXPLAINING: ReadonlySet<KnownWasteKind> = new Set(['apt-lists', 'apt-cache', 'apk-cache']);
const CHOWN = /\bch(?:own|mod)\b/;

export function buildFindings(
  layers: readonly XrayLayer[],
  hidden: readonly HiddenGroup[],
  waste: readonly WasteMeasure[],
  duplicates: readonly DuplicateGroup[],
  minBytes: number,
): XrayFinding[] {
  const findings: XrayFinding[] = [];
  const lineOf = (layer: number): { line?: number } => (layers[layer]?.line !== undefined ? { line: layers[layer].line } : {});
  for (const m of waste) {
    const layer = layers[m.layerIndex];
    if (m.bytes < minBytes || !layer || (layer.fromBaseImage && m.waste !== 'toolchain')) continue;
    const ruleId = WASTE_RULES[m.waste];
    const where = SELF_EXPLAINING.has(m.waste) ? '' : ` (${m.path})`;
    const message = layer.fromBaseImage
      ? `${formatBytes(m.bytes)} of ${WASTE_LABELS[m.waste]}${where} come with the base image into the final image`
      : `${formatBytes(m.bytes)} of ${WASTE_LABELS[m.waste]}${where} stay in this layer`;
    findings.push({
      kind: 'known-waste',
      waste: m.waste,
      path: m.path,
      bytes: m.bytes,
      files: m.files,
      layerIndex: m.layerIndex,
      ...lineOf(m.layerIndex),
      ...(ruleId ? { ruleId } : {}),
      message,
    });
  }
  for (const g of hidden) {
    const by = layers[g.byLayer];
    if (g.bytes < minBytes || !by || (layers[g.layer]?.fromBaseImage && by.fromBaseImage)) continue;
    const byWhere = by.line !== undefined ? `line ${by.line}${by.instruction ? ` (${by.instruction})` : ''}` : `layer ${g.byLayer}`;
    const examples = g.examples.map((e) => e.path);
    const ruleId = g.kind === 'deleted' ? 'cleanup-in-later-layer' : CHOWN.test(by.createdBy) ? 'chown-in-separate-layer' : undefined;
    const verb = g.kind === 'deleted' ? 'deleted' : 'overwritten';
    const files = `${g.files} file${g.files === 1 ? '' : 's'}`;
    findings.push({
      kind: g.kind,
      layerIndex: g.layer,
      ...lineOf(g.layer),
      byLayerIndex: g.byLayer,
      ...(by.line !== undefined ? { byLine: by.line } : {}),
      bytes: g.bytes,
      files: g.files,
      examples,
      ...(ruleId ? { ruleId } : {}),
      message: `${formatBytes(g.bytes)} in ${files} from this layer ${g.files === 1 ? 'is' : 'are'} ${verb} by ${byWhere}; the bytes stay in the image (${listed(examples)})`,
    });
  }
  for (const d of duplicates) {
    if (d.bytes < minBytes || !layers[d.layer] || layers[d.layer].fromBaseImage) continue;
    const examples = d.examples.map((e) => `${e.path} = ${e.sameAs}`);
    findings.push({
      kind: 'duplicate',
      layerIndex: d.layer,
      ...lineOf(d.layer),
      bytes: d.bytes,
      files: d.files,
      examples,
      message: `${formatBytes(d.bytes)} in ${d.files} file${d.files === 1 ? '' : 's'} of this layer repeat content already in the image (${listed(examples)})`,
    });
  }
  return findings.sort((a, b) => b.bytes - a.bytes);
}

function listed(items: readonly string[]): string {
  const shown = items.slice(0, 3).join(', ');
  return items.length > 3 ? `${shown}, …` : shown;
}
