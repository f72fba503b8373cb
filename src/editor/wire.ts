// Packs label maps for the webview: zlib streams (level 1) instead of raw typed arrays.
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import type { LabelMaps } from '../shared/maskModel';
import type { WireMaps } from '../shared/protocol';

const deflate = promisify(zlib.deflate);

export async function packMaps(maps: LabelMaps): Promise<WireMaps> {
  const inst = maps.instances;
  const [semantic, instances] = await Promise.all([
    deflate(maps.semantic, { level: 1 }),
    deflate(new Uint8Array(inst.buffer, inst.byteOffset, inst.byteLength), { level: 1 }),
  ]);
  // Copies: exact-size arrays, so nothing beyond them travels with the message.
  return { packed: 'deflate', semantic: new Uint8Array(semantic), instances: new Uint8Array(instances) };
}
