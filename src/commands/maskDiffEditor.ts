// The label diff editor: a read-only custom editor for STEM.mask.png, the default for that name, so
// that Source Control's diff of a changed mask shows both sides as label maps over their image with
// the change layer and the per-class table, instead of two coloured PNGs. The left side is a git:
// (or other read-only scheme) resource, read through VS Code's file system (the git extension's
// provider) and compared with the working copy; the right side (file:) is compared with HEAD.
// Nothing is ever written: a CustomReadonlyEditorProvider has no save.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findConfig } from '../dataset/config';
import { editorHtml } from '../editor/html';
import { packCompare, packMaps } from '../editor/wire';
import { decodeImage } from '../io/image';
import { maskFilesFor } from '../io/masks';
import { imageFor } from '../review/diffImage';
import { diffMasks, type MaskVersion } from '../review/labelDiff';
import { layerFromDiff } from '../review/layer';
import { emptyVersion, revisionVersion, savedVersion, versionFromBytes } from '../review/load';
import type { DatasetConfig } from '../shared/config';
import { parseWebviewMessage, type CompareLayer, type HostToWebview, type InitMessage } from '../shared/protocol';
import { splitName } from '../shared/paths';
import { recordComparison } from './compare';

export const DIFF_VIEW_TYPE = 'maskwright.maskDiff';
const BROWSER_FORMATS = new Set(['png', 'jpg', 'jpeg', 'bmp', 'webp']);

/** The ref a git: URI names (the git extension puts {"path","ref"} in the query); '~' is the index. */
function gitRef(uri: vscode.Uri): { ref: string; path: string } | null {
  try {
    const q = JSON.parse(uri.query) as { ref?: unknown; path?: unknown };
    return { ref: typeof q.ref === 'string' ? q.ref : '', path: typeof q.path === 'string' ? q.path : uri.fsPath };
  } catch { return null; }
}

/** The same resource for a sibling file (the instance map beside a mask), query path included. */
function sibling(uri: vscode.Uri, file: string): vscode.Uri {
  const q = gitRef(uri);
  return uri.with({ path: vscode.Uri.file(file).path, ...(q ? { query: JSON.stringify({ ...JSON.parse(uri.query), path: file }) } : {}) });
}

async function readResource(uri: vscode.Uri): Promise<Uint8Array | null> {
  try { return await vscode.workspace.fs.readFile(uri); } catch { return null; }
}

interface Shown { image: string; config: DatasetConfig; now: MaskVersion; layer: CompareLayer | null; note?: string }

/** What one side shows: the working copy's maps, and the comparison with the other side. */
async function resolveSide(uri: vscode.Uri): Promise<Shown> {
  const maskPath = uri.scheme === 'file' ? uri.fsPath : (gitRef(uri)?.path ?? uri.fsPath);
  const ws = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(maskPath))?.uri.fsPath;
  const { config } = await findConfig(path.dirname(maskPath), ws ? { stopAt: ws } : {});
  const image = await imageFor(maskPath, config);
  const saved = await savedVersion(image, config);
  if (uri.scheme === 'file') {
    let old: MaskVersion | null = null, note: string | undefined;
    try { old = await revisionVersion(image, config, 'HEAD'); } catch (e) { note = (e as Error).message; }
    const now = saved ?? (old ? emptyVersion(old, config) : null);
    if (!now) throw new Error(`${path.basename(maskPath)} does not exist`);
    if (note !== undefined) return { image, config, now, layer: null, note };
    const before = old ?? emptyVersion(now, config);
    return { image, config, now, layer: layerFromDiff('HEAD \u2192 working tree', 'HEAD', 'working tree', before.semantic, diffMasks(before, now)) };
  }
  // A read-only revision (git:, or any other scheme a diff hands us).
  const files = maskFilesFor(image, config);
  const q = gitRef(uri);
  const refName = q ? (q.ref === '~' || q.ref === '' ? 'index' : q.ref) : uri.scheme;
  const [m, i] = await Promise.all([readResource(uri), readResource(sibling(uri, files.instances))]);
  let old = versionFromBytes(m, i, config, { mask: `${refName}:${path.basename(files.mask)}`, instances: `${refName}:${path.basename(files.instances)}` });
  // Without the git extension's file system (disabled, or the repository not opened there), ask git itself.
  if (!m && uri.scheme === 'git' && q) old = await revisionVersion(image, config, q.ref === '~' || q.ref === '' ? ':' : q.ref).catch(() => null);
  const now = saved ?? (old ? emptyVersion(old, config) : null);
  if (!now) throw new Error(`${path.basename(maskPath)} exists neither at ${refName} nor in the working tree`);
  const before = old ?? emptyVersion(now, config);
  const layer = layerFromDiff(`${refName} \u2192 working tree`, refName, 'working tree', before.semantic, diffMasks(before, now), true);
  return { image, config, now, layer: old ? layer : { ...layer, summary: `${layer.summary} ${path.basename(maskPath)} could not be read at ${refName} (${uri.scheme}:); compared with an empty mask.` } };
}

class DiffDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void { /* nothing held */ }
}

class MaskDiffProvider implements vscode.CustomReadonlyEditorProvider<DiffDocument> {
  constructor(private readonly context: vscode.ExtensionContext, private readonly log: vscode.OutputChannel) {}

  openCustomDocument(uri: vscode.Uri): DiffDocument {
    return new DiffDocument(uri);
  }

  async resolveCustomEditor(doc: DiffDocument, panel: vscode.WebviewPanel): Promise<void> {
    let side: Shown;
    try {
      side = await resolveSide(doc.uri);
    } catch (e) {
      panel.webview.options = { enableScripts: false, enableForms: false, localResourceRoots: [] };
      panel.webview.html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none';"></head><body data-state="error"><p>${escape((e as Error).message)}</p></body></html>`;
      return;
    }
    const dir = vscode.Uri.file(path.dirname(side.image));
    panel.webview.options = {
      enableScripts: true, enableForms: false,
      localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'dist'), vscode.Uri.joinPath(this.context.extensionUri, 'media'), dir],
    };
    const opacity = vscode.workspace.getConfiguration('maskwright').get<number>('overlayOpacity', 0.5);
    panel.webview.html = editorHtml(panel.webview, this.context.extensionUri, opacity);
    const post = (m: HostToWebview): void => { void panel.webview.postMessage(m); };
    const sub = panel.webview.onDidReceiveMessage(async (raw) => {
      const msg = parseWebviewMessage(raw);
      if (!msg) return;
      try {
        switch (msg.type) {
          case 'ready': {
            post(await this.init(panel, side));
            recordComparison(doc.uri.toString(), side.layer);
            if (side.layer) post({ type: 'compare', compare: await packCompare(side.layer) });
            return;
          }
          case 'requestPixels': {
            const d = await decodeImage(side.image, { channels: 4 });
            post({ type: 'reply', id: msg.id, ok: true, result: d.data });
            return;
          }
          case 'edit': case 'command': case 'samPrompt':
            post({ type: 'reply', id: msg.id, ok: false, error: 'this is a read-only comparison; open the image in the mask editor to edit' });
            return;
          default:
            return;
        }
      } catch (e) {
        this.log.appendLine(`[label diff ${path.basename(doc.uri.fsPath)}] ${msg.type} failed: ${(e as Error).message}`);
      }
    });
    panel.onDidDispose(() => sub.dispose());
  }

  private async init(panel: vscode.WebviewPanel, side: Shown): Promise<InitMessage> {
    const ext = splitName(path.basename(side.image)).ext.toLowerCase();
    const image: InitMessage['image'] = BROWSER_FORMATS.has(ext)
      ? { kind: 'url', url: panel.webview.asWebviewUri(vscode.Uri.file(side.image)).toString() }
      : { kind: 'rgba', data: (await decodeImage(side.image, { channels: 4 })).data };
    const { width, height } = side.now;
    const wire = await packMaps({ width, height, semantic: side.now.semantic, instances: side.now.instances ?? new Uint16Array(width * height) });
    return {
      type: 'init', fileName: path.basename(side.image), width, height, image, ...wire, instanceInfo: [],
      config: { semanticBits: side.config.semanticBits, classes: side.config.classes, ignoreIndex: side.config.ignoreIndex, backgroundId: side.config.backgroundId },
      position: { index: 0, total: 1 },
      warnings: side.note ? [`No comparison: ${side.note}.`] : [],
      readonly: true,
    };
  }
}

function escape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

export function registerMaskDiffEditor(context: vscode.ExtensionContext, log: vscode.OutputChannel): void {
  context.subscriptions.push(vscode.window.registerCustomEditorProvider(DIFF_VIEW_TYPE, new MaskDiffProvider(context, log), {
    webviewOptions: { retainContextWhenHidden: false, enableFindWidget: false },
    supportsMultipleEditorsPerDocument: true,
  }));
}
