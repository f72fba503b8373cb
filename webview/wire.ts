// Label maps from the wire: raw typed arrays pass through; zlib streams (packed: 'deflate') are
// inflated with the browser's native DecompressionStream.
import type { SemanticIds } from '../src/shared/maskModel';
import type { WireMaps } from '../src/shared/protocol';

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
