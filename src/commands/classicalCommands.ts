// Command palette: classical tools on the active mask editor, with quick picks for parameters.
// Each result is one undoable edit of the open document.
import * as vscode from 'vscode';
import { adaptiveThreshold, close, fillHoles, kmeans, multiOtsu, open, otsu, removeSmallObjects, splitTouching, threshold, toGray } from '../algorithms/classical';
import { classMask, componentInstances, paintBinary, replaceEdit } from '../algorithms/maskOps';
import type { MaskDocumentHandle } from '../editor/api';
import { firstPaintClass } from '../shared/config';
import { nextInstanceId, type InstanceInfo } from '../shared/maskModel';
import { guarded } from './editorCommands';

export interface ClassicalContext {
  activeDocument(): MaskDocumentHandle | undefined;
  /** The class selected in the editor's palette, if a panel reported one. */
  currentClass(): number | undefined;
}

type Pick<T> = vscode.QuickPickItem & { value: T };

async function pick<T>(title: string, items: Pick<T>[]): Promise<T | undefined> {
  return (await vscode.window.showQuickPick(items, { title, ignoreFocusOut: true }))?.value;
}

async function askInt(title: string, value: number, lo: number, hi: number): Promise<number | undefined> {
  const s = await vscode.window.showInputBox({
    title, value: String(value), ignoreFocusOut: true,
    validateInput: (v) => (/^\d+$/.test(v.trim()) && +v >= lo && +v <= hi ? undefined : `an integer ${lo}..${hi}`),
  });
  return s === undefined ? undefined : Number(s.trim());
}

async function pickClass(doc: MaskDocumentHandle, ctx: ClassicalContext, title: string): Promise<number | undefined> {
  const cur = ctx.currentClass() ?? firstPaintClass(doc.config);
  const items = doc.config.classes.filter((c) => c.id !== doc.config.backgroundId)
    .map((c) => ({ label: c.name, description: `id ${c.id}${c.id === cur ? ' (current)' : ''}`, value: c.id }))
    .sort((a, b) => (a.value === cur ? -1 : b.value === cur ? 1 : 0));
  return pick(title, items);
}

function need(ctx: ClassicalContext): MaskDocumentHandle {
  const doc = ctx.activeDocument();
  if (!doc) throw new Error('open an image in the Maskwright mask editor first');
  return doc;
}

function apply(doc: MaskDocumentHandle, edit: ReturnType<typeof replaceEdit>, what: string): void {
  if (!edit) {
    void vscode.window.setStatusBarMessage(`Maskwright: ${what} changed nothing`, 4000);
    return;
  }
  doc.applyEdit(edit);
}

export function registerClassicalCommands(context: vscode.ExtensionContext, ctx: ClassicalContext, log: vscode.OutputChannel): void {
  const reg = (id: string, fn: () => Promise<unknown>): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, guarded(id, log, fn)));
  };

  reg('maskwright.threshold', async () => {
    const doc = need(ctx);
    const method = await pick('Threshold method', [
      { label: 'Otsu', description: 'automatic global level', value: 'otsu' },
      { label: 'Otsu (dark objects)', description: 'foreground at or below the level', value: 'otsu-inv' },
      { label: 'Fixed level...', value: 'fixed' },
      { label: 'Adaptive mean', description: '31x31 neighbourhood, C = 5', value: 'mean' },
      { label: 'Adaptive Gaussian', description: '31x31 neighbourhood, C = 5', value: 'gaussian' },
    ]);
    if (!method) return;
    const level = method === 'fixed' ? await askInt('Pixels brighter than this level become foreground (0..255)', 127, 0, 255) : 0;
    if (level === undefined) return;
    const cls = await pickClass(doc, ctx, 'Paint the foreground as');
    if (cls === undefined) return;
    const rgb = await doc.imageRgb();
    const gray = { data: toGray({ ...rgb, channels: 3 }), width: rgb.width, height: rgb.height };
    let binary: Uint8Array;
    let note = '';
    if (method === 'otsu' || method === 'otsu-inv') {
      const r = otsu(gray, { invert: method === 'otsu-inv' });
      binary = r.mask;
      note = ` (Otsu level ${r.threshold})`;
    } else if (method === 'fixed') binary = threshold(gray, { threshold: level });
    else binary = adaptiveThreshold(gray, { method: method === 'gaussian' ? 'gaussian' : 'mean', blockSize: 31, C: 5 });
    const semantic = paintBinary(doc.maps.semantic, binary, cls);
    apply(doc, replaceEdit(doc.maps, doc.instanceInfo, { semantic }, `Threshold${note}`), 'threshold');
    void vscode.window.setStatusBarMessage(`Maskwright: threshold${note}`, 5000);
  });

  reg('maskwright.multiOtsu', async () => {
    const doc = need(ctx);
    const targets = doc.config.classes.filter((c) => c.id !== doc.config.backgroundId && c.id !== doc.config.ignoreIndex);
    const k = await askInt(`Number of intensity classes (2..${Math.min(5, targets.length + 1)}); the darkest stays background`, 3, 2, Math.min(5, targets.length + 1));
    if (k === undefined) return;
    const rgb = await doc.imageRgb();
    const r = multiOtsu({ data: toGray({ ...rgb, channels: 3 }), width: rgb.width, height: rgb.height }, { classes: k });
    const semantic = doc.maps.semantic.slice();
    for (let i = 0; i < semantic.length; i++) semantic[i] = r.classes[i] === 0 ? doc.config.backgroundId : targets[r.classes[i] - 1].id;
    apply(doc, replaceEdit(doc.maps, doc.instanceInfo, { semantic }, `Multi-Otsu (${r.thresholds.join(', ')})`), 'multi-Otsu');
  });

  reg('maskwright.kmeans', async () => {
    const doc = need(ctx);
    const targets = doc.config.classes.filter((c) => c.id !== doc.config.ignoreIndex);
    if (targets.length < 2) throw new Error('k-means to classes needs at least 2 classes in maskwright.json');
    const k = await askInt(`Clusters (2..${Math.min(16, targets.length)}), darkest to brightest -> classes in config order`, Math.min(3, targets.length), 2, Math.min(16, targets.length));
    if (k === undefined) return;
    const rgb = await doc.imageRgb();
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `k-means (k=${k})...` },
      async () => kmeans({ ...rgb, channels: 3 }, { k, seed: 1 }));
    const lum = Array.from({ length: k }, (_, c) => ({ c, l: 0.299 * r.centers[c * 3] + 0.587 * r.centers[c * 3 + 1] + 0.114 * r.centers[c * 3 + 2] }));
    lum.sort((a, b) => a.l - b.l);
    const toClass = new Uint8Array(k);
    lum.forEach((x, rank) => { toClass[x.c] = targets[rank].id; });
    const semantic = new Uint8Array(r.labels.length);
    for (let i = 0; i < semantic.length; i++) semantic[i] = toClass[r.labels[i]];
    apply(doc, replaceEdit(doc.maps, doc.instanceInfo, { semantic }, `k-means (k=${k})`), 'k-means');
  });

  reg('maskwright.splitInstances', async () => {
    const doc = need(ctx);
    const { width, height } = doc.maps;
    const r = componentInstances(doc.maps.semantic, width, height, { backgroundId: doc.config.backgroundId, ignoreIndex: doc.config.ignoreIndex });
    if (r.count === 0) throw new Error('the mask has no labelled pixels to split into instances');
    apply(doc, replaceEdit(doc.maps, doc.instanceInfo, { instances: r.map, info: r.info }, 'Split into instances'), 'split');
    void vscode.window.setStatusBarMessage(`Maskwright: ${r.count} instance(s)`, 5000);
  });

  reg('maskwright.splitTouching', async () => {
    const doc = need(ctx);
    const cls = await pickClass(doc, ctx, 'Split the touching objects of class');
    if (cls === undefined) return;
    const { width, height } = doc.maps;
    const r = splitTouching({ data: classMask(doc.maps.semantic, cls), width, height });
    if (r.count === 0) throw new Error('no pixels of that class');
    // New instances take free ids; instances of other classes stay.
    const instances = doc.maps.instances.slice();
    const info = new Map<number, InstanceInfo>(doc.instanceInfo);
    const taken = new Set(info.keys());
    const idOf = new Int32Array(r.count + 1);
    for (let l = 1; l <= r.count; l++) {
      const id = nextInstanceId(instances, taken);
      if (!id) throw new Error('no free instance ids left (65535 in use)');
      idOf[l] = id;
      taken.add(id);
      info.set(id, { id, class: cls, source: 'tool:watershed' });
    }
    for (let i = 0; i < instances.length; i++) if (r.labels[i] > 0) instances[i] = idOf[r.labels[i]];
    apply(doc, replaceEdit(doc.maps, doc.instanceInfo, { instances, info: [...info.values()] }, 'Split touching objects'), 'split');
    void vscode.window.setStatusBarMessage(`Maskwright: ${r.count} object(s)`, 5000);
  });

  reg('maskwright.morphology', async () => {
    const doc = need(ctx);
    const op = await pick('Clean up the mask of one class', [
      { label: 'Open', description: 'remove specks and thin bridges (disk, radius 2)', value: 'open' },
      { label: 'Close', description: 'close small gaps (disk, radius 2)', value: 'close' },
      { label: 'Fill holes', value: 'fill' },
      { label: 'Remove small objects', description: 'under 64 pixels', value: 'small' },
    ]);
    if (!op) return;
    const cls = await pickClass(doc, ctx, 'Class');
    if (cls === undefined) return;
    const { width, height } = doc.maps;
    const img = { data: classMask(doc.maps.semantic, cls), width, height };
    const out = op === 'open' ? open(img, { shape: 'disk', radius: 2 })
      : op === 'close' ? close(img, { shape: 'disk', radius: 2 })
        : op === 'fill' ? fillHoles(img) : removeSmallObjects(img, { minSize: 64 }).mask;
    const semantic = doc.maps.semantic.slice();
    for (let i = 0; i < semantic.length; i++) {
      if (out[i] && semantic[i] !== cls) semantic[i] = cls;
      else if (!out[i] && semantic[i] === cls) semantic[i] = doc.config.backgroundId;
    }
    apply(doc, replaceEdit(doc.maps, doc.instanceInfo, { semantic }, `Morphology: ${op}`), op);
  });
}
