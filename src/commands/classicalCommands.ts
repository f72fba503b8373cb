// Command palette: classical tools on the active mask editor, with quick picks for parameters.
// The computation runs in a worker thread (src/workers) under a cancellable progress notification;
// each result is one undoable edit of the open document.
import * as vscode from 'vscode';
import { needsImage, type ClassicalJob, type MorphologyKind, type ThresholdMethod } from '../algorithms/classicalJob';
import { replaceEdit } from '../algorithms/maskOps';
import type { MaskDocumentHandle } from '../editor/api';
import { firstPaintClass } from '../shared/config';
import { CancellationError, ClassicalPool } from '../workers/pool';
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

/** FNV-1a over the label maps: tells whether the document changed while a job ran. */
function fingerprint(doc: MaskDocumentHandle): number {
  let h = 0x811c9dc5;
  const { semantic, instances } = doc.maps;
  for (let i = 0; i < semantic.length; i++) h = Math.imul(h ^ semantic[i], 16777619);
  for (let i = 0; i < instances.length; i++) h = Math.imul(h ^ instances[i], 16777619);
  return h >>> 0;
}

/**
 * Runs the job in the worker under a cancellable progress notification and applies the result as one
 * undoable edit. Cancel terminates the worker and changes nothing.
 */
async function runJob(pool: ClassicalPool, doc: MaskDocumentHandle, job: ClassicalJob, title: string, what: string): Promise<void> {
  const rgb = needsImage(job) ? await doc.imageRgb() : undefined;
  const before = fingerprint(doc);
  const { width, height, semantic, instances } = doc.maps;
  const inputs = { width, height, semantic, instances, info: [...doc.instanceInfo.values()], ...(rgb ? { rgb: rgb.data } : {}) };
  const ac = new AbortController();
  let result;
  try {
    result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Maskwright: ${title}...`, cancellable: true },
      (_progress, token) => {
        token.onCancellationRequested(() => ac.abort());
        return pool.run(job, inputs, ac.signal);
      });
  } catch (e) {
    if (e instanceof CancellationError) {
      void vscode.window.setStatusBarMessage(`Maskwright: ${what} cancelled`, 4000);
      return;
    }
    throw e;
  }
  if (fingerprint(doc) !== before) throw new Error(`the mask changed while ${what} ran; nothing applied (run it again)`);
  const edit = replaceEdit(doc.maps, doc.instanceInfo, result, result.note);
  if (!edit) {
    void vscode.window.setStatusBarMessage(`Maskwright: ${what} changed nothing`, 4000);
    return;
  }
  doc.applyEdit(edit);
  if (result.status) void vscode.window.setStatusBarMessage(`Maskwright: ${result.status}`, 5000);
}

export function registerClassicalCommands(context: vscode.ExtensionContext, ctx: ClassicalContext, log: vscode.OutputChannel): void {
  const pool = new ClassicalPool();
  context.subscriptions.push({ dispose: () => pool.dispose() });
  const reg = (id: string, fn: (...args: never[]) => Promise<unknown>): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, guarded(id, log, fn)));
  };

  reg('maskwright.threshold', async () => {
    const doc = need(ctx);
    // The CLI's method names; the picked class is replaced by the foreground (maskOps.replaceClass).
    const choice = await pick<[ThresholdMethod, boolean]>('Threshold method (the foreground replaces the picked class)', [
      { label: 'Otsu', description: 'otsu: automatic global level', value: ['otsu', false] },
      { label: 'Otsu (dark objects)', description: 'otsu --invert: foreground at or below the level', value: ['otsu', true] },
      { label: 'Fixed level...', description: 'fixed', value: ['fixed', false] },
      { label: 'Adaptive mean', description: 'adaptive-mean: 31x31 neighbourhood, C = 5', value: ['adaptive-mean', false] },
      { label: 'Adaptive Gaussian', description: 'adaptive-gaussian: 31x31 neighbourhood, C = 5', value: ['adaptive-gaussian', false] },
    ]);
    if (!choice) return;
    const [method, invert] = choice;
    const level = method === 'fixed' ? await askInt('Pixels brighter than this level become foreground (0..255)', 127, 0, 255) : 0;
    if (level === undefined) return;
    const classId = await pickClass(doc, ctx, 'Paint the foreground as');
    if (classId === undefined) return;
    await runJob(pool, doc, { op: 'threshold', method, invert, level, classId, backgroundId: doc.config.backgroundId }, 'threshold', 'threshold');
  });

  reg('maskwright.multiOtsu', async () => {
    const doc = need(ctx);
    const targets = doc.config.classes.filter((c) => c.id !== doc.config.backgroundId && c.id !== doc.config.ignoreIndex).map((c) => c.id);
    const hi = Math.min(5, targets.length + 1);
    const classes = await askInt(`Number of intensity classes (2..${hi}); the darkest stays background`, 3, 2, hi);
    if (classes === undefined) return;
    await runJob(pool, doc, { op: 'multiOtsu', classes, backgroundId: doc.config.backgroundId, targets }, `multi-Otsu (${classes} classes)`, 'multi-Otsu');
  });

  reg('maskwright.kmeans', async () => {
    const doc = need(ctx);
    const targets = doc.config.classes.filter((c) => c.id !== doc.config.ignoreIndex).map((c) => c.id);
    if (targets.length < 2) throw new Error('k-means to classes needs at least 2 classes in maskwright.json');
    const hi = Math.min(16, targets.length);
    const k = await askInt(`Clusters (2..${hi}), darkest to brightest -> classes in config order`, Math.min(3, targets.length), 2, hi);
    if (k === undefined) return;
    await runJob(pool, doc, { op: 'kmeans', k, targets }, `k-means (k=${k})`, 'k-means');
  });

  reg('maskwright.splitInstances', async (args?: { minArea?: number }) => {
    const doc = need(ctx);
    // Specks are not objects: regions smaller than this stay without an instance (0: keep all).
    const def = Math.max(16, Math.round((doc.maps.width * doc.maps.height) / 10000));
    const given = args && Number.isInteger(args.minArea) && (args.minArea as number) >= 0 ? args.minArea : undefined;
    const minArea = given ?? await askInt('Minimum instance area in pixels (smaller regions get no instance; 0 keeps all)', def, 0, doc.maps.width * doc.maps.height);
    if (minArea === undefined) return;
    await runJob(pool, doc, { op: 'splitInstances', backgroundId: doc.config.backgroundId, ignoreIndex: doc.config.ignoreIndex, minArea }, 'split into instances', 'split');
  });

  reg('maskwright.splitTouching', async () => {
    const doc = need(ctx);
    const classId = await pickClass(doc, ctx, 'Split the touching objects of class');
    if (classId === undefined) return;
    await runJob(pool, doc, { op: 'splitTouching', classId }, 'split touching objects', 'split');
  });

  reg('maskwright.morphology', async () => {
    const doc = need(ctx);
    const kind = await pick<MorphologyKind>('Clean up the mask of one class', [
      { label: 'Open', description: 'remove specks and thin bridges (disk, radius 2)', value: 'open' },
      { label: 'Close', description: 'close small gaps (disk, radius 2)', value: 'close' },
      { label: 'Fill holes', value: 'fill' },
      { label: 'Remove small objects', description: 'under 64 pixels', value: 'small' },
    ]);
    if (!kind) return;
    const classId = await pickClass(doc, ctx, 'Class');
    if (classId === undefined) return;
    await runJob(pool, doc, { op: 'morphology', kind, classId, backgroundId: doc.config.backgroundId }, `morphology: ${kind}`, kind);
  });
}
