// Dataset validation in VS Code: "Validate Dataset" fills the Problems panel for a folder, and the
// open image's problems are refreshed when it is opened and each time it is saved.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findConfig } from '../dataset/config';
import { validateDataset, validateImage, type Problem } from '../dataset/validate';
import { maskFilesFor } from '../io/masks';
import type { MaskEditorProvider } from '../editor/maskEditorProvider';
import { guarded } from './editorCommands';

const SEVERITY = { error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, info: vscode.DiagnosticSeverity.Information } as const;

function toDiagnostic(q: Problem): vscode.Diagnostic {
  const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), q.message, SEVERITY[q.severity]);
  d.source = 'maskwright';
  d.code = q.code;
  return d;
}

export function registerValidateCommands(context: vscode.ExtensionContext, provider: MaskEditorProvider, log: vscode.OutputChannel): void {
  const diagnostics = vscode.languages.createDiagnosticCollection('maskwright');
  context.subscriptions.push(diagnostics);
  const stopAt = (dir: string): string => vscode.workspace.getWorkspaceFolder(vscode.Uri.file(dir))?.uri.fsPath ?? dir;

  /** Replaces the diagnostics of `files` with `problems` (grouped by file). */
  const publish = (files: readonly string[], problems: readonly Problem[]): void => {
    const by = new Map<string, vscode.Diagnostic[]>();
    for (const f of files) by.set(path.resolve(f), []);
    for (const q of problems) by.set(path.resolve(q.file), [...(by.get(path.resolve(q.file)) ?? []), toDiagnostic(q)]);
    for (const [f, list] of by) diagnostics.set(vscode.Uri.file(f), list);
  };

  const refreshImage = async (image: string): Promise<void> => {
    const dir = path.dirname(image);
    try {
      const { config } = await findConfig(dir, { stopAt: stopAt(dir) });
      const f = maskFilesFor(image, config);
      publish([image, f.mask, f.instances, f.sidecar], await validateImage(image, config));
    } catch (e) {
      log.appendLine(`[validate] ${path.basename(image)}: ${(e as Error).message}`);
    }
  };
  context.subscriptions.push(provider.onDidSaveDocument((doc) => void refreshImage(doc.imagePath)));
  context.subscriptions.push(provider.onDidOpenDocument((doc) => void refreshImage(doc.imagePath)));

  context.subscriptions.push(vscode.commands.registerCommand('maskwright.validateDataset', guarded('maskwright.validateDataset', log, async (uri?: vscode.Uri) => {
    let dirs = uri instanceof vscode.Uri && uri.scheme === 'file' ? [uri.fsPath] : (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    if (!dirs.length) {
      const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Validate' });
      if (!picked) return;
      dirs = picked.map((u) => u.fsPath);
    }
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Maskwright: validating masks', cancellable: false }, async (progress) => {
      let n = 0;
      return validateDataset(dirs, { recursive: true, stopAt, onImage: () => { if (++n % 25 === 0) progress.report({ message: `${n} images` }); } });
    });
    diagnostics.clear();
    publish([], r.problems);
    const bad = r.problems.filter((q) => q.severity !== 'info').length;
    const msg = `Maskwright: ${r.images} image(s) checked, ${bad} problem(s)${r.problems.length > bad ? ` and ${r.problems.length - bad} note(s)` : ''}.`;
    // Not awaited: the command finishes with the result while the notification waits for a click.
    if (bad) void vscode.window.showWarningMessage(msg, 'Show Problems').then((pick) => pick && vscode.commands.executeCommand('workbench.actions.view.problems'));
    else void vscode.window.showInformationMessage(msg);
    return { images: r.images, problems: r.problems.length };
  })));
}
