// PNG container helpers shared by the pure encoder and decoder: signature, CRC-32, chunk framing.
// Pure: no node or DOM imports.

export const PNG_SIGNATURE = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]);

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (ISO 3309, as PNG uses it) of bytes[start, end). */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length, seed = 0): number {
  let c = (seed ^ 0xffffffff) >>> 0;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface PngChunk {
  /** Four ASCII letters, e.g. "IHDR". */
  readonly type: string;
  /** The chunk's data (a view into the file bytes). */
  readonly data: Uint8Array;
}

/** Thrown for any malformed or unsupported PNG; the message says what is wrong. */
export class PngFormatError extends Error {
  override name = 'PngFormatError';
}

export function hasPngSignature(bytes: Uint8Array): boolean {
  if (bytes.length < 8) return false;
  for (let i = 0; i < 8; i++) if (bytes[i] !== PNG_SIGNATURE[i]) return false;
  return true;
}

/**
 * Splits a PNG file into chunks, checking the signature, lengths and every CRC. Stops after IEND.
 * A file that ends without IEND is accepted when `allowMissingEnd` (the caller decides whether
 * the data it has is complete).
 */
export function readChunks(bytes: Uint8Array, allowMissingEnd = true): PngChunk[] {
  if (!hasPngSignature(bytes)) throw new PngFormatError('not a PNG file (bad signature)');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: PngChunk[] = [];
  let at = 8;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) throw new PngFormatError(`truncated chunk header at byte ${at}`);
    const len = dv.getUint32(at);
    if (len > 0x7fffffff) throw new PngFormatError(`chunk length ${len} at byte ${at} is too large`);
    const type = String.fromCharCode(bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]);
    if (!/^[A-Za-z]{4}$/.test(type)) throw new PngFormatError(`invalid chunk type at byte ${at}`);
    const end = at + 8 + len;
    if (end + 4 > bytes.length) throw new PngFormatError(`chunk ${type} at byte ${at} is truncated`);
    const want = dv.getUint32(end);
    const got = crc32(bytes, at + 4, end);
    if (want !== got) throw new PngFormatError(`chunk ${type} at byte ${at} has a bad CRC`);
    chunks.push({ type, data: bytes.subarray(at + 8, end) });
    at = end + 4;
    if (type === 'IEND') return chunks;
  }
  if (!allowMissingEnd) throw new PngFormatError('missing IEND chunk');
  return chunks;
}

/** Frames one chunk (length, type, data, CRC) into `out` at `at`; returns the next offset. */
export function writeChunk(out: Uint8Array, at: number, type: string, data: Uint8Array): number {
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  dv.setUint32(at, data.length);
  for (let i = 0; i < 4; i++) out[at + 4 + i] = type.charCodeAt(i);
  out.set(data, at + 8);
  dv.setUint32(at + 8 + data.length, crc32(out, at + 4, at + 8 + data.length));
  return at + 12 + data.length;
}

/**
 * The tEXt chunks that precede the image data (keyword -> text), read without touching IDAT: a
 * cheap way to read a writer's metadata (e.g. Maskwright's generation id) from a large PNG.
 * Returns null when `bytes` is not a PNG; stops quietly at a truncated or corrupt chunk.
 */
export function readTextChunksBeforeData(bytes: Uint8Array): Map<string, string> | null {
  if (!hasPngSignature(bytes)) return null;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Map<string, string>();
  let at = 8;
  while (at + 12 <= bytes.length) {
    const len = dv.getUint32(at);
    const type = String.fromCharCode(bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]);
    if (type === 'IDAT' || type === 'IEND') break;
    const end = at + 8 + len;
    if (len > 0x7fffffff || end + 4 > bytes.length) break;
    if (type === 'tEXt' && dv.getUint32(end) === crc32(bytes, at + 4, end)) {
      const d = bytes.subarray(at + 8, end);
      const nul = d.indexOf(0);
      if (nul > 0) out.set(String.fromCharCode(...d.subarray(0, nul)), String.fromCharCode(...d.subarray(nul + 1)));
    }
    at = end + 4;
  }
  return out;
}
