// activate(): register the editor provider and the commands, and reopen images that opened in the
// text editor while the workbench was starting (firstOpen.ts); nothing else.
import * as vscode from 'vscode';
import { registerClassicalCommands } from './commands/classicalCommands';
import { registerCompareCommands } from './commands/compare';
import { registerOverview } from './commands/overview';
import { registerReviewQueue } from './commands/reviewQueue';
import { registerEditorCommands } from './commands/editorCommands';
import { registerInferenceCommands } from './commands/inference';
import { registerInterchangeCommands } from './commands/interchange';
import { registerReviewCommands } from './commands/reviewCommands';
import { registerValidateCommands } from './commands/validateCommands';
import type { MaskwrightApi } from './editor/api';
import { MaskEditorProvider } from './editor/maskEditorProvider';
import { watchFirstOpen } from './editor/firstOpen';

export function activate(context: vscode.ExtensionContext): MaskwrightApi {
  const log = vscode.window.createOutputChannel('Maskwright');
  context.subscriptions.push(log);
  // The editor provider first and on its own: an image being opened waits for it, and a failure
  // further down must not leave VS Code without it (its tab would fall back to the text editor).
  const provider = MaskEditorProvider.register(context, log);
  const groups: Array<[string, () => void]> = [
    ['editor commands', () => registerEditorCommands(context, provider, log)],
    ['classical tools', () => registerClassicalCommands(context, provider, log)],
    ['models', () => registerInferenceCommands(context, provider)],
    ['review', () => registerReviewCommands(context, provider, log)],
    ['compare', () => registerCompareCommands(context, provider, log)],
    ['review queue', () => registerReviewQueue(context, provider, log)],
    ['dataset overview', () => registerOverview(context, provider, log)],
    ['validation', () => registerValidateCommands(context, provider, log)],
    ['import/export', () => registerInterchangeCommands(context, log)],
  ];
  for (const [name, register] of groups) {
    try { register(); } catch (e) {
      log.appendLine(`activation: the ${name} could not be registered: ${(e as Error).stack ?? String(e)}`);
      void vscode.window.showErrorMessage(`Maskwright: the ${name} could not be started (${(e as Error).message}); the mask editor works. See the Maskwright output.`);
    }
  }
  watchFirstOpen(context, log);
  return provider;
}

export function deactivate(): void {
  // everything is disposed through context.subscriptions
}
