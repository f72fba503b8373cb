// A mask editor document opened on a read-only resource (git:, or any scheme other than file:), e.g.
// one side of a Source Control diff of an image opened with the mask editor: it shows the masks as
// they were at that revision where git has them, and is never saved (MaskDocument keeps it read-only).
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { revisionVersion } from '../review/load';
import type { DatasetConfig } from '../shared/config';
import type { LabelMaps } from '../shared/maskModel';

interface Target { readonly uri: vscode.Uri; readonly imagePath: string; readonly config: DatasetConfig; maps: LabelMaps; warnings: string[]; readonly instanceInfo: Map<number, unknown> }

export async function openReadOnly(doc: Target): Promise<void> {
  let ref: string | undefined;
  try { ref = (JSON.parse(doc.uri.query) as { ref?: string }).ref; } catch { ref = undefined; }
  const name = path.basename(doc.imagePath);
  if (doc.uri.scheme !== 'git' || ref === undefined) {
    doc.warnings.push(`${name} is opened from a read-only ${doc.uri.scheme}: resource: the editor shows its masks as saved in the working tree and never saves.`);
    return;
  }
  const rev = ref === '~' ? ':' : ref === '' ? ':' : ref;
  try {
    const v = await revisionVersion(doc.imagePath, doc.config, rev);
    if (v && v.width === doc.maps.width && v.height === doc.maps.height) {
      doc.maps = { width: v.width, height: v.height, semantic: v.semantic, instances: v.instances ?? new Uint16Array(v.width * v.height) };
      doc.instanceInfo.clear();
    }
    doc.warnings.push(`${name} at ${rev === ':' ? 'the index' : rev} (read-only): the masks as git has them there; nothing is saved.`);
  } catch (e) {
    doc.warnings.push(`${name} is a read-only revision; its masks could not be read from git (${(e as Error).message}); nothing is saved.`);
  }
}
