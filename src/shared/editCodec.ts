// Binary serialization of edit lists, for hot-exit backups and for tests.
// Layout: "MWE1" | u32 LE header length | UTF-8 JSON header | raw patch bytes (each 2-byte aligned).
import type { Layer, MaskEdit, MetaChange, Patch } from './maskModel';

const MAGIC = 0x3145574d; // "MWE1" little endian

/** bits: 16 for a semantic patch of 16-bit ids (absent: 8-bit; instance patches are always 16-bit). */
interface PatchHeader { layer: Layer; x: number; y: number; w: number; h: number; before: number; after: number; bits?: 16 }
interface EditHeader { label: string; patches: PatchHeader[]; meta?: MetaChange[] }
interface Header { edits: EditHeader[]; extra?: unknown }

export function encodeEdits(edits: readonly MaskEdit[], extra?: unknown): Uint8Array {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const push = (a: Uint8Array | Uint16Array): number => {
    const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const at = offset;
    chunks.push(bytes);
    offset += bytes.length;
    if (offset & 1) { chunks.push(new Uint8Array(1)); offset++; }
    return at;
  };
  const header: Header = {
    edits: edits.map((e) => ({
      label: e.label,
      meta: e.meta ? [...e.meta] : undefined,
      patches: e.patches.map((p) => ({
        layer: p.layer, x: p.x, y: p.y, w: p.w, h: p.h, before: push(p.before), after: push(p.after),
        ...(p.layer === 'semantic' && p.before instanceof Uint16Array ? { bits: 16 as const } : {}),
      })),
    })),
    extra,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const pad = (8 + json.length) & 1;
  const out = new Uint8Array(8 + json.length + pad + offset);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, json.length + pad, true);
  out.set(json, 8);
  if (pad) out[8 + json.length] = 0x20; // JSON whitespace keeps the body 2-byte aligned
  let at = 8 + json.length + pad;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

export function decodeEdits(data: Uint8Array): { edits: MaskEdit[]; extra?: unknown } {
  if (data.length < 8) throw new Error('edit data is truncated');
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (dv.getUint32(0, true) !== MAGIC) throw new Error('edit data has an unknown format');
  const hlen = dv.getUint32(4, true);
  if (8 + hlen > data.length) throw new Error('edit data header is truncated');
  const header = JSON.parse(new TextDecoder().decode(data.subarray(8, 8 + hlen))) as Header;
  const body = data.slice(8 + hlen); // copy: aligned, detached from the caller's buffer
  const take = (p: PatchHeader, at: number, n: number): Uint8Array | Uint16Array => {
    const wide = p.layer !== 'semantic' || p.bits === 16;
    const bytes = wide ? n * 2 : n;
    if (at < 0 || at + bytes > body.length) throw new Error('edit data body is truncated');
    return wide ? new Uint16Array(body.buffer, body.byteOffset + at, n) : body.subarray(at, at + n);
  };
  const edits = header.edits.map((e): MaskEdit => ({
    label: e.label,
    meta: e.meta,
    patches: e.patches.map((p): Patch => ({
      layer: p.layer, x: p.x, y: p.y, w: p.w, h: p.h,
      before: take(p, p.before, p.w * p.h),
      after: take(p, p.after, p.w * p.h),
    })),
  }));
  return { edits, extra: header.extra };
}
