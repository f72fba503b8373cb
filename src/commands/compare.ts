// "Compare with HEAD..." (a revision or another mask file) and "Show Disagreement with Model...":
// the open image's masks (unsaved edits included) against another version, shown by the editor as
// a change layer with a per-class table. Also registers the read-only label diff editor that
// Source Control's diff of a STEM.mask.png opens (maskDiffEditor.ts).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MaskDocument } from '../editor/maskDocument';
import type { MaskEditorProvider } from '../editor/maskEditorProvider';
import { allModels } from '../inference/manifest';
import { parseDevice } from '../inference/providers';
import { agreement } from '../review/agreement';
import { gitRoot, resolveRevision } from '../review/git';
import { diffMasks, type MaskVersion } from '../review/labelDiff';
import { layerFromAgreement, layerFromDiff } from '../review/layer';
import { emptyVersion, fileVersion, revisionVersion } from '../review/load';
import { modelPredictor } from '../review/modelPredictor';
import { packCompare } from '../editor/wire';
import type { CompareLayer } from '../shared/protocol';
import { guarded } from './editorCommands';
import { registerMaskDiffEditor } from './maskDiffEditor';

/** The last comparison shown per image (for tests and for a panel opened later). */
const shown = new Map<string, CompareLayer | null>();

export function recordComparison(key: string, layer: CompareLayer | null): void {
  shown.set(key, layer);
}

/** What a comparison showed, without the pixel map (for tests: maskwright.review.lastComparison). */
function summaryOf(layer: CompareLayer | null | undefined): unknown {
  if (!layer) return null;
  const { before: _before, ...rest } = layer;
  return rest;
}

export interface CompareTarget { readonly rev?: string; readonly file?: string; readonly clear?: boolean }

async function pickTarget(doc: MaskDocument): Promise<CompareTarget | undefined> {
  const items: Array<vscode.QuickPickItem & { t: string }> = [
    { label: 'HEAD', description: 'the last commit', t: 'head' },
    { label: 'Another revision...', description: 'a branch, tag, commit or HEAD~N', t: 'rev' },
    { label: 'A mask file...', description: 'another STEM.mask.png of the same size', t: 'file' },
    { label: 'Clear comparison', t: 'clear' },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: `Compare the masks of ${path.basename(doc.imagePath)} with...` });
  if (!pick) return undefined;
  if (pick.t === 'head') return { rev: 'HEAD' };
  if (pick.t === 'clear') return { clear: true };
  if (pick.t === 'rev') {
    const rev = await vscode.window.showInputBox({ title: 'Git revision', prompt: 'e.g. HEAD~1, main, a commit hash', value: 'HEAD~1' });
    return rev ? { rev: rev.trim() } : undefined;
  }
  const f = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'Mask PNG': ['png'] }, defaultUri: vscode.Uri.file(path.dirname(doc.imagePath)) });
  return f?.[0] ? { file: f[0].fsPath } : undefined;
}

function current(doc: MaskDocument): MaskVersion {
  return { width: doc.maps.width, height: doc.maps.height, semantic: doc.maps.semantic, instances: doc.maps.instances };
}

/** The layer comparing the open document with a revision or a file. */
export async function compareLayerFor(doc: MaskDocument, t: CompareTarget): Promise<CompareLayer> {
  const now = current(doc);
  if (t.file) {
    const other = await fileVersion(t.file, doc.config);
    return layerFromDiff(path.basename(t.file), 'file', 'current', other.semantic, diffMasks(other, now));
  }
  const rev = t.rev ?? 'HEAD';
  const root = await gitRoot(path.dirname(doc.imagePath));
  if (!root) throw new Error(`${path.dirname(doc.imagePath)} is not inside a git repository`);
  const short = await resolveRevision(root, rev);
  const old = (await revisionVersion(doc.imagePath, doc.config, rev)) ?? emptyVersion(now, doc.config);
  return layerFromDiff(`${rev} (${short})`, rev, 'current', old.semantic, diffMasks(old, now));
}

function models(): ReturnType<typeof allModels>['models'] {
  const c = vscode.workspace.getConfiguration('maskwright');
  const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
  return allModels(c.get<unknown[]>('models', []), base, vscode.workspace.isTrusted).models.filter((m) => m.entry.family !== 'promptable');
}

export function registerCompareCommands(context: vscode.ExtensionContext, provider: MaskEditorProvider, log: vscode.OutputChannel): void {
  const active = (): MaskDocument => {
    const doc = provider.activeDocument() as MaskDocument | undefined;
    if (!doc) throw new Error('no image is open in the mask editor');
    return doc;
  };
  // The latest comparison asked for per document: one still being packed when a newer one (or a
  // clear) is asked for is dropped rather than posted after it.
  const latest = new WeakMap<MaskDocument, number>();
  let asked = 0;
  const show = async (doc: MaskDocument, layer: CompareLayer | null): Promise<void> => {
    const n = ++asked;
    latest.set(doc, n);
    const wire = layer && await packCompare(layer);
    if (latest.get(doc) !== n) return;
    recordComparison(doc.uri.toString(), layer);
    if (provider.postToPanels(doc, { type: 'compare', compare: wire }) === 0) throw new Error('the mask editor panel is not ready yet');
    log.appendLine(`[${path.basename(doc.imagePath)}] ${layer ? `comparison with ${layer.title}: ${layer.changedPixels} pixel(s) changed class` : 'comparison cleared'}`);
  };
  const reg = (id: string, fn: (...a: never[]) => Promise<unknown>): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, guarded(id, log, fn)));
  };
  reg('maskwright.compareWith', async (target?: CompareTarget) => {
    const doc = active();
    const t = target ?? await pickTarget(doc);
    if (!t) return undefined;
    if (t.clear) { await show(doc, null); return null; }
    const layer = await compareLayerFor(doc, t);
    await show(doc, layer);
    return summaryOf(layer);
  });
  reg('maskwright.clearComparison', async () => { await show(active(), null); });
  reg('maskwright.showDisagreement', async (modelId?: string) => {
    const doc = active();
    const list = models();
    let model = modelId ? list.find((m) => m.entry.id === modelId) : undefined;
    if (modelId && !model) throw new Error(`model '${modelId}' is not registered`);
    if (!model) {
      const pick = list.length === 1 ? { m: list[0] } : await vscode.window.showQuickPick(list.map((m) => ({ label: m.entry.id, description: `${m.entry.family}: ${m.entry.classes.join(', ')}`, m })), { title: 'Show where a model disagrees with the masks' });
      model = pick?.m;
    }
    if (!model) return undefined;
    const m = model;
    const device = parseDevice(vscode.workspace.getConfiguration('maskwright').get<string>('executionProvider', 'auto'));
    const layer = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Running ${m.entry.id} on ${path.basename(doc.imagePath)}...` }, async () => {
      const pred = await modelPredictor(m, { device })(doc.imagePath, doc.config, doc.configFile);
      if (!pred || pred.length !== doc.maps.semantic.length) throw new Error(`the model's prediction does not fit ${path.basename(doc.imagePath)}`);
      const a = agreement(doc.maps.semantic, pred, { backgroundId: doc.config.backgroundId, ignoreIndex: doc.config.ignoreIndex });
      return layerFromAgreement(`model:${m.entry.id}`, pred, doc.maps.semantic, a);
    });
    await show(doc, layer);
    return summaryOf(layer);
  });
  // Hidden (no palette entry): what the last comparison of an image showed, for tests.
  context.subscriptions.push(vscode.commands.registerCommand('maskwright.review.lastComparison', (uri: vscode.Uri | string) => summaryOf(shown.get(uri.toString()))));
  registerMaskDiffEditor(context, log);
}
