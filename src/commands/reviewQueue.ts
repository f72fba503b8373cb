// The "Review Queue" tree view (Explorer): every image of the workspace ranked as `maskwright queue`
// ranks it, with a draft / edited / reviewed / unlabelled icon, its score and reason; refreshed when
// masks are saved (by the editor or any program). "Next in Review Queue" opens the first image not
// reviewed other than the one in the active editor. VS Code's tree is virtualised, so a list of
// 10,000 images stays responsive; the queue itself reads sidecars only.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MaskEditorProvider } from '../editor/maskEditorProvider';
import { VIEW_TYPE } from '../editor/navigation';
import { collectQueue } from '../review/dataset';
import { rankQueue, type QueueItem } from '../review/queue';
import type { ReviewStatus } from '../shared/sidecar';
import { guarded } from './editorCommands';

export const QUEUE_VIEW = 'maskwright.reviewQueue';

const ICON: Record<ReviewStatus, { icon: string; color?: string }> = {
  draft: { icon: 'circle-outline', color: 'charts.yellow' },
  edited: { icon: 'edit', color: 'charts.blue' },
  reviewed: { icon: 'pass-filled', color: 'charts.green' },
  unlabelled: { icon: 'circle-large-outline' },
};

type Node = { kind: 'folder'; folder: vscode.WorkspaceFolder } | { kind: 'item'; item: QueueItem; folder: vscode.WorkspaceFolder };

class QueueProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly queues = new Map<string, QueueItem[]>();
  private computing: Promise<void> | null = null;
  private dirty = true;
  onDidCompute: (items: number, open: number) => void = () => undefined;

  constructor(private readonly log: vscode.OutputChannel) {}

  /** Marks the queue stale and tells the view (it recomputes when next asked). */
  invalidate(): void {
    this.dirty = true;
    this.changed.fire(undefined);
  }

  /** Recomputes now (if stale) and resolves when done. */
  async ensure(): Promise<void> {
    if (!this.dirty && !this.computing) return;
    if (!this.computing) {
      this.dirty = false;
      this.computing = this.compute().finally(() => { this.computing = null; });
    }
    await this.computing;
    if (this.dirty) await this.ensure();
  }

  private async compute(): Promise<void> {
    const t = Date.now();
    for (const f of vscode.workspace.workspaceFolders ?? []) {
      if (f.uri.scheme !== 'file') continue;
      try {
        const root = f.uri.fsPath;
        const { items, problems } = await collectQueue({ dirs: [root], recursive: true, stopAt: () => root });
        this.queues.set(f.uri.toString(), rankQueue(items));
        for (const p of problems) this.log.appendLine(`[review queue] ${p.image}: ${p.message}`);
      } catch (e) {
        this.log.appendLine(`[review queue] ${f.name}: ${(e as Error).message}`);
        this.queues.set(f.uri.toString(), []);
      }
    }
    const all = this.all();
    this.onDidCompute(all.length, all.filter((q) => q.status !== 'reviewed').length);
    this.log.appendLine(`[review queue] ${all.length} image(s) ranked in ${Date.now() - t} ms`);
  }

  all(): QueueItem[] {
    return [...this.queues.values()].flat();
  }

  async getChildren(node?: Node): Promise<Node[]> {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    if (node?.kind === 'item') return [];
    await this.ensure();
    if (!node && folders.length > 1) return folders.map((folder) => ({ kind: 'folder', folder }));
    const list = node ? [node.folder] : folders;
    return list.flatMap((folder) => (this.queues.get(folder.uri.toString()) ?? []).map((item) => ({ kind: 'item' as const, item, folder })));
  }

  getParent(node: Node): Node | undefined {
    const many = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').length > 1;
    return node.kind === 'item' && many ? { kind: 'folder', folder: node.folder } : undefined;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'folder') {
      const t = new vscode.TreeItem(node.folder.name, vscode.TreeItemCollapsibleState.Expanded);
      t.id = node.folder.uri.toString();
      t.iconPath = new vscode.ThemeIcon('root-folder');
      return t;
    }
    const q = node.item;
    const rel = path.relative(node.folder.uri.fsPath, q.image);
    const t = new vscode.TreeItem(path.basename(q.image), vscode.TreeItemCollapsibleState.None);
    t.id = q.image;
    const dir = path.dirname(rel);
    t.description = `${q.score.toFixed(2)} ${q.status}${dir !== '.' ? ` \u2022 ${dir}` : ''}`;
    t.tooltip = new vscode.MarkdownString(`**${rel}**\n\n${q.status}, score ${q.score.toFixed(4)}\n\n${q.reason}`);
    const look = ICON[q.status];
    t.iconPath = new vscode.ThemeIcon(look.icon, look.color ? new vscode.ThemeColor(look.color) : undefined);
    t.contextValue = `maskwright.queue.${q.status}`;
    t.command = { command: 'vscode.openWith', title: 'Open in Mask Editor', arguments: [vscode.Uri.file(q.image), VIEW_TYPE] };
    t.accessibilityInformation = { label: `${path.basename(q.image)}, ${q.status}, score ${q.score.toFixed(2)}: ${q.reason}` };
    return t;
  }
}

export function registerReviewQueue(context: vscode.ExtensionContext, provider: MaskEditorProvider, log: vscode.OutputChannel): void {
  const data = new QueueProvider(log);
  const view = vscode.window.createTreeView(QUEUE_VIEW, { treeDataProvider: data, showCollapseAll: false });
  data.onDidCompute = (n, open) => { view.description = `${open} to review of ${n}`; };
  context.subscriptions.push(view);

  let timer: NodeJS.Timeout | undefined;
  const soon = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => data.invalidate(), 300);
  };
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.mask.json');
  context.subscriptions.push(watcher, watcher.onDidCreate(soon), watcher.onDidChange(soon), watcher.onDidDelete(soon),
    provider.onDidSaveDocument(() => data.invalidate()),
    vscode.workspace.onDidChangeWorkspaceFolders(() => data.invalidate()),
    { dispose: () => clearTimeout(timer) });

  const reg = (id: string, fn: () => Promise<unknown>): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, guarded(id, log, fn)));
  };
  // Returns the ranked queue (image, status, score, reason), for scripts and tests.
  reg('maskwright.refreshReviewQueue', async () => {
    data.invalidate();
    await data.ensure();
    return data.all().map((q) => ({ image: q.image, status: q.status, score: q.score, reason: q.reason }));
  });
  reg('maskwright.nextInReviewQueue', async () => {
    await data.ensure();
    const current = (provider.activeDocument() as { imagePath?: string } | undefined)?.imagePath;
    const next = data.all().find((q) => q.status !== 'reviewed' && q.image !== current);
    if (!next) {
      void vscode.window.showInformationMessage('Maskwright: every image in the review queue is reviewed.');
      return undefined;
    }
    const column = vscode.window.tabGroups.activeTabGroup.viewColumn;
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(next.image), VIEW_TYPE, column);
    if (view.visible) await view.reveal({ kind: 'item', item: next, folder: vscode.workspace.getWorkspaceFolder(vscode.Uri.file(next.image)) as vscode.WorkspaceFolder }, { select: true, focus: false }).then(undefined, () => undefined);
    return next.image;
  });
}
