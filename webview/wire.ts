// Label data on the wire, with the browser's native zlib streams: maps and comparisons from the host
// (raw typed arrays pass through, packed: 'deflate' ones are inflated) and the large patches of the edits
// posted to the host (deflated, PackedPatch).
import type { MaskEdit, Patch, SemanticIds } from '../src/shared/maskModel';
import { PACK_PATCH_PIXELS, type CompareLayer, type PackedPatch, type WireCompareLayer, type WireEdit, type WireMaps } from '../src/shared/protocol';

async function inflate(data: Uint8Array, expected: number, what: string): Promise<Uint8Array> {
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate'));
  const out = new Uint8Array(await new Response(stream).arrayBuffer());
  if (out.length !== expected) throw new Error(`${what}: ${out.length} bytes after inflating, expected ${expected}`);
  return out;
}

/**
 * The maps of a message, checked against the image size and the dataset's semantic depth
 * (`semanticBits` of the editor's config): a map of the other type is an error, never converted.
 */
export async function unpackMaps(m: WireMaps, width: number, height: number, semanticBits: 8 | 16): Promise<{ semantic: SemanticIds; instances: Uint16Array }> {
  const n = width * height;
  if (m.packed !== 'deflate') {
    if (m.semantic.length !== n || m.instances.length !== n) throw new Error(`label maps of ${m.semantic.length}/${m.instances.length} values for a ${width}x${height} image`);
    if ((m.semantic instanceof Uint16Array ? 16 : 8) !== semanticBits) throw new Error(`the semantic map is not ${semanticBits}-bit, as the dataset config says`);
    return { semantic: m.semantic, instances: m.instances };
  }
  if (m.semanticBits !== semanticBits) throw new Error(`the semantic map is ${String(m.semanticBits)}-bit, but the dataset config says ${semanticBits}-bit`);
  const sb = semanticBits === 16 ? 2 : 1;
  const [sem, inst] = await Promise.all([inflate(m.semantic, n * sb, 'semantic map'), inflate(m.instances, n * 2, 'instance map')]);
  const semantic = sb === 2 ? new Uint16Array(sem.buffer, sem.byteOffset, n) : sem;
  return { semantic, instances: new Uint16Array(inst.buffer, inst.byteOffset, n) };
}

/** A comparison's other version inflated, checked against the image size and the dataset's depth. */
export async function unpackCompare(c: WireCompareLayer, width: number, height: number, semanticBits: 8 | 16): Promise<CompareLayer> {
  const b = c.before as Partial<WireCompareLayer['before']> | null;
  if (!b || b.packed !== 'deflate' || !(b.data instanceof Uint8Array)) throw new Error('its map is not a packed map');
  if (b.bits !== semanticBits) throw new Error(`its map is ${String(b.bits)}-bit, but the dataset config says ${semanticBits}-bit`);
  const n = width * height;
  const bytes = await inflate(b.data, n * (semanticBits === 16 ? 2 : 1), 'its map');
  const before = semanticBits === 16 ? new Uint16Array(bytes.buffer, bytes.byteOffset, n) : bytes;
  return { ...c, before };
}

const bytesOf = (a: Uint8Array | Uint16Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

async function packPatch(p: Patch): Promise<PackedPatch> {
  // before then after, one stream; 16-bit values in the platform's order (little-endian, as the host's).
  const stream = new Blob([bytesOf(p.before) as BlobPart, bytesOf(p.after) as BlobPart]).stream().pipeThrough(new CompressionStream('deflate'));
  const data = new Uint8Array(await new Response(stream).arrayBuffer());
  return { layer: p.layer, x: p.x, y: p.y, w: p.w, h: p.h, packed: 'deflate', bits: p.after instanceof Uint16Array ? 16 : 8, data };
}

/** True when packEdit deflates some patch of the edit (it is posted later, not at once). */
export function packsLater(edit: MaskEdit): boolean {
  return edit.patches.some((p) => p.w * p.h >= PACK_PATCH_PIXELS);
}

/** The edit as it is posted: patches of PACK_PATCH_PIXELS or more deflated, the rest as they are. */
export async function packEdit(edit: MaskEdit): Promise<WireEdit> {
  if (!packsLater(edit)) return edit;
  const patches = await Promise.all(edit.patches.map((p) => (p.w * p.h >= PACK_PATCH_PIXELS ? packPatch(p) : p)));
  return { ...edit, patches };
}
