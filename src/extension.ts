// activate(): register the editor provider and the commands; nothing else.
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

export function activate(context: vscode.ExtensionContext): MaskwrightApi {
  const log = vscode.window.createOutputChannel('Maskwright');
  context.subscriptions.push(log);
  const provider = MaskEditorProvider.register(context, log);
  registerEditorCommands(context, provider, log);
  registerClassicalCommands(context, provider, log);
  registerInferenceCommands(context, provider);
  registerReviewCommands(context, provider, log);
  registerCompareCommands(context, provider, log);
  registerReviewQueue(context, provider, log);
  registerOverview(context, provider, log);
  registerValidateCommands(context, provider, log);
  registerInterchangeCommands(context, log);
  return provider;
}

export function deactivate(): void {
  // everything is disposed through context.subscriptions
}
