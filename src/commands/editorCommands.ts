// Thin command handlers for the mask editor: open, next/previous image, dataset config.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findConfig, writeDefaultConfig } from '../dataset/config';
import { isImageName, isMaskName } from '../shared/paths';
import { MaskEditorProvider, VIEW_TYPE } from '../editor/maskEditorProvider';

let editorReporter: ((message: string) => void) | undefined;

/** Where command failures also show: the active mask editor's banner (the provider sets it). */
export function setEditorErrorReporter(fn: (message: string) => void): void {
  editorReporter = fn;
}

/**
 * Wraps a handler so a failure becomes a clear notification (and a banner in the active mask
 * editor) instead of a silent rejection. The
 * handler's result is the command's result (executeCommand resolves with it; undefined on failure).
 */
export function guarded<A extends unknown[]>(name: string, log: vscode.OutputChannel, fn: (...args: A) => Promise<unknown>): (...args: A) => Promise<unknown> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (e) {
      const msg = (e as Error).message;
      log.appendLine(`${name} failed: ${(e as Error).stack ?? msg}`);
      void vscode.window.showErrorMessage(`Maskwright: ${msg}`);
      editorReporter?.(msg);
      return undefined;
    }
  };
}

function activeResource(): vscode.Uri | undefined {
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
  const input = tab?.input;
  if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom) return input.uri;
  return vscode.window.activeTextEditor?.document.uri;
}

async function pickImage(): Promise<vscode.Uri | undefined> {
  const files = await vscode.workspace.findFiles('**/*.{png,jpg,jpeg,bmp,webp,tif,tiff,PNG,JPG,JPEG,BMP,WEBP,TIF,TIFF}', '**/node_modules/**', 5000);
  const images = files.filter((f) => isImageName(path.basename(f.fsPath)) && !isMaskName(path.basename(f.fsPath)));
  const pick = await vscode.window.showQuickPick(
    images.map((u) => ({ label: path.basename(u.fsPath), description: vscode.workspace.asRelativePath(path.dirname(u.fsPath)), uri: u })),
    { placeHolder: 'Image to open in the mask editor', matchOnDescription: true });
  return pick?.uri;
}

export function registerEditorCommands(context: vscode.ExtensionContext, provider: MaskEditorProvider, log: vscode.OutputChannel): void {
  setEditorErrorReporter((m) => provider.showErrorInActive(m));
  const reg = (id: string, fn: (...args: never[]) => Promise<unknown>): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, guarded(id, log, fn)));
  };
  reg('maskwright.openInMaskEditor', async (uri?: vscode.Uri) => {
    const target = uri instanceof vscode.Uri ? uri : activeResource() && isImageName(path.basename(activeResource()!.fsPath)) ? activeResource() : await pickImage();
    if (!target) return;
    await vscode.commands.executeCommand('vscode.openWith', target, VIEW_TYPE);
  });
  const nav = (delta: 1 | -1) => async () => {
    const doc = provider.activeDocument();
    if (!doc) throw new Error('no image is open in the mask editor');
    await provider.navigate(doc, delta);
  };
  reg('maskwright.nextImage', nav(1));
  reg('maskwright.previousImage', nav(-1));
  reg('maskwright.openConfig', async (uri?: vscode.Uri) => {
    const base = uri instanceof vscode.Uri ? uri : provider.activeDocument()?.uri ?? activeResource();
    const dir = base ? path.dirname(base.fsPath) : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!dir) throw new Error('open a folder or an image first');
    let file: string | null = null;
    try {
      file = (await findConfig(dir, { stopAt: vscode.workspace.getWorkspaceFolder(vscode.Uri.file(dir))?.uri.fsPath ?? dir })).file;
    } catch (e) {
      file = (e as { file?: string }).file ?? null;
    }
    if (!file) {
      const root = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(dir))?.uri.fsPath ?? dir;
      file = await writeDefaultConfig(root);
    }
    await vscode.window.showTextDocument(vscode.Uri.file(file));
  });
}
