// Test instrumentation of the editor host: the messages posted to a document's panels and the timing
// marks its webviews report, for the integration tests and the editor benchmark. Off unless the
// extension runs its tests (ExtensionMode.Test) or MASKWRIGHT_TEST_PROBE=1. When on, it stays small:
// the last SENT_LIMIT messages and MARK_LIMIT marks per open document, pixel payloads replaced by
// their type and length, and a document's records are dropped when it closes.
import type { HostToWebview } from '../shared/protocol';

export const SENT_LIMIT = 200;
export const MARK_LIMIT = 2000;
/** Typed arrays up to this many bytes are kept (copied); larger ones become a PayloadSummary. */
const KEEP_BYTES = 4096;

/** What the probe keeps of a typed array over KEEP_BYTES: its type and element count. */
export interface PayloadSummary { readonly omitted: string; readonly length: number }

export type RecordedMessage = HostToWebview;

export class TestProbe {
  private readonly sent = new Map<string, RecordedMessage[]>();
  private readonly marks = new Map<string, Array<{ name: string; ms: number }>>();

  constructor(readonly enabled: boolean) {}

  recordSent(key: string, msg: HostToWebview): void {
    if (!this.enabled) return;
    push(this.sent, key, summarize(msg, 0) as RecordedMessage, SENT_LIMIT);
  }

  recordMark(key: string, name: string, ms: number): void {
    if (!this.enabled) return;
    push(this.marks, key, { name, ms }, MARK_LIMIT);
  }

  sentTo(key: string): readonly RecordedMessage[] {
    return this.sent.get(key) ?? [];
  }

  marksOf(key: string): ReadonlyArray<{ name: string; ms: number }> {
    return this.marks.get(key) ?? [];
  }

  /** Forgets a closed document. */
  drop(key: string): void {
    this.sent.delete(key);
    this.marks.delete(key);
  }

  /** Documents with records (for tests of the probe itself). */
  keys(): string[] {
    return [...new Set([...this.sent.keys(), ...this.marks.keys()])];
  }
}

function push<T>(map: Map<string, T[]>, key: string, item: T, limit: number): void {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  list.push(item);
  if (list.length > limit) list.splice(0, list.length - limit);
}

/**
 * A copy of a message without its pixels: typed arrays over KEEP_BYTES become a PayloadSummary,
 * smaller ones are copied (so no view keeps a large buffer alive); plain objects and arrays are copied.
 */
export function summarize(v: unknown, depth: number): unknown {
  if (ArrayBuffer.isView(v)) {
    const ctor = (v as { constructor: { name: string } }).constructor.name;
    const length = (v as unknown as { length?: number }).length ?? v.byteLength;
    if (v.byteLength > KEEP_BYTES) return { omitted: ctor, length } satisfies PayloadSummary;
    return (v as unknown as { slice(): unknown }).slice();
  }
  if (v instanceof ArrayBuffer) return v.byteLength > KEEP_BYTES ? { omitted: 'ArrayBuffer', length: v.byteLength } : v.slice(0);
  if (v === null || typeof v !== 'object' || depth > 8) return v;
  if (Array.isArray(v)) return v.map((x) => summarize(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = summarize(x, depth + 1);
  return out;
}
