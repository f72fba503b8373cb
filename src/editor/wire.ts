// Label data on the wire: maps and comparisons packed for the webview (zlib streams, level 1,
// instead of raw typed arrays), hot-exit backups deflated, and the webview's packed patches inflated before validation.
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { MAX_PIXELS, type LabelMaps } from '../shared/maskModel';
import type { CompareLayer, WireCompareLayer, WireMaps } from '../shared/protocol';

const deflate = promisify(zlib.deflate);
const inflate = promisify(zlib.inflate);

/** Pixels an edit may carry before it travels as packed maps instead (a pre-label, a whole-image tool). */
export const LARGE_EDIT_PIXELS = 1 << 20;

/** "MWZ1": a backup whose edit list is deflated (level 1); label patches shrink by orders of magnitude. */
const ZMAGIC = [0x4d, 0x57, 0x5a, 0x31];

export async function packBackup(encoded: Uint8Array): Promise<Uint8Array> {
  const z = await deflate(encoded, { level: 1 });
  const out = new Uint8Array(4 + z.length);
  out.set(ZMAGIC, 0);
  out.set(z, 4);
  return out;
}

/** The encoded edit list of a backup, packed or (from earlier versions) not. */
export async function unpackBackup(data: Uint8Array): Promise<Uint8Array> {
  if (data.length < 4 || !ZMAGIC.every((b, i) => data[i] === b)) return data;
  return new Uint8Array(await inflate(data.subarray(4)));
}

/** The bytes of a typed array, without a copy (16-bit ids in the host's order: little-endian). */
function bytesOf(a: Uint8Array | Uint16Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * packMaps, synchronously: a snapshot of the maps as they are now, so a message built from it
 * keeps its place among the edits posted around it.
 */
export function packMapsSync(maps: LabelMaps): WireMaps {
  const inst = maps.instances;
  const semanticBits = maps.semantic instanceof Uint16Array ? 16 : 8;
  const semantic = zlib.deflateSync(bytesOf(maps.semantic), { level: 1 });
  const instances = zlib.deflateSync(new Uint8Array(inst.buffer, inst.byteOffset, inst.byteLength), { level: 1 });
  return { packed: 'deflate', semanticBits, semantic: new Uint8Array(semantic), instances: new Uint8Array(instances) };
}

export async function packMaps(maps: LabelMaps): Promise<WireMaps> {
  const inst = maps.instances;
  const [semantic, instances] = await Promise.all([
    deflate(bytesOf(maps.semantic), { level: 1 }),
    deflate(new Uint8Array(inst.buffer, inst.byteOffset, inst.byteLength), { level: 1 }),
  ]);
  // Copies: exact-size arrays, so nothing beyond them travels with the message.
  return { packed: 'deflate', semanticBits: maps.semantic instanceof Uint16Array ? 16 : 8, semantic: new Uint8Array(semantic), instances: new Uint8Array(instances) };
}

/** A comparison for the webview, its other version's map deflated. */
export async function packCompare(layer: CompareLayer): Promise<WireCompareLayer> {
  const data = new Uint8Array(await deflate(bytesOf(layer.before), { level: 1 }));
  return { ...layer, before: { packed: 'deflate', bits: layer.before instanceof Uint16Array ? 16 : 8, data } };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isDim = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 1 << 16;

/** A packed patch (PackedPatch in the protocol) inflated into before/after arrays; throws naming the patch. */
function unpackPatch(p: Record<string, unknown>, index: number): Record<string, unknown> {
  const what = `patch ${index}`;
  if (p.packed !== 'deflate' || (p.bits !== 8 && p.bits !== 16) || !(p.data instanceof Uint8Array)) throw new Error(`${what}: not a packed patch`);
  if (![p.x, p.y, p.w, p.h].every(isDim)) throw new Error(`${what}: bad rectangle`);
  const n = (p.w as number) * (p.h as number);
  if (n > MAX_PIXELS) throw new Error(`${what}: ${n} pixels is more than an image can have`);
  const half = n * (p.bits === 16 ? 2 : 1);
  let raw: Buffer;
  // Bounded: a stream that inflates past what the rectangle promises is refused, not allocated.
  try { raw = zlib.inflateSync(p.data, { maxOutputLength: Math.max(1, 2 * half) }); } catch (e) {
    throw new Error(`${what}: the packed data does not inflate to ${2 * half} bytes (${(e as Error).message})`);
  }
  if (raw.length !== 2 * half) throw new Error(`${what}: ${raw.length} bytes after inflating, expected ${2 * half}`);
  // Copies into fresh buffers: aligned for 16-bit views, and nothing of zlib's buffer kept.
  const part = (off: number): Uint8Array | Uint16Array => {
    const bytes = new Uint8Array(raw.subarray(off, off + half));
    return p.bits === 16 ? new Uint16Array(bytes.buffer, 0, n) : bytes;
  };
  return { layer: p.layer, x: p.x, y: p.y, w: p.w, h: p.h, before: part(0), after: part(half) };
}

/**
 * A message from the webview with an edit's packed patches inflated, ready for parseWebviewMessage
 * (which checks everything else, as for any message); other messages are returned as they are.
 * Throws, naming the patch, when a packed patch is malformed or inflates to the wrong size.
 */
export function unpackWebviewMessage(raw: unknown): unknown {
  if (!isObj(raw) || raw.type !== 'edit' || !isObj(raw.edit) || !Array.isArray(raw.edit.patches)) return raw;
  const patches: unknown[] = raw.edit.patches;
  if (!patches.some((p) => isObj(p) && p.packed !== undefined)) return raw;
  if (patches.length > 4096) throw new Error(`an edit of ${patches.length} patches`);
  return { ...raw, edit: { ...raw.edit, patches: patches.map((p, i) => (isObj(p) && p.packed !== undefined ? unpackPatch(p, i) : p)) } };
}
