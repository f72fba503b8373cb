// Packs label maps for the webview: zlib streams (level 1) instead of raw typed arrays.
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import type { LabelMaps } from '../shared/maskModel';
import type { WireMaps } from '../shared/protocol';

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

/**
 * packMaps, synchronously: a snapshot of the maps as they are now, so a message built from it
 * keeps its place among the edits posted around it.
 */
/** The bytes of a typed array, without a copy (16-bit ids in the host's order: little-endian). */
function bytesOf(a: Uint8Array | Uint16Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

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
