// "Dataset Overview": a webview with the statistics of `maskwright stats` as charts (class balance,
// instance sizes, review progress), themed with VS Code's colours, behind the editor's strict CSP
// (nonce script from dist/, no inline style or script, no network). Charts are SVG drawn by
// webview/overview/main.ts. Refreshes on request and when masks are saved.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { pageHtml } from '../editor/html';
import type { MaskEditorProvider } from '../editor/maskEditorProvider';
import { collectStats } from '../review/dataset';
import type { DatasetStats } from '../review/stats';
import { classRgb, hex, paletteOf, type DatasetConfig } from '../shared/config';
import { findConfig } from '../dataset/config';
import { guarded } from './editorCommands';

/** What the overview page receives: the statistics and each class's colour. */
export interface OverviewData {
  readonly type: 'stats';
  readonly title: string;
  readonly stats: DatasetStats;
  readonly colors: Record<string, string>;
  readonly seconds: number;
}

export function overviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  return pageHtml(webview, extensionUri, () => ({
    title, styles: [['media', 'overview.css']], script: ['dist', 'overview.js'],
    bodyAttrs: 'data-state="waiting"',
    body: '<main id="root" aria-live="polite"><p class="ov-muted">Reading the masks...</p></main>',
  }));
}

function colorsOf(config: DatasetConfig): Record<string, string> {
  const pal = paletteOf(config);
  const out: Record<string, string> = {};
  for (let id = 0; id < 256; id++) out[String(id)] = '#' + [pal[id * 3], pal[id * 3 + 1], pal[id * 3 + 2]].map((v) => v.toString(16).padStart(2, '0')).join('');
  // 16-bit datasets: the listed classes above 255 too (unlisted ones show grey).
  for (const c of config.classes) if (c.id > 255) out[String(c.id)] = hex(classRgb(config, c.id));
  return out;
}

export function registerOverview(context: vscode.ExtensionContext, provider: MaskEditorProvider, log: vscode.OutputChannel): void {
  const panels = new Map<string, { panel: vscode.WebviewPanel; refresh: () => Promise<OverviewData> }>();
  const open = async (target?: vscode.Uri): Promise<unknown> => {
    const folder = target?.scheme === 'file' ? target : vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri;
    if (!folder) throw new Error('open a folder first: the overview shows the images under it');
    const root = folder.fsPath;
    const ws = vscode.workspace.getWorkspaceFolder(folder)?.uri.fsPath ?? root;
    const title = `Dataset Overview: ${path.basename(root)}`;
    const existing = panels.get(root);
    if (existing) { existing.panel.reveal(); return existing.refresh(); }
    const panel = vscode.window.createWebviewPanel('maskwright.overview', title, vscode.ViewColumn.Active, {
      enableScripts: true, enableForms: false, retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist'), vscode.Uri.joinPath(context.extensionUri, 'media')],
    });
    let ready = false;
    let last: OverviewData | undefined;
    const refresh = async (): Promise<OverviewData> => {
      const t = Date.now();
      const stats = await collectStats({ dirs: [root], recursive: true, stopAt: () => ws });
      const { config } = await findConfig(root, { stopAt: ws }).catch(() => ({ config: undefined }));
      last = { type: 'stats', title, stats, colors: config ? colorsOf(config) : {}, seconds: (Date.now() - t) / 1000 };
      if (ready) void panel.webview.postMessage(last);
      log.appendLine(`[overview] ${stats.images} image(s) in ${last.seconds.toFixed(2)} s`);
      return last;
    };
    panel.webview.html = overviewHtml(panel.webview, context.extensionUri, title);
    const subs = [
      panel.webview.onDidReceiveMessage((m: unknown) => {
        const type = typeof m === 'object' && m !== null ? (m as { type?: unknown }).type : undefined;
        if (type === 'ready') { ready = true; if (last) void panel.webview.postMessage(last); }
        else if (type === 'refresh') void refresh().catch((e: Error) => log.appendLine(`[overview] ${e.message}`));
      }),
      provider.onDidSaveDocument(() => { void refresh().catch(() => undefined); }),
    ];
    panel.onDidDispose(() => { subs.forEach((s) => s.dispose()); panels.delete(root); });
    panels.set(root, { panel, refresh });
    return refresh();
  };
  context.subscriptions.push(vscode.commands.registerCommand('maskwright.datasetOverview', guarded('maskwright.datasetOverview', log, (uri?: vscode.Uri) => open(uri))));
}
