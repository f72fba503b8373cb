// Watches an open document's mask files for changes made by other programs (the CLI, git, an
// image editor): a clean document reloads; one with unsaved edits asks. Our own saves are ignored.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MaskDocument } from './maskDocument';

export function watchMaskFiles(doc: MaskDocument, log: vscode.OutputChannel): vscode.Disposable {
  if (doc.loadError) return new vscode.Disposable(() => undefined);
  const names = [doc.files.mask, doc.files.instances, doc.files.sidecar].map((f) => path.basename(f));
  const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(doc.imagePath)), `{${names.join(',')}}`));
  let timer: NodeJS.Timeout | undefined;
  const changed = new Set<string>();
  const onEvent = (u: vscode.Uri): void => {
    changed.add(u.fsPath);
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      const files = [...changed];
      changed.clear();
      void onMaskFilesChanged(doc, files, log);
    }, 150);
  };
  w.onDidChange(onEvent);
  w.onDidCreate(onEvent);
  w.onDidDelete(onEvent);
  return new vscode.Disposable(() => { if (timer) clearTimeout(timer); w.dispose(); });
}

async function onMaskFilesChanged(doc: MaskDocument, files: string[], log: vscode.OutputChannel): Promise<void> {
  if (doc.isDisposed) return;
  const foreign: string[] = [];
  for (const f of files) if (!(await doc.isOwnWrite(f))) foreign.push(f);
  if (foreign.length === 0) return;
  const names = foreign.map((f) => path.basename(f)).join(', ');
  log.appendLine(`[${path.basename(doc.imagePath)}] changed on disk: ${names}`);
  if (!doc.isDirty) {
    await doc.reloadFromDisk();
    return;
  }
  const reload = 'Reload from Disk';
  const pick = await vscode.window.showWarningMessage(
    `${names} changed on disk while ${path.basename(doc.imagePath)} has unsaved mask edits.`, reload, 'Keep My Edits');
  if (pick === reload && !doc.isDisposed) await doc.reloadFromDisk();
}
