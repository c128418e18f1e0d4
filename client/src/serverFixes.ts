// The language server's quick fixes for one of its own diagnostics, asked with that diagnostic alone in the
// request's context (the server answers per context diagnostic), so every fix returned belongs to its rule.
// The X-ray re-offers them on measured findings; VS Code's executeCodeActionProvider would answer for
// every diagnostic on the range and without saying which action fixes which.
import * as vscode from 'vscode';
import { CodeActionKind, CodeActionRequest, type LanguageClient } from 'vscode-languageclient/node';

export async function quickFixesFor(
  client: LanguageClient | undefined,
  document: vscode.TextDocument,
  diagnostic: vscode.Diagnostic,
): Promise<vscode.CodeAction[]> {
  if (!client?.isRunning()) return [];
  const c2p = client.code2ProtocolConverter;
  const result = await client.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: c2p.asUri(document.uri) },
    range: c2p.asRange(diagnostic.range),
    context: { diagnostics: [c2p.asDiagnostic(diagnostic)], only: [CodeActionKind.QuickFix] },
  });
  const actions = await client.protocol2CodeConverter.asCodeActionResult(result ?? []);
  return actions.filter((a): a is vscode.CodeAction => a instanceof vscode.CodeAction);
}
