// VS Code commands for model pre-labelling: "Pre-label with model..." (active editor), "Pre-label
// folder..." (explorer selection or a picked folder), "GPU diagnostics", "Add model...".
// Thin: pick, call src/inference and src/dataset, report. Sessions live in worker threads, cached
// per model + device and disposed with the extension.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MaskDocumentHandle } from '../editor/api';
import { prelabelEdit } from '../algorithms/models/toEdit';
import { createBackend, type InferBackend } from '../inference/backend';
import { inspectModel } from '../inference/inspect';
import { allModels, loadManifest, validateEntry, type ResolvedModel } from '../inference/manifest';
import { diagnose, formatDiagnostics, parseDevice, type Device } from '../inference/providers';
import { checkMapping, datasetMapOptions, finishOutputs, type MapOptions } from '../inference/runner';
import { formatSummary, runBatch } from '../dataset/batch';
import { findConfig } from '../dataset/config';
import { draftUncertainty } from '../review/draftUncertainty';
import { addModelClasses, describeAdded } from '../dataset/modelClasses';
import { unmappedClasses } from '../algorithms/models/classMap';
import { scanDataset } from '../dataset/scan';
import { guarded } from './editorCommands';

interface Settings { device: Device; threads: number | undefined; models: ResolvedModel[]; problems: string[] }

function settings(): Settings {
  const c = vscode.workspace.getConfiguration('maskwright');
  const device = parseDevice(c.get<string>('executionProvider', 'auto'));
  const t = c.get<number>('threads', 0);
  const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
  // Model paths from a workspace are untrusted input: user models load only in a trusted workspace.
  const { models, problems } = allModels(c.get<unknown[]>('models', []), base, vscode.workspace.isTrusted);
  return { device, threads: t > 0 ? t : undefined, models, problems };
}

async function pickModel(s: Settings, title: string): Promise<ResolvedModel | undefined> {
  const usable = s.models.filter((m) => m.entry.family !== 'promptable');
  if (usable.length === 1) return usable[0];
  const pick = await vscode.window.showQuickPick(usable.map((m) => ({ label: m.entry.id, description: `${m.entry.family}: ${m.entry.classes.join(', ')}`, detail: m.entry.name, m })), { title, placeHolder: 'Model' });
  return pick?.m;
}

/** Config discovery stops at the workspace folder of a path (its own folder outside the workspace). */
function workspaceStop(dir: string): string {
  return vscode.workspace.getWorkspaceFolder(vscode.Uri.file(dir))?.uri.fsPath ?? dir;
}

async function mapOptionsFor(imagePath: string, model: ResolvedModel): Promise<MapOptions> {
  const { config, file } = await findConfig(path.dirname(imagePath), { stopAt: workspaceStop(path.dirname(imagePath)) });
  return datasetMapOptions(model.entry.id, config, file);
}

/**
 * When the model labels classes the image's dataset config lacks, offers to add them (one click;
 * the config is created with the default classes when there is none). False: the user declined.
 */
async function offerModelClasses(imagePath: string, model: ResolvedModel): Promise<boolean> {
  const dir = path.dirname(imagePath);
  const stop = workspaceStop(dir);
  const { config, file } = await findConfig(dir, { stopAt: stop });
  const mapping = config.models.find((m) => m.id === model.entry.id)?.options?.classMap as MapOptions['classMap'];
  const names = unmappedClasses(model.entry.classes, config, mapping);
  if (!names.length) return true;
  const add = names.length > 1 ? 'Add Classes' : 'Add Class';
  const where = file ? vscode.workspace.asRelativePath(file) : 'the dataset (it has no maskwright.json yet)';
  const pick = await vscode.window.showWarningMessage(`Maskwright: ${model.entry.id} labels ${names.map((n) => `'${n}'`).join(', ')}, which ${where} does not list. Add ${names.length > 1 ? 'them' : 'it'} to the dataset config?`, add);
  if (pick !== add) return false;
  const r = await addModelClasses(dir, stop, model.entry, mapping);
  if (r) void vscode.window.setStatusBarMessage(`Maskwright: ${describeAdded(r)}`, 8000);
  return true;
}

export function registerInferenceCommands(context: vscode.ExtensionContext, editors: { activeDocument(): MaskDocumentHandle | undefined }): void {
  const log = vscode.window.createOutputChannel('Maskwright Models');
  context.subscriptions.push(log);
  const backends = new Map<string, Promise<InferBackend>>();
  context.subscriptions.push({ dispose: () => { for (const b of backends.values()) void b.then((x) => x.dispose(), () => undefined); backends.clear(); } });
  const backendFor = (m: ResolvedModel, s: Settings): Promise<InferBackend> => {
    const key = `${m.entry.id}\0${m.file}\0${s.device}\0${s.threads ?? 0}`;
    let p = backends.get(key);
    if (!p) {
      p = createBackend(m, { device: s.device, threads: s.threads }).then((b) => {
        for (const a of b.attempts) if (!a.ok) log.appendLine(`${m.entry.id}: ${a.provider} unavailable: ${a.error}`);
        log.appendLine(`${m.entry.id}: running on ${b.provider} (${b.where})`);
        return b;
      });
      backends.set(key, p);
      p.catch(() => backends.delete(key));
    }
    return p;
  };
  const reg = (id: string, fn: (...args: never[]) => Promise<unknown>): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, guarded(id, log, fn)));
  };

  reg('maskwright.prelabel', async () => {
    const doc = editors.activeDocument();
    if (!doc) throw new Error('open an image in the Maskwright mask editor first');
    const s = settings();
    for (const p of s.problems) log.appendLine(p);
    const model = await pickModel(s, 'Pre-label this image with');
    if (!model) return;
    if (!(await offerModelClasses(doc.imagePath, model))) return;
    const map = await mapOptionsFor(doc.imagePath, model);
    checkMapping(model.entry, map);
    const hasLabels = doc.maps.semantic.some((v) => v !== doc.config.backgroundId) || doc.instanceInfo.size > 0;
    if (hasLabels) {
      const ok = await vscode.window.showWarningMessage(`Replace this image's masks with ${model.entry.id}'s? (one step, undoable)`, { modal: true }, 'Replace');
      if (ok !== 'Replace') return;
    }
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Pre-labelling with ${model.entry.id}...` }, async () => {
      const backend = await backendFor(model, s);
      const img = await doc.imageRgb();
      const { outputs, geometry } = await backend.inferImage(img);
      const result = finishOutputs(model.entry, backend.outputNames, outputs, geometry, map);
      const edit = prelabelEdit(doc.maps, doc.instanceInfo, result, model.entry.id);
      // The same uncertainty record as a batch pre-label, so the review queue ranks this draft too.
      const uncertainty = draftUncertainty(model.entry, outputs, geometry, result, map);
      doc.applyEdit(edit, { prelabel: { source: `model:${model.entry.id}`, params: { provider: backend.provider }, date: new Date().toISOString(), ...(uncertainty ? { uncertainty } : {}) } });
      void vscode.window.setStatusBarMessage(`Maskwright: ${model.entry.id} found ${result.instanceList.length} instance(s) on ${backend.provider}`, 5000);
    });
  });

  reg('maskwright.prelabelFolder', async (uri?: vscode.Uri, uris?: vscode.Uri[]) => {
    let targets = (uris && uris.length ? uris : uri instanceof vscode.Uri ? [uri] : []).filter((u) => u.scheme === 'file').map((u) => u.fsPath);
    if (!targets.length) {
      // From the palette with an image open: its folder is the likely target; any other is a pick away.
      const open = editors.activeDocument();
      const choose = { label: '$(folder-opened) Choose folders or images...', dir: undefined as string | undefined };
      const items = open ? [{ label: `$(folder) ${vscode.workspace.asRelativePath(path.dirname(open.imagePath))}`, description: `the folder of ${path.basename(open.imagePath)}`, dir: path.dirname(open.imagePath) }, choose] : [choose];
      const pick = items.length > 1 ? await vscode.window.showQuickPick(items, { title: 'Pre-label folder' }) : choose;
      if (!pick) return;
      if (pick.dir) targets = [pick.dir];
      else {
        const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: true, canSelectMany: true, openLabel: 'Pre-label' });
        if (!picked) return;
        targets = picked.map((u) => u.fsPath);
      }
    }
    const s = settings();
    const model = await pickModel(s, 'Pre-label the images with');
    if (!model) return;
    const images = await scanDataset(targets, { stopAt: workspaceStop });
    if (!images.length) { void vscode.window.showInformationMessage('Maskwright: no images found in the selection.'); return; }
    if (!(await offerModelClasses(images[0], model))) return;
    const summary = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Pre-label (${model.entry.id})`, cancellable: true }, async (progress, token) => {
      const ac = new AbortController();
      token.onCancellationRequested(() => ac.abort());
      let last = 0;
      return runBatch(images, model, {
        device: s.device, threads: s.threads, signal: ac.signal, stopAt: workspaceStop,
        addMissingClasses: true, onNote: (l) => log.appendLine(l),
        onProgress: (p) => {
          const pct = (p.finished / p.total) * 100;
          progress.report({ increment: pct - last, message: `${p.finished}/${p.total}${p.etaSeconds !== undefined ? `, ${Math.ceil(p.etaSeconds)} s left` : ''}` });
          last = pct;
        },
      });
    });
    const lines = formatSummary(summary);
    log.appendLine(`Pre-label ${model.entry.id}: ${lines.join('\n')}`);
    // The first reason shows in the notification itself; every image's reason is in the output.
    const notable = summary.items.filter((it) => it.status !== 'done' && !it.reason?.startsWith('up to date'));
    const why = notable.slice(0, 2).map((it) => `${it.status} ${path.basename(it.image)}: ${it.reason}`).join('; ');
    const more = notable.length > 2 ? ` (and ${notable.length - 2} more)` : '';
    void (summary.failed ? vscode.window.showWarningMessage : vscode.window.showInformationMessage)(`Maskwright: ${lines[0]}${why ? `. ${why}${more}` : ''}`, 'Show details')
      .then((action) => { if (action) log.show(); });
    return summary;
  });

  reg('maskwright.gpuDiagnostics', async () => {
    const d = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Checking execution providers...' }, () => diagnose(loadManifest()[0].file));
    log.appendLine('GPU diagnostics');
    for (const l of formatDiagnostics(d)) log.appendLine(l);
    log.show();
    const best = d.providers.find((p) => p.ok);
    void vscode.window.showInformationMessage(`Maskwright: inference runs on ${best?.provider ?? 'nothing'}; details in the output panel.`);
  });

  reg('maskwright.addModel', async () => {
    if (!vscode.workspace.isTrusted) throw new Error('adding a model needs a trusted workspace (model files are executable input to onnxruntime)');
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'ONNX model': ['onnx'] }, openLabel: 'Inspect model' });
    if (!picked) return;
    const file = picked[0].fsPath;
    const folder = vscode.workspace.getWorkspaceFolder(picked[0]);
    const insp = await inspectModel(file, folder?.uri.fsPath);
    log.appendLine(`${file}\n  inputs: ${insp.inputs.map((i) => `${i.name} [${i.shape.join(', ')}]`).join('; ')}\n  outputs: ${insp.outputs.map((o) => `${o.name} [${o.shape.join(', ')}]`).join('; ')}\n  ${insp.why}`);
    if (!insp.entry) {
      void vscode.window.showWarningMessage(`Maskwright: ${insp.why}. Add the entry to "maskwright.models" by hand (see models/README.md).`);
      log.show();
      return;
    }
    const id = await vscode.window.showInputBox({ title: `Add ${insp.family} model`, prompt: insp.why, value: insp.entry.id, validateInput: (v) => (/^[A-Za-z0-9._-]+$/.test(v) ? undefined : 'letters, digits, ".", "_" or "-"') });
    if (!id) return;
    const classes = await vscode.window.showInputBox({ title: 'Model classes, in output order (comma-separated)', value: insp.entry.classes.join(', ') });
    if (classes === undefined) return;
    const entry = validateEntry({ ...insp.entry, id, classes: classes.split(',').map((c) => c.trim()).filter(Boolean) }, 'new model');
    const c = vscode.workspace.getConfiguration('maskwright');
    const target = folder ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    const list = (c.inspect<unknown[]>('models')?.[folder ? 'workspaceValue' : 'globalValue'] ?? []).filter((m) => (m as { id?: string }).id !== id);
    await c.update('models', [...list, entry], target);
    void vscode.window.showInformationMessage(`Maskwright: model '${id}' added (${insp.family}); check its input mean/std in settings.`);
  });
}
