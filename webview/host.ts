// The webview's side of the protocol: the VS Code API handle, typed posting, request ids and
// their replies, and the persisted view state (zoom/pan survive a hidden/restored panel).
import type { HostToWebview, WebviewToHostWire } from '../src/shared/protocol';

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api: VsCodeApi = acquireVsCodeApi();
let nextId = 1;
const pending = new Map<number, (r: { ok: boolean; error?: string; result?: unknown }) => void>();

export function post(msg: WebviewToHostWire, transfer?: Transferable[]): void {
  // VS Code's postMessage has no transfer list; typed arrays are structured-cloned.
  void transfer;
  api.postMessage(msg);
}

export function newId(): number {
  return nextId++;
}

/** Resolves with the host's reply to the request carrying `id`. */
export function awaitReply(id: number): Promise<{ ok: boolean; error?: string; result?: unknown }> {
  return new Promise((resolve) => pending.set(id, resolve));
}

/** Routes 'reply' messages to their waiters; returns true when the message was a reply. */
export function handleReply(msg: HostToWebview): boolean {
  if (msg.type !== 'reply') return false;
  const w = pending.get(msg.id);
  if (w) {
    pending.delete(msg.id);
    w({ ok: msg.ok, error: msg.error, result: msg.result });
  }
  return true;
}

export interface SavedView {
  readonly file: string;
  readonly scale: number;
  readonly tx: number;
  readonly ty: number;
}

export function loadView(): SavedView | null {
  const s = api.getState() as Partial<SavedView> | undefined;
  if (!s || typeof s.file !== 'string' || typeof s.scale !== 'number' || typeof s.tx !== 'number' || typeof s.ty !== 'number') return null;
  return { file: s.file, scale: s.scale, tx: s.tx, ty: s.ty };
}

export function saveView(v: SavedView): void {
  api.setState(v);
}

export function log(level: 'info' | 'warn' | 'error', message: string): void {
  post({ type: 'log', level, message });
}
