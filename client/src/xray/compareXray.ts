// Build and Compare's X-ray of both sides: the hook runComparison calls while each built image still
// exists, and, once the comparison is done, the annotations on the Dockerfiles the sides were built from.
import * as vscode from 'vscode';
import { engineOfCliPath, xrayImage } from '../../../server/src/xray/xray';
import type { CompareOptions } from '../../../server/src/docker/compare';
import type { CompareResult, Side } from '../../../server/src/docker/pure/compareTypes';
import type { SideSource } from '../compare/baselines';
import { annotationsFromReport } from './lineAnnotations';
import type { XrayEditorAnnotations } from './editorAnnotations';

export function xrayForComparison(dockerPath: string, starting: (side: Side) => void): NonNullable<CompareOptions['xray']> {
  return async (imageId, about) => {
    starting(about.side);
    const outcome = await xrayImage(imageId, {
      engine: engineOfCliPath(dockerPath),
      enginePath: dockerPath,
      signal: about.signal,
      dockerfileText: about.dockerfileText,
      ...(about.target ? { target: about.target } : {}),
    });
    return outcome.ok ? outcome.report : { error: outcome.failure.message };
  };
}

/**
 * Shows each side's X-ray on its Dockerfile: the working copy ("after") always, the "before" side when it
 * is another file on disk (a git revision or a pre-rewrite text has no editor to annotate).
 */
export async function showComparisonXray(
  result: CompareResult,
  sides: Record<Side, SideSource>,
  annotations: XrayEditorAnnotations,
  output: vscode.LogOutputChannel,
): Promise<void> {
  for (const side of ['after', 'before'] as const) {
    const report = result[side].xray;
    const source = sides[side];
    if (result[side].xrayError) output.warn(`Build and Compare: no X-ray of the ${side} image: ${result[side].xrayError}`);
    if (!report || !source.path) continue;
    if (side === 'before' && (source.text !== undefined || source.path === sides.after.path)) continue;
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(source.path));
    const text = source.text ?? document.getText();
    const origin = `Build and Compare, ${side} side (${source.label})`;
    const xraySource = { image: report.imageId, imageId: report.imageId, analysedAt: report.analysedAt, origin };
    annotations.show(document, annotationsFromReport(report, text.split(/\r?\n/), xraySource), xraySource);
  }
}
