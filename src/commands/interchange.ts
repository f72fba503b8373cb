// "Export Dataset..." and "Import Annotations..." (palette, and the Explorer context menu on a
// folder): quick picks for the format and options, then the same jobs as `maskwright export` /
// `maskwright import` under a cancellable progress notification, with the summary in the output
// channel.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXPORT_FORMATS, IMPORT_FORMATS, formatJob, type ExportFormat, type ImportFormat, type JobProgress, type JobSummary } from '../interchange/common';
import { exportDataset } from '../interchange/exportDataset';
import { importDataset } from '../interchange/importDataset';
import { parseSplit, type SplitSpec } from '../formats/split';
import { guarded } from './editorCommands';

type Item<T> = vscode.QuickPickItem & { value: T };

const EXPORT_LABELS: Record<ExportFormat, string> = {
  coco: 'COCO instances (.json, RLE as pycocotools writes it)',
  'coco-panoptic': 'COCO panoptic (.json + PNG folder)',
  voc: 'Pascal VOC (SegmentationClass / SegmentationObject)',
  cityscapes: 'Cityscapes (gtFine labelIds / instanceIds)',
  'yolo-seg': 'YOLO segmentation (labels/*.txt + data.yaml)',
  labelme: 'labelme (one JSON per image)',
  gray8: 'gray8 (8-bit grayscale class ids, for OpenCV)',
};

const IMPORT_LABELS: Record<ImportFormat, { label: string; src: 'file' | 'folder' | 'either' }> = {
  coco: { label: 'COCO instances or COCO-stuff (.json)', src: 'file' },
  'coco-panoptic': { label: 'COCO panoptic (.json; PNGs in the folder of the same name)', src: 'file' },
  voc: { label: 'Pascal VOC (root folder)', src: 'folder' },
  cityscapes: { label: 'Cityscapes (folder with *_gtFine_labelIds.png)', src: 'folder' },
  'yolo-seg': { label: 'YOLO segmentation (folder with data.yaml and labels/)', src: 'folder' },
  labelme: { label: 'labelme (a JSON file or a folder of them)', src: 'either' },
  gray8: { label: 'gray8 (folder of STEM.png class ids)', src: 'folder' },
  'label-studio': { label: 'Label Studio JSON export (brush labels)', src: 'file' },
};

async function pick<T>(title: string, items: Item<T>[]): Promise<T | undefined> {
  return (await vscode.window.showQuickPick(items, { title, ignoreFocusOut: true }))?.value;
}

async function targetFolder(uri: unknown, openLabel: string): Promise<string | undefined> {
  if (uri instanceof vscode.Uri && uri.scheme === 'file') return uri.fsPath;
  const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel, defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri });
  return picked?.[0]?.fsPath;
}

const stopAt = (dir: string): string => vscode.workspace.getWorkspaceFolder(vscode.Uri.file(dir))?.uri.fsPath ?? dir;

/** Runs a job under a cancellable progress notification, reporting images done. */
function withJobProgress(title: string, run: (signal: AbortSignal, onProgress: (p: JobProgress) => void) => Promise<JobSummary>): Thenable<JobSummary> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    const ac = new AbortController();
    token.onCancellationRequested(() => ac.abort());
    let last = 0;
    return run(ac.signal, (p) => {
      const pct = p.total ? (p.finished / p.total) * 100 : 0;
      progress.report({ increment: pct - last, message: `${p.finished}/${p.total}${p.current ? ` ${path.basename(p.current)}` : ''}` });
      last = pct;
    });
  });
}

/** Logs the summary and shows its first line; the command does not wait for the notification. */
function report(log: vscode.OutputChannel, verb: string, s: JobSummary, reveal?: string): void {
  const lines = formatJob(verb, s);
  log.appendLine(`[${s.format}] ${lines.join('\n')}`);
  const bad = s.failed > 0 || s.errors.length > 0;
  const actions = ['Show Details', ...(reveal ? ['Reveal'] : [])];
  void (bad ? vscode.window.showWarningMessage : vscode.window.showInformationMessage)(`Maskwright: ${lines[0]}`, ...actions).then((choice) => {
    if (choice === 'Show Details') log.show();
    if (choice === 'Reveal' && reveal) void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(reveal));
  });
}

/** Arguments for running the commands without pickers (other extensions, tasks, tests). */
export interface ExportArgs { format: ExportFormat; out: string; polygons?: boolean; split?: string; seed?: number; recursive?: boolean }
/** semanticBits 16: make the dataset 16-bit so category ids up to 65534 stay class ids (the CLI's --semantic-bits 16). */
export interface ImportArgs { format: ImportFormat; src: string; overwrite?: boolean; dryRun?: boolean; semanticBits?: 16 }

const isArgs = <T>(v: unknown): v is T => typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { format?: unknown }).format === 'string';

export function registerInterchangeCommands(context: vscode.ExtensionContext, log: vscode.OutputChannel): void {
  const reg = (id: string, fn: (...args: never[]) => Promise<unknown>): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, guarded(id, log, fn)));
  };

  reg('maskwright.exportDataset', async (uri?: vscode.Uri, args?: unknown) => {
    const dir = await targetFolder(uri, 'Export this folder');
    if (!dir) return;
    if (isArgs<ExportArgs>(args)) {
      if (!(EXPORT_FORMATS as readonly string[]).includes(args.format)) throw new Error(`unknown export format ${args.format}`);
      const s = await withJobProgress(`Maskwright: export ${args.format}`, (signal, onProgress) => exportDataset({
        format: args.format, out: args.out, inputs: [dir], recursive: args.recursive ?? true, polygons: args.polygons === true,
        split: args.split ? parseSplit(args.split) : undefined, seed: args.seed ?? 0, stopAt, signal, onProgress,
      }));
      report(log, s.cancelled ? 'cancelled after exporting' : 'exported', s, args.out);
      return s;
    }
    const format = await pick('Export format', EXPORT_FORMATS.map((f) => ({ label: f, description: EXPORT_LABELS[f], value: f })));
    if (!format) return;
    const json = format === 'coco' || format === 'coco-panoptic';
    const name = `${path.basename(dir)}-${format}`;
    const dest = json
      ? await vscode.window.showSaveDialog({ title: 'Export to', defaultUri: vscode.Uri.file(path.join(path.dirname(dir), `${name}.json`)), filters: { JSON: ['json'] } })
      : (await vscode.window.showOpenDialog({ title: `Export folder (files are written inside; e.g. a new ${name} folder)`, canSelectFolders: true, canSelectFiles: false, openLabel: 'Export here', defaultUri: vscode.Uri.file(path.dirname(dir)) }))?.[0];
    if (!dest) return;
    const out = json ? dest.fsPath : dest.fsPath === path.dirname(dir) ? path.join(dest.fsPath, name) : dest.fsPath;
    let polygons = false;
    if (format === 'coco') {
      const p = await pick('Segmentation', [
        { label: 'RLE', description: 'exact, as pycocotools writes it', value: false },
        { label: 'Polygons', description: 'objects with holes stay RLE', value: true },
      ]);
      if (p === undefined) return;
      polygons = p;
    }
    const splitText = await pick('Split', [
      { label: 'No split', value: '' }, { label: 'train 80% / val 20%', value: 'train=0.8,val=0.2' },
      { label: 'train 70% / val 15% / test 15%', value: 'train=0.7,val=0.15,test=0.15' }, { label: 'Custom...', value: '?' },
    ]);
    if (splitText === undefined) return;
    let split: SplitSpec[] | undefined;
    if (splitText) {
      const text = splitText === '?' ? await vscode.window.showInputBox({ title: 'Split (NAME=FRACTION, comma-separated; seed 0)', value: 'train=0.8,val=0.2', validateInput: (v) => { try { parseSplit(v); return undefined; } catch (e) { return (e as Error).message; } } }) : splitText;
      if (!text) return;
      split = parseSplit(text);
    }
    const summary = await withJobProgress(`Maskwright: export ${format}`, (signal, onProgress) =>
      exportDataset({ format, out, inputs: [dir], recursive: true, polygons, split, seed: 0, stopAt, signal, onProgress }));
    report(log, summary.cancelled ? 'cancelled after exporting' : 'exported', summary, out);
    return summary;
  });

  reg('maskwright.importAnnotations', async (uri?: vscode.Uri, args?: unknown) => {
    const images = await targetFolder(uri, 'Import into this image folder');
    if (!images) return;
    if (isArgs<ImportArgs>(args)) {
      if (!(IMPORT_FORMATS as readonly string[]).includes(args.format)) throw new Error(`unknown import format ${args.format}`);
      const s = await withJobProgress(`Maskwright: import ${args.format}`, (signal, onProgress) => importDataset({
        format: args.format, src: args.src, images, overwrite: args.overwrite === true, dryRun: args.dryRun === true, stopAt, signal, onProgress,
        ...(args.semanticBits === 16 ? { semanticBits: 16 as const } : {}),
      }));
      report(log, s.cancelled ? 'cancelled after importing' : 'imported', s);
      return s;
    }
    const format = await pick('Import format', IMPORT_FORMATS.map((f) => ({ label: f, description: IMPORT_LABELS[f].label, value: f })));
    if (!format) return;
    const kind = IMPORT_LABELS[format].src;
    const src = await vscode.window.showOpenDialog({
      title: `${IMPORT_LABELS[format].label} to import`, canSelectFiles: kind !== 'folder', canSelectFolders: kind !== 'file', canSelectMany: false,
      openLabel: 'Import', defaultUri: vscode.Uri.file(path.dirname(images)), ...(kind === 'file' ? { filters: { JSON: ['json'] } } : {}),
    });
    if (!src?.[0]) return;
    const overwrite = await pick('Masks that a person reviewed or edited', [
      { label: 'Keep them', description: 'skip those images (recommended)', value: false },
      { label: 'Replace them', description: 'the old files are kept in .maskwright/trash', value: true },
    ]);
    if (overwrite === undefined) return;
    const summary = await withJobProgress(`Maskwright: import ${format}`, (signal, onProgress) =>
      importDataset({ format, src: src[0].fsPath, images, overwrite, stopAt, signal, onProgress }));
    const map = summary.details.categoryMap as Record<string, number> | undefined;
    if (map) log.appendLine(`[${format}] categories mapped to other class ids: ${Object.entries(map).map(([k, v]) => `${k} -> ${v}`).join(', ')}`);
    report(log, summary.cancelled ? 'cancelled after importing' : 'imported', summary);
    return summary;
  });
}
