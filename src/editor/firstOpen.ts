// Images that opened in the text editor before the mask editor existed. With
// workbench.editorAssociations mapping *.png to the mask editor, an image opened while the workbench
// was still starting (extensions not yet registered) can land in VS Code's "binary file" text
// editor. When the extension activates it reopens those tabs in the mask editor, once: a text
// editor a person chooses later is left alone.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { associatedWith, IMAGE_EXT } from './associations';
import { VIEW_TYPE } from './navigation';

/** Text-editor tabs of images that the user's associations send to the mask editor. */
function misopenedTabs(): vscode.Tab[] {
  const associations = vscode.workspace.getConfiguration('workbench').get<unknown>('editorAssociations');
  const out: vscode.Tab[] = [];
  for (const g of vscode.window.tabGroups.all) {
    for (const t of g.tabs) {
      if (!(t.input instanceof vscode.TabInputText) || t.input.uri.scheme !== 'file' || t.isDirty) continue;
      const file = t.input.uri.fsPath;
      if (IMAGE_EXT.test(file) && associatedWith(file, associations) === VIEW_TYPE) out.push(t);
    }
  }
  return out;
}

/** Reopens misopened image tabs in the mask editor, in their own tab group; returns how many. */
export async function reopenMisopenedImages(log: vscode.OutputChannel): Promise<number> {
  let n = 0;
  for (const tab of misopenedTabs()) {
    const uri = (tab.input as vscode.TabInputText).uri;
    try {
      await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE, { viewColumn: tab.group.viewColumn, preview: tab.isPreview, preserveFocus: !tab.isActive });
      await vscode.window.tabGroups.close(tab, true);
      log.appendLine(`[${path.basename(uri.fsPath)}] opened in the text editor before the mask editor was ready; reopened in the mask editor`);
      n++;
    } catch (e) {
      log.appendLine(`[${path.basename(uri.fsPath)}] could not be reopened in the mask editor: ${(e as Error).message}`);
    }
  }
  return n;
}

/**
 * At activation, and once more when the window's tabs first change within a few seconds (the tab
 * model may reach the extension host after activation), reopens misopened images.
 */
export function watchFirstOpen(context: vscode.ExtensionContext, log: vscode.OutputChannel): void {
  void reopenMisopenedImages(log);
  const sub = vscode.window.tabGroups.onDidChangeTabs(() => { stop(); void reopenMisopenedImages(log); });
  const timer = setTimeout(() => stop(), 5000);
  function stop(): void { clearTimeout(timer); sub.dispose(); }
  context.subscriptions.push({ dispose: stop });
}
