// The custom editor provider: opens MaskDocuments, wires their panels and routes their messages,
// saves, reverts, backs up. Watching (maskWatcher.ts), folder navigation (navigation.ts) and model
// prompts (samPrompt.ts) live beside it.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { decodeImage } from '../io/image';
import { listFolderImages } from '../dataset/scan';
import { isMaskName, splitName } from '../shared/paths';
import { assertNever, parseWebviewMessage, type HostToWebview, type InitMessage, type UiState, type WebviewToHost } from '../shared/protocol';
import type { MaskDocumentHandle, MaskwrightApi } from './api';
import { editorHtml, failureHtml } from './html';
import { LARGE_EDIT_PIXELS, packMaps, packMapsSync, unpackWebviewMessage } from './wire';
import { MaskDocument } from './maskDocument';
import { watchMaskFiles } from './maskWatcher';
import { imageForMask, openNeighbour, VIEW_TYPE } from './navigation';
import { TestProbe } from './testProbe';
import { currentPromptModel, samPrompt } from './samPrompt';

export { VIEW_TYPE };

const BROWSER_FORMATS = new Set(['png', 'jpg', 'jpeg', 'bmp', 'webp']);

interface Panel {
  readonly panel: vscode.WebviewPanel;
  ready: boolean;
  /** Showing the failure page (only its commands are accepted). */
  failed?: boolean;
  disposed?: boolean;
  /** Aborts this panel's queued promptable-model request when a newer one arrives. */
  samPrompt?: AbortController;
  /** Ids of edits the webview announced (editComing) that have not arrived: a save waits for them. */
  readonly coming: Set<number>;
}

/** Longest a save waits for announced edits (deflating a whole 8192^2 patch takes about a second). */
const EDIT_ARRIVAL_MS = 10000;

export class MaskEditorProvider implements vscode.CustomEditorProvider<MaskDocument>, MaskwrightApi {
  static register(context: vscode.ExtensionContext, log: vscode.OutputChannel): MaskEditorProvider {
    const provider = new MaskEditorProvider(context, log);
    context.subscriptions.push(
      vscode.window.registerCustomEditorProvider(VIEW_TYPE, provider, {
        webviewOptions: { retainContextWhenHidden: true, enableFindWidget: false },
        supportsMultipleEditorsPerDocument: true,
      }),
    );
    return provider;
  }

  private readonly _onDidChangeState = new vscode.EventEmitter<void>();
  /** The active mask editor, or its document's review status or dirty state, may have changed. */
  readonly onDidChangeState = this._onDidChangeState.event;
  private readonly _onDidSaveDocument = new vscode.EventEmitter<MaskDocument>();
  readonly onDidSaveDocument = this._onDidSaveDocument.event;
  private readonly _onDidOpenDocument = new vscode.EventEmitter<MaskDocument>();
  readonly onDidOpenDocument = this._onDidOpenDocument.event;
  private readonly _onDidChangeCustomDocument = new vscode.EventEmitter<vscode.CustomDocumentEditEvent<MaskDocument>>();
  readonly onDidChangeCustomDocument = this._onDidChangeCustomDocument.event;
  private readonly panels = new Map<MaskDocument, Set<Panel>>();
  private readonly readyWaiters = new Map<string, Array<() => void>>();
  /** Messages and timing marks for tests; records nothing outside them (testProbe.ts). */
  private readonly probe: TestProbe;
  private uiState: UiState | undefined;

  private constructor(private readonly context: vscode.ExtensionContext, private readonly log: vscode.OutputChannel) {
    this.uiState = context.workspaceState.get<UiState>('maskwright.uiState');
    this.probe = new TestProbe(context.extensionMode === vscode.ExtensionMode.Test || process.env.MASKWRIGHT_TEST_PROBE === '1');
    // Open editors follow maskwright.json: palette, names and read-only state, unsaved edits kept.
    const w = vscode.workspace.createFileSystemWatcher('**/maskwright.json');
    const onConfig = (u: vscode.Uri): void => {
      for (const doc of this.panels.keys()) {
        if (!doc.usesConfigAt(u.fsPath)) continue;
        doc.reloadConfig().catch((e: unknown) => this.log.appendLine(`[${path.basename(doc.imagePath)}] config reload failed: ${(e as Error).message}`));
      }
    };
    context.subscriptions.push(w, w.onDidChange(onConfig), w.onDidCreate(onConfig), w.onDidDelete(onConfig));
  }

  // ---- CustomEditorProvider -------------------------------------------------------------

  async openCustomDocument(uri: vscode.Uri, openContext: vscode.CustomDocumentOpenContext): Promise<MaskDocument> {
    const doc = await MaskDocument.open(uri, openContext.backupId);
    if (openContext.backupId) this.log.appendLine(`[${path.basename(doc.imagePath)}] restored ${doc.restoredEdits} unsaved edit(s) from a backup`);
    const subs: vscode.Disposable[] = [
      doc.onDidEdit((e) => this._onDidChangeCustomDocument.fire(e)),
      doc.onDidChange((c) => {
        const targets = [...(this.panels.get(doc) ?? [])].filter((p) => p.panel !== c.origin && p.ready && !p.failed);
        if (!targets.length) return;
        // A large edit (a pre-label, a whole-image tool, their undo) travels as packed maps.
        const pixels = c.edit.patches.reduce((n, q) => n + q.w * q.h, 0);
        if (pixels <= LARGE_EDIT_PIXELS) {
          for (const p of targets) this.post(doc, p, { type: 'edit', edit: c.edit, direction: c.direction });
          return;
        }
        const wire = packMapsSync(doc.maps);
        for (const p of targets) this.post(doc, p, { type: 'reset', ...wire, instanceInfo: [...doc.instanceInfo.values()] });
      }),
      doc.onDidReset(() => {
        for (const p of this.panels.get(doc) ?? []) if (p.ready) void this.sendInit(doc, p);
      }),
      watchMaskFiles(doc, this.log),
      doc.onDidChangeStatus(() => this._onDidChangeState.fire()),
    ];
    doc.onDidDispose(() => {
      subs.forEach((s) => s.dispose());
      this.panels.delete(doc);
      // Nothing of a closed document stays behind (test records included).
      this.probe.drop(doc.uri.toString());
    });
    if (!doc.loadError) this._onDidOpenDocument.fire(doc);
    return doc;
  }

  async resolveCustomEditor(doc: MaskDocument, panel: vscode.WebviewPanel): Promise<void> {
    const name = path.basename(doc.imagePath);
    if (isMaskName(name, doc.config.patterns)) {
      // A mask file opens its image, with the masks, in the mask editor.
      const image = await imageForMask(doc.imagePath, doc.config);
      if (image) {
        await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(image), VIEW_TYPE, panel.viewColumn);
        panel.dispose();
        return;
      }
    }
    const dir = vscode.Uri.file(path.dirname(doc.imagePath));
    panel.webview.options = {
      enableScripts: true,
      enableForms: false,
      localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'dist'), vscode.Uri.joinPath(this.context.extensionUri, 'media'), dir],
    };
    const entry: Panel = { panel, ready: false, coming: new Set() };
    let set = this.panels.get(doc);
    if (!set) this.panels.set(doc, (set = new Set()));
    set.add(entry);
    const sub = panel.webview.onDidReceiveMessage((raw) => this.onMessage(doc, entry, raw));
    const view = panel.onDidChangeViewState(() => this._onDidChangeState.fire());
    panel.onDidDispose(() => {
      entry.disposed = true;
      entry.coming.clear();
      sub.dispose();
      view.dispose();
      set?.delete(entry);
      this._onDidChangeState.fire();
    });
    this._onDidChangeState.fire();
    if (doc.loadError) {
      await this.showFailure(doc, entry, doc.loadError);
      return;
    }
    const opacity = vscode.workspace.getConfiguration('maskwright').get<number>('overlayOpacity', 0.5);
    panel.webview.html = editorHtml(panel.webview, this.context.extensionUri, opacity);
  }

  async saveCustomDocument(doc: MaskDocument, cancellation: vscode.CancellationToken): Promise<void> {
    await this.editsArrived(doc, cancellation);
    await doc.save(cancellation);
    this.reportTrashed(doc);
    this._onDidChangeState.fire();
    this._onDidSaveDocument.fire(doc);
  }

  private reportTrashed(doc: MaskDocument): void {
    if (!doc.lastTrashed) return;
    this.log.appendLine(`[${path.basename(doc.imagePath)}] ${doc.lastTrashed}`);
    void vscode.window.showInformationMessage(`Maskwright: ${doc.lastTrashed}.`);
    doc.lastTrashed = undefined;
  }

  async saveCustomDocumentAs(doc: MaskDocument, destination: vscode.Uri, cancellation: vscode.CancellationToken): Promise<void> {
    await this.editsArrived(doc, cancellation);
    return doc.saveAs(destination, cancellation);
  }

  /**
   * Waits until the edits the webviews announced have arrived (Ctrl+S right after a whole-image fill
   * saves the fill, not the maps before it), at most EDIT_ARRIVAL_MS; after that the save goes on
   * with what has arrived and the document stays dirty until the rest does.
   */
  private async editsArrived(doc: MaskDocument, cancellation: vscode.CancellationToken): Promise<void> {
    const waiting = (): number => [...(this.panels.get(doc) ?? [])].reduce((n, p) => n + p.coming.size, 0);
    const end = Date.now() + EDIT_ARRIVAL_MS;
    while (waiting() > 0 && !cancellation.isCancellationRequested) {
      if (Date.now() > end) {
        this.log.appendLine(`[${path.basename(doc.imagePath)}] saving without ${waiting()} edit(s) the editor announced ${EDIT_ARRIVAL_MS / 1000} s ago; the document stays unsaved until they arrive`);
        return;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  revertCustomDocument(doc: MaskDocument): Promise<void> {
    return doc.revert();
  }

  backupCustomDocument(doc: MaskDocument, context: vscode.CustomDocumentBackupContext): Promise<vscode.CustomDocumentBackup> {
    return doc.backup(context.destination);
  }

  // ---- messages ---------------------------------------------------------------------------

  /**
   * Replaces the panel's editor with the failure page (the image cannot be shown). The document
   * refuses edits and saves from then on; navigation and "open with the default editor" work.
   */
  private async showFailure(doc: MaskDocument, p: Panel, reason: string): Promise<void> {
    doc.loadError ??= reason;
    p.failed = true;
    p.ready = true;
    const { images } = await listFolderImages(path.dirname(doc.imagePath), doc.config.patterns).catch(() => ({ images: [doc.imagePath] }));
    if (p.disposed) return;
    const index = Math.max(0, images.indexOf(doc.imagePath));
    p.panel.webview.html = failureHtml(p.panel.webview, this.context.extensionUri, path.basename(doc.imagePath), reason, { index, total: images.length });
    this.log.appendLine(`[${path.basename(doc.imagePath)}] cannot be shown: ${reason}`);
    this.flushReady(doc);
    this._onDidChangeState.fire();
  }

  /** A section of the README on the extension's web page (its homepage, else its repository). */
  private helpUrl(anchor: string): string {
    const pkg = this.context.extension.packageJSON as { homepage?: string; repository?: { url?: string } | string };
    const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
    const base = (pkg.homepage ?? repo ?? '').replace(/^git\+/, '').replace(/\.git$/, '').replace(/#.*$/, '');
    return base ? `${base}#${anchor}` : '';
  }

  /** Shows an action's failure in the active mask editor's banner (besides the notification). */
  showErrorInActive(message: string): void {
    const doc = this.activeDocument();
    if (!doc) return;
    for (const p of this.panels.get(doc) ?? []) if (p.ready && !p.failed) this.post(doc, p, { type: 'error', message });
  }

  private post(doc: MaskDocument, p: Panel, msg: HostToWebview): void {
    // A panel closed while a reply was on its way: nothing to tell ("Webview is disposed").
    if (p.disposed) return;
    this.probe.recordSent(doc.uri.toString(), msg);
    p.panel.webview.postMessage(msg).then(undefined, () => undefined);
  }

  private async sendInit(doc: MaskDocument, p: Panel): Promise<void> {
    const ext = splitName(path.basename(doc.imagePath)).ext.toLowerCase();
    let image: InitMessage['image'];
    // An EXIF-rotated JPEG is sent as stored pixels: browsers apply the orientation when decoding.
    // 16-bit images too: browsers keep only the high byte (a 16-bit image holding 0..255 is black).
    if (BROWSER_FORMATS.has(ext) && doc.orientation === 1 && doc.bits === 8) {
      image = { kind: 'url', url: p.panel.webview.asWebviewUri(doc.uri).toString() };
    } else {
      const d = await decodeImage(doc.imagePath, { channels: 4 });
      image = { kind: 'rgba', data: d.data };
    }
    const [{ images }, wire] = await Promise.all([
      listFolderImages(path.dirname(doc.imagePath), doc.config.patterns).catch(() => ({ images: [doc.imagePath] })),
      packMaps(doc.maps),
    ]);
    const index = Math.max(0, images.indexOf(doc.imagePath));
    if (doc.isDisposed) return;
    this.post(doc, p, {
      type: 'init',
      fileName: path.basename(doc.imagePath),
      width: doc.maps.width,
      height: doc.maps.height,
      image,
      ...wire,
      instanceInfo: [...doc.instanceInfo.values()],
      config: { semanticBits: doc.config.semanticBits, classes: doc.config.classes, ignoreIndex: doc.config.ignoreIndex, backgroundId: doc.config.backgroundId },
      position: { index, total: images.length },
      warnings: doc.warnings,
      notes: doc.notes,
      readonly: doc.readonly,
      ...(this.uiState ? { uiState: this.uiState } : {}),
      promptModel: currentPromptModel(doc),
      helpUrl: this.helpUrl('pre-labelling-with-a-model'),
    });
  }

  private async onMessage(doc: MaskDocument, p: Panel, raw: unknown): Promise<HostToWebview | undefined> {
    let unpacked: unknown;
    try { unpacked = unpackWebviewMessage(raw); } catch (e) {
      // A packed edit that does not unpack is refused with the reason, so the webview reverts it.
      const error = `a packed edit could not be read: ${(e as Error).message}`;
      this.log.appendLine(`[webview] ${error}`);
      const id = (raw as { id?: unknown }).id;
      if (!(typeof id === 'number' && Number.isSafeInteger(id) && id >= 0)) return undefined;
      p.coming.delete(id);
      const r: HostToWebview = { type: 'reply', id, ok: false, error };
      this.post(doc, p, r);
      return r;
    }
    const msg = parseWebviewMessage(unpacked);
    if (!msg) {
      this.log.appendLine(`[webview] dropped an invalid message: ${describe(raw)}`);
      // An announced edit that arrives malformed will not come: a save stops waiting for it.
      const r = raw as { type?: unknown; id?: unknown } | null;
      if (r && r.type === 'edit' && typeof r.id === 'number') p.coming.delete(r.id);
      return undefined;
    }
    const FAILURE_COMMANDS: readonly string[] = ['nextImage', 'previousImage', 'openDefault'];
    if (p.failed && !(msg.type === 'command' && FAILURE_COMMANDS.includes(msg.command))) {
      this.log.appendLine(`[webview] dropped ${msg.type} from a failure page`);
      return undefined;
    }
    const reply = (id: number, ok: boolean, error?: string, result?: unknown): HostToWebview => {
      const r: HostToWebview = { type: 'reply', id, ok, ...(error ? { error } : {}), ...(result !== undefined ? { result } : {}) };
      this.post(doc, p, r);
      return r;
    };
    try {
      return await this.handle(doc, p, msg, reply);
    } catch (e) {
      const message = (e as Error).message;
      this.log.appendLine(`[${path.basename(doc.imagePath)}] ${msg.type} failed: ${message}`);
      // An action started in the editor (navigation, a command button) reports in the editor too.
      if (msg.type === 'command' && !p.failed) this.post(doc, p, { type: 'error', message });
      return 'id' in msg ? reply(msg.id, false, message) : undefined;
    }
  }

  private async handle(doc: MaskDocument, p: Panel, msg: WebviewToHost,
    reply: (id: number, ok: boolean, error?: string, result?: unknown) => HostToWebview): Promise<HostToWebview | undefined> {
    switch (msg.type) {
      case 'ready':
        try {
          await this.sendInit(doc, p);
        } catch (e) {
          await this.showFailure(doc, p, (e as Error).message);
          return undefined;
        }
        p.ready = true;
        this.flushReady(doc);
        return undefined;
      case 'edit':
        try {
          doc.applyEdit(msg.edit, undefined, p.panel);
        } finally {
          p.coming.delete(msg.id);
        }
        return reply(msg.id, true);
      case 'editComing':
        // Bounded: a webview cannot make saves wait on more than a screenful of strokes.
        if (p.coming.size < 1000) p.coming.add(msg.id);
        return undefined;
      case 'editDropped':
        p.coming.delete(msg.id);
        return undefined;
      case 'command':
        await this.runWebviewCommand(doc, msg.command);
        return reply(msg.id, true);
      case 'requestPixels': {
        // The browser could not decode the file; when the host cannot either, it cannot be shown.
        let d;
        try { d = await decodeImage(doc.imagePath, { channels: 4 }); } catch (e) {
          await this.showFailure(doc, p, (e as Error).message);
          return undefined;
        }
        return reply(msg.id, true, undefined, d.data);
      }
      case 'samPrompt': {
        p.samPrompt?.abort();
        const ac = (p.samPrompt = new AbortController());
        return reply(msg.id, true, undefined, await samPrompt(doc, msg.prompt, ac.signal, this.log));
      }
      case 'perf':
        this.probe.recordMark(doc.uri.toString(), msg.name, msg.ms);
        return undefined;
      case 'uiState':
        this.uiState = msg.state;
        void this.context.workspaceState.update('maskwright.uiState', msg.state);
        return undefined;
      case 'log':
        this.log.appendLine(`[webview ${msg.level}] ${msg.message}`);
        return undefined;
      default:
        return assertNever(msg);
    }
  }

  private async runWebviewCommand(doc: MaskDocument, command: string): Promise<void> {
    switch (command) {
      case 'save': await vscode.commands.executeCommand('workbench.action.files.save'); break;
      case 'nextImage': await this.navigate(doc, 1); break;
      case 'previousImage': await this.navigate(doc, -1); break;
      case 'prelabel': await vscode.commands.executeCommand('maskwright.prelabel'); break;
      case 'splitInstances': await vscode.commands.executeCommand('maskwright.splitInstances'); break;
      case 'openConfig': await vscode.commands.executeCommand('maskwright.openConfig', doc.uri); break;
      case 'openDefault': await vscode.commands.executeCommand('vscode.openWith', doc.uri, 'default', this.columnOf(doc)); break;
      case 'addModel': await vscode.commands.executeCommand('maskwright.addModel'); break;
    }
  }

  // ---- navigation, files --------------------------------------------------------------------

  private columnOf(doc: MaskDocument): vscode.ViewColumn | undefined {
    return [...(this.panels.get(doc) ?? [])].find((p) => p.panel.active)?.panel.viewColumn;
  }

  /** Opens the next (+1) or previous (-1) image of the document's folder in the same tab group. */
  async navigate(doc: MaskDocument, delta: 1 | -1): Promise<void> {
    const column = this.columnOf(doc);
    // Keep a tab with unsaved edits open (its dirty marker shows); replace a clean one.
    await openNeighbour(doc.imagePath, doc.config, delta, column, !doc.isDirty);
  }

  /** Posts to every ready panel of `doc` (comparisons: src/commands/compare.ts); returns how many got it. */
  postToPanels(doc: MaskDocument, msg: HostToWebview): number {
    let n = 0;
    for (const p of this.panels.get(doc) ?? []) if (p.ready) { this.post(doc, p, msg); n++; }
    return n;
  }

  // ---- MaskwrightApi --------------------------------------------------------------------------

  documents(): MaskDocumentHandle[] {
    return [...this.panels.keys()];
  }

  activeDocument(): MaskDocument | undefined {
    for (const [doc, set] of this.panels) for (const p of set) if (p.panel.active) return doc;
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    if (tab?.input instanceof vscode.TabInputCustom && tab.input.viewType === VIEW_TYPE) {
      const uri = tab.input.uri.toString();
      return [...this.panels.keys()].find((d) => d.uri.toString() === uri);
    }
    return undefined;
  }

  docFor(uri: vscode.Uri): MaskDocument | undefined {
    return [...this.panels.keys()].find((d) => d.uri.toString() === uri.toString());
  }

  private flushReady(doc: MaskDocument): void {
    const key = doc.uri.toString();
    for (const f of this.readyWaiters.get(key) ?? []) f();
    this.readyWaiters.delete(key);
  }

  whenPanelReady(uri: vscode.Uri, timeoutMs = 60000): Promise<void> {
    const doc = this.docFor(uri);
    if (doc && [...(this.panels.get(doc) ?? [])].some((p) => p.ready)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const key = uri.toString();
      const done = (): void => { clearTimeout(t); resolve(); };
      const t = setTimeout(() => {
        // A waiter that timed out is not kept (the map would grow with every failed wait).
        const rest = (this.readyWaiters.get(key) ?? []).filter((f) => f !== done);
        if (rest.length) this.readyWaiters.set(key, rest); else this.readyWaiters.delete(key);
        reject(new Error(`no mask editor panel for ${uri.fsPath} became ready in ${timeoutMs} ms`));
      }, timeoutMs);
      this.readyWaiters.set(key, [...(this.readyWaiters.get(key) ?? []), done]);
    });
  }

  async receiveFromWebview(uri: vscode.Uri, message: unknown): Promise<HostToWebview | undefined> {
    const doc = this.docFor(uri);
    const p = doc && [...(this.panels.get(doc) ?? [])][0];
    if (!doc || !p) throw new Error(`no mask editor panel is open for ${uri.fsPath}`);
    return this.onMessage(doc, p, message);
  }

  sentToWebview(uri: vscode.Uri): readonly HostToWebview[] {
    return this.probe.sentTo(uri.toString());
  }

  /** The class selected in the last mask editor that reported its UI state. */
  currentClass(): number | undefined {
    return this.uiState?.classId;
  }

  /** The webview's timing marks for this document (tests and the editor benchmark only). */
  perfMarks(uri: vscode.Uri): ReadonlyArray<{ name: string; ms: number }> {
    return this.probe.marksOf(uri.toString());
  }
}

function describe(raw: unknown): string {
  try {
    return JSON.stringify(raw, (_k, v) => (ArrayBuffer.isView(v) ? `<${v.constructor.name} ${(v as Uint8Array).length}>` : v)).slice(0, 300);
  } catch {
    return String(raw).slice(0, 300);
  }
}
