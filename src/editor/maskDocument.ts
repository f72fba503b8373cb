// One image open in the mask editor: the host's source of truth for its label maps.
// Edits arrive from webviews and commands, go on VS Code's undo stack, and are saved atomically.
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import { checkComplete, decodeImage, readImageInfo } from '../io/image';
import { maskFilesFor, type MaskFiles } from '../io/masks';
import { readMaskSet, recoverMaskSet, writeMaskSet } from '../io/maskSet';
import { findConfig, writeDefaultConfig } from '../dataset/config';
import { ConfigError, defaultConfig, type DatasetConfig } from '../shared/config';
import { decodeEdits, encodeEdits } from '../shared/editCodec';
import {
  applyEdit, applyMeta, applyPatch, checkSize, createLabelMaps, readRect, revertEdit, validatePatch,
  type InstanceInfo, type LabelMaps, type MaskEdit, type MetaChange, type Patch,
} from '../shared/maskModel';
import type { PrelabelInfo } from '../shared/sidecar';
import type { MaskDocumentHandle } from './api';
import { EditHistory } from './history';
import { packBackup, unpackBackup } from './wire';
import { openReadOnly } from './readOnlyRevision';
import { afterAutomatic, afterSave, fromSidecar, humanEdit, markReviewed, metaForSave, provenanceFromJson, provenanceToJson, statusOf, type Provenance, type ProvenanceJson } from './provenance';

export interface DocumentChange {
  readonly edit: MaskEdit;
  readonly direction: 'forward' | 'backward';
  /** The panel that made the edit already shows it; it is not told again. */
  readonly origin?: unknown;
}

interface BackupExtra { instanceInfo: InstanceInfo[]; provenance?: ProvenanceJson }

/** The person named in review and edit records: the maskwright.userName setting, else the OS user. */
function userName(): string | undefined {
  const set = vscode.workspace.getConfiguration('maskwright').get<string>('userName', '').trim();
  if (set) return set;
  try { return os.userInfo().username || undefined; } catch { return undefined; }
}

/** Writes a save makes before it gives up on masks that change during every one (the document stays dirty). */
const MAX_SAVE_PASSES = 10;

export class MaskDocument implements vscode.CustomDocument, MaskDocumentHandle {
  static async open(uri: vscode.Uri, backupId: string | undefined): Promise<MaskDocument> {
    const doc = new MaskDocument(uri);
    await doc.load();
    if (uri.scheme !== 'file' && !doc.loadError) await openReadOnly(doc);
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
  /** Things worth knowing that are not problems (EXIF orientation): shown as an information notice. */
  notes: string[] = [];
  /** Problems that leave the image viewable (a bad mask, a broken config): the editor opens read-only. */
  warnings: string[] = [];
  readonly = false;
  /** Set while the dataset config is broken (the editor is read-only because of it). */
  private configProblem: string | undefined;
  /** Sample depth of the image file: 16-bit images are shown through their window (io/image.ts). */
  bits: 8 | 16 = 8;
  /** EXIF orientation of the image file (1 = none); the masks follow the stored grid either way. */
  orientation = 1;
  files!: MaskFiles;
  private readonly history = new EditHistory();
  /** Edits made since the last load; undo/redo of older ones (before a revert or reload) are ignored. */
  private live = new WeakSet<MaskEdit>();
  /** Provenance and review state as of the current point in the edit history. */
  private prov: Provenance = fromSidecar(null);
  /** Provenance before and after each edit, so undo/redo restore it (e.g. undoing a pre-label). */
  private readonly provOf = new WeakMap<MaskEdit, { before: Provenance; after: Provenance }>();
  /** Generation of the mask set on disk as this document last read or wrote it (null: no files). */
  private generation: string | null = null;
  /** Mask files existed on disk at load (for the status of masks without a sidecar). */
  private hadFiles = false;
  private rgb: Promise<{ width: number; height: number; data: Uint8Array }> | undefined;
  /** mtimes of the files this document wrote last, so the watcher ignores our own saves. */
  private readonly ownWrites = new Map<string, number>();
  private saving: Promise<void> = Promise.resolve();
  /** Set by a save that had to keep changed files in the trash; the provider reports and clears it. */
  lastTrashed: string | undefined;

  private readonly _onDidChange = new vscode.EventEmitter<DocumentChange>();
  /** Maps changed by an edit, undo or redo. */
  readonly onDidChange = this._onDidChange.event;
  private readonly _onDidReset = new vscode.EventEmitter<void>();
  /** Maps replaced wholesale (revert, reload after an external change, config change). */
  readonly onDidReset = this._onDidReset.event;
  private readonly _onDidEdit = new vscode.EventEmitter<vscode.CustomDocumentEditEvent<MaskDocument>>();
  /** For the provider's onDidChangeCustomDocument: what VS Code puts on its undo stack. */
  readonly onDidEdit = this._onDidEdit.event;
  private readonly _onDidChangeStatus = new vscode.EventEmitter<void>();
  /** Review status or provenance changed (edit, undo, mark reviewed, save, reload). */
  readonly onDidChangeStatus = this._onDidChangeStatus.event;
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
    this.notes = [];
    this.configProblem = undefined;
    // Only file: resources are saved; git: and other schemes (a diff's other side) are read-only.
    this.readonly = this.uri.scheme !== 'file';
    this.loadError = undefined;
    try {
      const ws = vscode.workspace.getWorkspaceFolder(this.uri)?.uri.fsPath;
      const found = await findConfig(path.dirname(this.imagePath), ws ? { stopAt: ws } : {});
      this.config = found.config;
      this.configFile = found.file;
    } catch (e) {
      this.config = defaultConfig();
      this.configFile = e instanceof ConfigError ? e.file : null;
      this.configProblem = `${(e as Error).message}. Fix the dataset config and save it; the editor is read-only until then.`;
      this.warnings.push(this.configProblem);
      this.readonly = true;
    }
    this.files = maskFilesFor(this.imagePath, this.config);
    let info: { width: number; height: number; orientation?: number; format: string; bits?: 8 | 16 };
    try {
      info = await readImageInfo(this.imagePath);
      await checkComplete(this.imagePath, info.format);
      checkSize(info.width, info.height);
    } catch (e) {
      const msg = (e as Error).message;
      this.loadError = e instanceof RangeError ? `cannot load image ${this.imagePath}: ${msg}` : msg;
      return;
    }
    this.orientation = info.orientation ?? 1;
    this.bits = info.bits ?? 8;
    if (this.orientation !== 1) {
      this.notes.push(`This image has EXIF orientation ${this.orientation}. Masks follow the pixel grid as stored in the file (as PIL's Image.open reads it), and the editor shows that grid unrotated; readers that apply EXIF orientation (OpenCV's imread by default) see the image rotated against its masks.`);
    }
    try {
      if (!this.readonly) {
        for (const n of await recoverMaskSet(this.imagePath, this.config, { waitMs: 10000 })) this.warnings.push(`Repaired: ${n}.`);
      }
      // One read of each file: the maps shown are the files whose integrity was checked.
      const { loaded, state } = await readMaskSet(this.imagePath, info.width, info.height, this.config);
      this.maps = loaded.maps;
      this.instanceInfo.clear();
      for (const i of loaded.instanceInfo) this.instanceInfo.set(i.id, i);
      this.prov = fromSidecar(loaded.sidecar);
      this.generation = state.sidecar?.generation ?? null;
      this.hadFiles = state.integrity !== 'none';
      if (state.integrity === 'mixed' || state.integrity === 'changed') {
        this.warnings.push(`${path.basename(this.files.mask)}: ${state.problem}. Saving writes a complete new set; the current files are kept in .maskwright/trash.`);
      }
      this.warnings.push(...loaded.warnings);
    } catch (e) {
      // Keep the existing mask files untouched: show the image with empty maps, read-only.
      this.maps = createLabelMaps(info.width, info.height, this.config.backgroundId, this.config.semanticBits);
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
    // A pre-label (automatic) starts a new draft; anything else done in the editor is a person's work.
    const before = this.prov;
    this.prov = extras?.prelabel ? afterAutomatic(before, extras.prelabel) : humanEdit(before, patches);
    this.provOf.set(applied, { before, after: this.prov });
    this.history.push(applied);
    this.live.add(applied);
    this._onDidChange.fire({ edit: applied, direction: 'forward', origin });
    this._onDidChangeStatus.fire();
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
    const p = this.provOf.get(edit);
    if (p) this.prov = direction === 'backward' ? p.before : p.after;
    if (edit.patches.length || edit.meta?.length) this._onDidChange.fire({ edit, direction });
    this._onDidChangeStatus.fire();
  }

  /** Review status as the status bar shows it. */
  get status(): { status: ReturnType<typeof statusOf>; reviewedBy?: string; reviewedAt?: string } {
    const r = this.prov.review;
    return { status: statusOf(this.prov, this.hadFiles), ...(r?.by ? { reviewedBy: r.by } : {}), ...(r ? { reviewedAt: r.at } : {}) };
  }

  /**
   * Marks the masks reviewed (or not) as one undoable step; written with the next save. A
   * metadata-only edit: no pixels change, the panels are not told.
   */
  setReviewed(reviewed: boolean): void {
    if (this.disposed) throw new Error('the document is closed');
    if (this.loadError) throw new Error(`the image could not be loaded: ${this.loadError}`);
    if (this.readonly) throw new Error(`the editor is read-only: ${this.warnings.join(' ')}`);
    if ((this.prov.review !== undefined) === reviewed) return;
    const edit: MaskEdit = { label: reviewed ? 'Mark as Reviewed' : 'Mark as Not Reviewed', patches: [] };
    const before = this.prov;
    this.prov = markReviewed(before, reviewed ? { at: new Date().toISOString(), by: userName() } : undefined);
    this.provOf.set(edit, { before, after: this.prov });
    this.history.push(edit);
    this.live.add(edit);
    this._onDidChangeStatus.fire();
    this._onDidEdit.fire({ document: this, label: edit.label, undo: () => this.step(edit, 'backward'), redo: () => this.step(edit, 'forward') });
  }

  imageRgb(): Promise<{ width: number; height: number; data: Uint8Array }> {
    this.rgb ??= decodeImage(this.imagePath, { channels: 3 }).then((d) => ({ width: d.width, height: d.height, data: d.data }));
    this.rgb.catch(() => { this.rgb = undefined; });
    return this.rgb;
  }

  /** Instances whose pixels are still in the map (deleted ones are dropped from the sidecar). */
  private liveInstances(ids: Uint16Array): InstanceInfo[] {
    const present = new Uint8Array(65536);
    // Marked once per run of an id (a save of a 4096^2 map runs this on every Ctrl+S).
    let last = -1;
    for (let i = 0; i < ids.length; i++) if (ids[i] !== last) { last = ids[i]; present[last] = 1; }
    return [...this.instanceInfo.values()].filter((i) => present[i.id]).sort((a, b) => a.id - b.id);
  }

  /** Saves masks beside `imagePath` (the document's own image unless Save As). Serialized per document. */
  save(cancellation?: vscode.CancellationToken, targetImage = this.imagePath): Promise<void> {
    const run = async (): Promise<void> => {
      if (this.loadError) throw new Error(`cannot save: ${this.loadError}`);
      if (this.readonly) throw new Error(`cannot save: the editor is read-only (${this.warnings.join(' ')})`);
      if (cancellation?.isCancellationRequested) return;
      // An image without masks that nothing was done to: Ctrl+S out of habit writes nothing (VS Code
      // saves unchanged editors too). An empty set would read as a person's work, and pre-labelling
      // would skip the image.
      if (targetImage === this.imagePath && !this.hadFiles && !this.history.isDirty) return;
      if (!this.configFile) {
        const root = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(targetImage))?.uri.fsPath ?? path.dirname(targetImage);
        this.configFile = await writeDefaultConfig(root);
      }
      const own = targetImage === this.imagePath;
      // Save As over an image that has masks of its own keeps them in the trash (null: expect none).
      let expect = own ? this.generation : null;
      // Edits keep arriving while the files are written, and VS Code counts every edit applied
      // before the save returns as saved. A pass during which an edit arrived is followed by another.
      // The encoders read the maps across awaits, so such a pass may hold part of the edit: the
      // first pass writes the live maps (no copy when nothing arrives, as almost always), later ones
      // a copy taken at once (about 30 ms at 4096^2), so edits that keep coming cannot tear them.
      for (let pass = 1; ; pass++) {
        const version = this.history.version;
        const maps: LabelMaps = pass === 1 ? this.maps
          : { width: this.maps.width, height: this.maps.height, semantic: this.maps.semantic.slice(), instances: this.maps.instances.slice() };
        const meta = metaForSave(this.prov, new Date().toISOString(), userName());
        const r = await writeMaskSet(targetImage, maps, this.liveInstances(maps.instances), this.config, meta, { lock: { what: 'editor save' }, expectGeneration: expect });
        if (r.status !== 'written') throw new Error(`cannot save: ${r.reason}`);
        for (const f of r.written) {
          const st = await fs.stat(f).catch(() => undefined);
          if (st) this.ownWrites.set(f, st.mtimeMs);
        }
        if (r.trashed) this.lastTrashed = `the masks of ${path.basename(targetImage)} had changed on disk since they were opened; the previous files are kept in ${r.trashed}`;
        expect = r.generation;
        if (own) {
          this.generation = r.generation;
          this.hadFiles = true;
        }
        if (this.history.version === version) {
          if (own) {
            this.history.markSaved();
            this.prov = afterSave(this.prov, meta);
            this._onDidChangeStatus.fire();
          }
          return;
        }
        // Failing keeps the document dirty (the files hold a complete earlier state).
        if (pass === MAX_SAVE_PASSES) throw new Error(`cannot save: the masks changed during each of ${MAX_SAVE_PASSES} writes; the files hold the state of the last one, save again`);
      }
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
    this._onDidChangeStatus.fire();
  }

  /** True when a watcher event for `file` is one of our own writes (same mtime as we left it). */
  async isOwnWrite(file: string): Promise<boolean> {
    const mine = this.ownWrites.get(file);
    if (mine === undefined) return false;
    const st = await fs.stat(file).catch(() => undefined);
    return st?.mtimeMs === mine;
  }

  /**
   * Follows a change of the dataset config (maskwright.json saved, created or deleted): a clean
   * document reloads everything (a fixed config leaves read-only mode and reads the masks); one with
   * unsaved edits keeps them and takes the new palette and names, or turns read-only while the
   * config is broken. Panels are re-initialised through onDidReset.
   */
  async reloadConfig(): Promise<void> {
    if (this.disposed || this.loadError) return;
    if (!this.isDirty) {
      await this.revert();
      return;
    }
    const ws = vscode.workspace.getWorkspaceFolder(this.uri)?.uri.fsPath;
    try {
      const found = await findConfig(path.dirname(this.imagePath), ws ? { stopAt: ws } : {});
      if (found.config.semanticBits !== this.config.semanticBits) {
        // The open maps are of the old depth; edits of either depth would not fit both.
        throw new Error(`${found.file ?? 'the dataset config'} now says "semanticBits": ${found.config.semanticBits}, but the open masks are ${this.config.semanticBits}-bit (set it back to keep these edits, or revert to read the masks as ${found.config.semanticBits}-bit)`);
      }
      this.config = found.config;
      this.configFile = found.file;
      this.files = maskFilesFor(this.imagePath, this.config);
      if (this.configProblem) {
        this.warnings = this.warnings.filter((w) => w !== this.configProblem);
        this.configProblem = undefined;
        this.readonly = this.uri.scheme !== 'file';
      }
    } catch (e) {
      if (this.configProblem) this.warnings = this.warnings.filter((w) => w !== this.configProblem);
      this.configProblem = `${(e as Error).message}. Fix the dataset config and save it; your unsaved edits are kept, and the editor is read-only until then.`;
      this.warnings.push(this.configProblem);
      this.readonly = true;
    }
    this._onDidReset.fire();
    this._onDidChangeStatus.fire();
  }

  /** Whether `file` (a maskwright.json) can be this document's config: its folder holds the image's folder. */
  usesConfigAt(file: string): boolean {
    if (this.configFile && path.resolve(this.configFile) === path.resolve(file)) return true;
    const rel = path.relative(path.dirname(file), path.dirname(this.imagePath));
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  }

  /** Reloads after a change on disk by another program. */
  async reloadFromDisk(): Promise<void> {
    await this.revert();
  }

  async backup(destination: vscode.Uri): Promise<vscode.CustomDocumentBackup> {
    const extra: BackupExtra = { instanceInfo: [...this.instanceInfo.values()], provenance: provenanceToJson(this.prov) };
    // Deflated: a whole-image edit at 4096^2 is ~50 MB raw and kilobytes packed.
    const data = await packBackup(encodeEdits(this.history.unsavedEdits(), extra));
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
    const data = await unpackBackup(await vscode.workspace.fs.readFile(backup));
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
    const prov = (extra as BackupExtra | undefined)?.provenance;
    if (prov) this.prov = provenanceFromJson(prov);
    return edits.length;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this._onDidDispose.fire();
    for (const e of [this._onDidChange, this._onDidReset, this._onDidEdit, this._onDidDispose, this._onDidChangeStatus]) e.dispose();
  }
}
