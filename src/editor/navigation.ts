// Walking a folder of images in the mask editor, and finding the image of a mask file.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { listFolderImages } from '../dataset/scan';
import type { DatasetConfig } from '../shared/config';
import { imageKeyForMask, splitName } from '../shared/paths';

export const VIEW_TYPE = 'maskwright.maskEditor';

/** The mask editor tab of `uri`, if one is open. */
export function findTab(uri: vscode.Uri): vscode.Tab | undefined {
  for (const g of vscode.window.tabGroups.all) {
    for (const t of g.tabs) {
      if (t.input instanceof vscode.TabInputCustom && t.input.viewType === VIEW_TYPE && t.input.uri.toString() === uri.toString()) return t;
    }
  }
  return undefined;
}

/**
 * Opens the next (+1) or previous (-1) image of the folder of `imagePath` in `column`. The old tab
 * is closed when `closeOld` (a clean document); a tab with unsaved edits stays open.
 */
export async function openNeighbour(imagePath: string, config: DatasetConfig, delta: 1 | -1, column: vscode.ViewColumn | undefined, closeOld: boolean): Promise<void> {
  const { images } = await listFolderImages(path.dirname(imagePath), config.patterns);
  if (images.length < 2 && images.includes(imagePath)) return;
  if (images.length === 0) return;
  const at = images.indexOf(imagePath);
  const next = at < 0 ? images[delta > 0 ? 0 : images.length - 1] : images[(at + delta + images.length) % images.length];
  const oldTab = findTab(vscode.Uri.file(imagePath));
  await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(next), VIEW_TYPE, { viewColumn: column, preview: false });
  if (oldTab && closeOld) await vscode.window.tabGroups.close(oldTab, true);
}

/** The image a mask file (`STEM.mask.png` and the like) belongs to, from the folder's images. */
export async function imageForMask(maskPath: string, config: DatasetConfig): Promise<string | undefined> {
  const key = imageKeyForMask(path.basename(maskPath), config.patterns);
  if (!key) return undefined;
  const { images } = await listFolderImages(path.dirname(maskPath), config.patterns);
  return images.find((f) => (key.name ? path.basename(f) === key.name : splitName(path.basename(f)).stem === key.stem));
}
