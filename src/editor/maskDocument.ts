// One image open in the mask editor: the host's source of truth for its label maps.
// Edits arrive from webviews and commands, go on VS Code's undo stack, and are saved atomically.
import * as path from 'node:path';
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import { decodeImage, readImageInfo } from '../io/image';
import { maskFilesFor, readMasks, writeMasks, type MaskFiles } from '../io/masks';
import { findConfig, writeDefaultConfig } from '../dataset/config';
import { ConfigError, defaultConfig, type DatasetConfig } from '../shared/config';
import { decodeEdits, encodeEdits } from '../shared/editCodec';
import {
  applyEdit, applyMeta, applyPatch, createLabelMaps, readRect, revertEdit, validatePatch,
  type InstanceInfo, type LabelMaps, type MaskEdit, type MetaChange, type Patch,
} from '../shared/maskModel';
import type { PrelabelInfo } from '../shared/sidecar';
import type { MaskDocumentHandle } from './api';
import { EditHistory } from './history';

export interface DocumentChange {
  readonly edit: MaskEdit;
  readonly direction: 'forward' | 'backward';
  /** The panel that made the edit already shows it; it is not told again. */
  readonly origin?: unknown;
}

interface BackupExtra { instanceInfo: InstanceInfo[] }

export class MaskDocument implements vscode.CustomDocument, MaskDocumentHandle {
  static async open(uri: vscode.Uri, backupId: string | undefined): Promise<MaskDocument> {
    const doc = new MaskDocument(uri);
    await doc.load();
    if (backupId && !doc.loadError) doc.restoredEdits = await doc.restoreBackup(vscode.Uri.parse(backupId));
    return doc;
  }

  /** Number of unsaved edits restored from a hot-exit backup when the document was opened. */
  restoredEdits = 0;

  readonly imagePath: string;
  maps: LabelMaps = createLabelMaps(1, 1);
  config: DatasetConfig = defaultConfig();
  configFile: string | null = null;
  readonly instanceInfo = new Map<number, InstanceInfo>();
  /** Set when the image itself cannot be shown; the editor shows this instead. */
  loadError: string | undefined;
  /** Problems that leave the image viewable (a bad mask, a broken config): the editor opens read-only. */
  warnings: string[] = [];
  readonly = false;
  files!: MaskFiles;
  private readonly history = new EditHistory();
  /** Edits made since the last load; undo/redo of older ones (before a revert or reload) are ignored. */
  private live = new WeakSet<MaskEdit>();
  private prelabel: PrelabelInfo | undefined;
  private rgb: Promise<{ width: number; height: number; data: Uint8Array }> | undefined;
  /** mtimes of the files this document wrote last, so the watcher ignores our own saves. */
  private readonly ownWrites = new Map<string, number>();
  private saving: Promise<void> = Promise.resolve();

  private readonly _onDidChange = new vscode.EventEmitter<DocumentChange>();
  /** Maps changed by an edit, undo or redo. */
  readonly onDidChange = this._onDidChange.event;
  private readonly _onDidReset = new vscode.EventEmitter<void>();
  /** Maps replaced wholesale (revert, reload after an external change, config change). */
  readonly onDidReset = this._onDidReset.event;
  private readonly _onDidEdit = new vscode.EventEmitter<vscode.CustomDocumentEditEvent<MaskDocument>>();
  /** For the provider's onDidChangeCustomDocument: what VS Code puts on its undo stack. */
  readonly onDidEdit = this._onDidEdit.event;
  private readonly _onDidDispose = new vscode.EventEmitter<void>();
  readonly onDidDispose = this._onDidDispose.event;
  private disposed = false;

  private constructor(readonly uri: vscode.Uri) {
    this.imagePath = uri.fsPath;
  }

  get isDirty(): boolean {
    return this.history.isDirty;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** (Re)reads config, image size and masks from disk. Never throws: problems land in loadError / warnings. */
  private async load(): Promise<void> {
    this.warnings = [];
    this.readonly = false;
    this.loadError = undefined;
    try {
      const found = await findConfig(path.dirname(this.imagePath));
      this.config = found.config;
      this.configFile = found.file;
    } catch (e) {
      this.config = defaultConfig();
      this.configFile = e instanceof ConfigError ? e.file : null;
      this.warnings.push(`${(e as Error).message}. Fix the dataset config and reopen; the editor is read-only until then.`);
      this.readonly = true;
    }
    this.files = maskFilesFor(this.imagePath, this.config);
    let info: { width: number; height: number };
    try {
      info = await readImageInfo(this.imagePath);
    } catch (e) {
      this.loadError = (e as Error).message;
      return;
    }
    try {
      const loaded = await readMasks(this.imagePath, info.width, info.height, this.config);
      this.maps = loaded.maps;
      this.instanceInfo.clear();
      for (const i of loaded.instanceInfo) this.instanceInfo.set(i.id, i);
      this.prelabel = loaded.sidecar?.prelabel;
      this.warnings.push(...loaded.warnings);
    } catch (e) {
      // Keep the existing mask files untouched: show the image with empty maps, read-only.
      this.maps = createLabelMaps(info.width, info.height, this.config.backgroundId);
      this.instanceInfo.clear();
      this.warnings.push(`${(e as Error).message}. The masks are shown empty and the editor is read-only so the file on disk is not overwritten.`);
      this.readonly = true;
    }
  }

  /** Validates and applies an edit as one undoable step. `origin` is the panel that already shows it. */
  applyEdit(edit: MaskEdit, extras?: { prelabel?: PrelabelInfo }, origin?: unknown): void {
    if (this.disposed) throw new Error('the document is closed');
    if (this.loadError) throw new Error(`the image could not be loaded: ${this.loadError}`);
    if (this.readonly) throw new Error(`the editor is read-only: ${this.warnings.join(' ')}`);
    for (const p of edit.patches) validatePatch(this.maps, p);
    // The host is the source of truth: "before" is what the host has, whatever the sender thought.
    // All patches were validated above, so applying them one by one cannot fail half-way.
    const patches: Patch[] = [];
    for (const p of edit.patches) {
      const q: Patch = { ...p, before: readRect(this.maps, p.layer, p.x, p.y, p.w, p.h) };
      applyPatch(this.maps, q, 'after');
      patches.push(q);
    }
    const shadow = new Map(this.instanceInfo);
    const meta: MetaChange[] | undefined = edit.meta?.map((m) => {
      const change = { id: m.id, before: shadow.get(m.id) ?? null, after: m.after };
      applyMeta(shadow, [change], 'after');
      return change;
    });
    const applied: MaskEdit = { label: edit.label, patches, ...(meta ? { meta } : {}) };
    this.instanceInfo.clear();
    for (const [k, v] of shadow) this.instanceInfo.set(k, v);
    if (extras?.prelabel) this.prelabel = extras.prelabel;
    this.history.push(applied);
    this.live.add(applied);
    this._onDidChange.fire({ edit: applied, direction: 'forward', origin });
    this._onDidEdit.fire({
      document: this,
      label: applied.label,
      undo: () => this.step(applied, 'backward'),
      redo: () => this.step(applied, 'forward'),
    });
  }

  private step(edit: MaskEdit, direction: 'forward' | 'backward'): void {
    // VS Code keeps its undo stack across a revert; those entries belong to maps that are gone.
    if (this.disposed || !this.live.has(edit)) return;
    if (direction === 'backward') {
      revertEdit(this.maps, edit);
      applyMeta(this.instanceInfo, edit.meta, 'before');
      this.history.pop(edit);
    } else {
      applyEdit(this.maps, edit);
      applyMeta(this.instanceInfo, edit.meta, 'after');
      this.history.push(edit);
    }
    this._onDidChange.fire({ edit, direction });
  }

  imageRgb(): Promise<{ width: number; height: number; data: Uint8Array }> {
    this.rgb ??= decodeImage(this.imagePath, { channels: 3 }).then((d) => ({ width: d.width, height: d.height, data: d.data }));
    this.rgb.catch(() => { this.rgb = undefined; });
    return this.rgb;
  }

  /** Instances whose pixels are still in the map (deleted ones are dropped from the sidecar). */
  private liveInstances(): InstanceInfo[] {
    const present = new Uint8Array(65536);
    const ids = this.maps.instances;
    for (let i = 0; i < ids.length; i++) present[ids[i]] = 1;
    return [...this.instanceInfo.values()].filter((i) => present[i.id]).sort((a, b) => a.id - b.id);
  }

  /** Saves masks beside `imagePath` (the document's own image unless Save As). Serialized per document. */
  save(cancellation?: vscode.CancellationToken, targetImage = this.imagePath): Promise<void> {
    const run = async (): Promise<void> => {
      if (this.loadError) throw new Error(`cannot save: ${this.loadError}`);
      if (this.readonly) throw new Error(`cannot save: the editor is read-only (${this.warnings.join(' ')})`);
      if (cancellation?.isCancellationRequested) return;
      if (!this.configFile) {
        const root = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(targetImage))?.uri.fsPath ?? path.dirname(targetImage);
        this.configFile = await writeDefaultConfig(root);
      }
      const { written } = await writeMasks(targetImage, this.maps, this.liveInstances(), this.config, { prelabel: this.prelabel });
      for (const f of written) {
        const st = await fs.stat(f).catch(() => undefined);
        if (st) this.ownWrites.set(f, st.mtimeMs);
      }
      if (targetImage === this.imagePath) this.history.markSaved();
    };
    this.saving = this.saving.then(run, run);
    return this.saving;
  }

  async saveAs(target: vscode.Uri, cancellation: vscode.CancellationToken): Promise<void> {
    if (path.resolve(target.fsPath) !== path.resolve(this.imagePath)) {
      await fs.copyFile(this.imagePath, target.fsPath);
    }
    await this.save(cancellation, target.fsPath);
  }

  async revert(): Promise<void> {
    await this.load();
    this.history.reset();
    this.live = new WeakSet();
    this._onDidReset.fire();
  }

  /** True when a watcher event for `file` is one of our own writes (same mtime as we left it). */
  async isOwnWrite(file: string): Promise<boolean> {
    const mine = this.ownWrites.get(file);
    if (mine === undefined) return false;
    const st = await fs.stat(file).catch(() => undefined);
    return st?.mtimeMs === mine;
  }

  /** Reloads after a change on disk by another program. */
  async reloadFromDisk(): Promise<void> {
    await this.revert();
  }

  async backup(destination: vscode.Uri): Promise<vscode.CustomDocumentBackup> {
    const extra: BackupExtra = { instanceInfo: [...this.instanceInfo.values()] };
    const data = encodeEdits(this.history.unsavedEdits(), extra);
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(destination, '..'));
    await vscode.workspace.fs.writeFile(destination, data);
    return {
      id: destination.toString(),
      delete: async () => {
        try { await vscode.workspace.fs.delete(destination); } catch { /* already gone */ }
      },
    };
  }

  private async restoreBackup(backup: vscode.Uri): Promise<number> {
    const data = await vscode.workspace.fs.readFile(backup);
    const { edits, extra } = decodeEdits(data);
    for (const e of edits) {
      for (const p of e.patches) validatePatch(this.maps, p);
      applyEdit(this.maps, e);
      this.history.push(e);
    }
    const info = (extra as BackupExtra | undefined)?.instanceInfo;
    if (info) {
      this.instanceInfo.clear();
      for (const i of info) this.instanceInfo.set(i.id, i);
    }
    return edits.length;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this._onDidDispose.fire();
    for (const e of [this._onDidChange, this._onDidReset, this._onDidEdit, this._onDidDispose]) e.dispose();
  }
}
