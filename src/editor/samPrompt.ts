// A promptable-model (SAM family) prompt from the editor: the model is picked from the settings and
// the dataset config; the embedding is cached per image path + mtime, the decoder runs per prompt.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { decodeImage } from '../io/image';
import { allModels } from '../inference/manifest';
import { pickPromptModel, runSamPrompt } from '../inference/promptSession';
import { parseDevice } from '../inference/providers';
import type { SamPromptRequest, SamPromptResult } from '../shared/protocol';
import type { MaskDocument } from './maskDocument';

/** The promptable model the editor's Segment anything tool would use now, or null when none is set. */
export function currentPromptModel(doc: MaskDocument): string | null {
  const c = vscode.workspace.getConfiguration('maskwright', doc.uri);
  const base = vscode.workspace.getWorkspaceFolder(doc.uri)?.uri.fsPath ?? path.dirname(doc.imagePath);
  try {
    const { models } = allModels(c.get<unknown[]>('models', []), base, vscode.workspace.isTrusted);
    return pickPromptModel(models, c.get<string>('promptModel', '') || undefined, doc.config.models.map((m) => m.id)).entry.id;
  } catch {
    return null;
  }
}

export async function samPrompt(doc: MaskDocument, prompt: SamPromptRequest, signal: AbortSignal, log: vscode.OutputChannel): Promise<SamPromptResult> {
  const c = vscode.workspace.getConfiguration('maskwright', doc.uri);
  const base = vscode.workspace.getWorkspaceFolder(doc.uri)?.uri.fsPath ?? path.dirname(doc.imagePath);
  // As src/commands/inference.ts: user models (executable input to onnxruntime) only in a trusted workspace.
  const { models, problems } = allModels(c.get<unknown[]>('models', []), base, vscode.workspace.isTrusted);
  for (const m of problems) log.appendLine(`[models] ${m}`);
  const model = pickPromptModel(models, c.get<string>('promptModel', '') || undefined, doc.config.models.map((m) => m.id));
  const t = c.get<number>('threads', 0);
  const mtime = (await fs.promises.stat(doc.imagePath)).mtimeMs;
  const target = { key: `${doc.imagePath}@${mtime}`, image: async () => { const d = await decodeImage(doc.imagePath, { channels: 3 }); return { width: d.width, height: d.height, data: d.data }; } };
  return runSamPrompt(model, target, doc.maps.width, doc.maps.height, prompt, { device: parseDevice(c.get<string>('executionProvider', 'auto')), threads: t > 0 ? t : undefined }, signal);
}
