// Review state in VS Code: the status bar item (draft / edited / reviewed, with unsaved changes
// marked) for the active mask editor, and the commands that mark the open image reviewed or not.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MaskDocument } from '../editor/maskDocument';
import type { MaskEditorProvider } from '../editor/maskEditorProvider';
import { guarded } from './editorCommands';

const LOOK: Record<string, { icon: string; text: string; what: string }> = {
  unlabelled: { icon: '$(circle-large-outline)', text: 'Unlabelled', what: 'no masks yet' },
  draft: { icon: '$(circle-outline)', text: 'Draft', what: 'an automatic draft nobody has edited or reviewed' },
  edited: { icon: '$(edit)', text: 'Edited', what: 'carries a person\'s edits, not reviewed' },
  reviewed: { icon: '$(pass-filled)', text: 'Reviewed', what: 'accepted by a person' },
};

export function registerReviewCommands(context: vscode.ExtensionContext, provider: MaskEditorProvider, log: vscode.OutputChannel): void {
  const item = vscode.window.createStatusBarItem('maskwright.reviewStatus', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Maskwright Review Status';
  item.command = 'maskwright.toggleReviewed';
  context.subscriptions.push(item);

  const update = (): void => {
    const doc = provider.activeDocument() as MaskDocument | undefined;
    if (!doc || doc.loadError) { item.hide(); return; }
    const s = doc.status;
    const look = LOOK[s.status];
    item.text = `${look.icon} ${look.text}${doc.isDirty ? ' \u2022' : ''}`;
    const lines = [`${path.basename(doc.imagePath)}: ${look.what}${doc.isDirty ? ' (unsaved changes: recorded when you save)' : ''}.`];
    if (s.status === 'reviewed') lines.push(`Reviewed${s.reviewedBy ? ` by ${s.reviewedBy}` : ''}${s.reviewedAt && s.reviewedAt !== 'unknown' ? ` on ${s.reviewedAt}` : ''}.`);
    lines.push(s.status === 'reviewed' ? 'Click to mark as not reviewed.' : 'Click to mark as reviewed (Ctrl+Alt+R); automatic tools never replace reviewed or edited masks.');
    item.tooltip = lines.join('\n');
    item.show();
  };
  context.subscriptions.push(provider.onDidChangeState(update), vscode.window.tabGroups.onDidChangeTabs(update));
  update();

  const reg = (id: string, fn: () => Promise<unknown>): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, guarded(id, log, fn)));
  };
  const active = (): MaskDocument => {
    const doc = provider.activeDocument() as MaskDocument | undefined;
    if (!doc) throw new Error('no image is open in the mask editor');
    return doc;
  };
  reg('maskwright.toggleReviewed', async () => { const d = active(); d.setReviewed(d.status.status !== 'reviewed'); });
  reg('maskwright.markReviewed', async () => active().setReviewed(true));
  reg('maskwright.markNotReviewed', async () => active().setReviewed(false));
}
