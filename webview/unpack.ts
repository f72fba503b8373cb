// Label maps from the wire: raw typed arrays pass through; zlib streams (packed: 'deflate') are
// inflated with the browser's native DecompressionStream.
import type { WireMaps } from '../src/shared/protocol';

async function inflate(data: Uint8Array, expected: number, what: string): Promise<Uint8Array> {
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate'));
  const out = new Uint8Array(await new Response(stream).arrayBuffer());
  if (out.length !== expected) throw new Error(`${what}: ${out.length} bytes after inflating, expected ${expected}`);
  return out;
}

export async function unpackMaps(m: WireMaps, width: number, height: number): Promise<{ semantic: Uint8Array; instances: Uint16Array }> {
  const n = width * height;
  if (m.packed !== 'deflate') {
    if (m.semantic.length !== n || m.instances.length !== n) throw new Error(`label maps of ${m.semantic.length}/${m.instances.length} values for a ${width}x${height} image`);
    return { semantic: m.semantic, instances: m.instances };
  }
  const [semantic, inst] = await Promise.all([inflate(m.semantic, n, 'semantic map'), inflate(m.instances, n * 2, 'instance map')]);
  return { semantic, instances: new Uint16Array(inst.buffer, inst.byteOffset, n) };
}
