// Label-map PNGs on Node: our pure codec (src/algorithms/codecs) with node:zlib injected.
// Reads give the stored samples exactly (palette indices, 16-bit ids), which sharp cannot.
import { promises as fsp } from 'node:fs';
import * as zlib from 'node:zlib';
import { PngFormatError } from '../algorithms/codecs/pngChunks';
import { decodePng, readPngHeader, type DecodedPng, type PngHeader } from '../algorithms/codecs/pngDecode';
import { encodePng, encodePngAsync, type PngEncodeInput } from '../algorithms/codecs/pngEncode';
import { MAX_PIXELS, checkSize } from '../shared/maskModel';

/**
 * zlib settings for label maps: level 1 with the run-length strategy. Label maps are long runs;
 * at 4096x4096 this was faster and smaller than level 1's default strategy on filtered rows.
 */
export const LABEL_ZLIB_LEVEL = 1;
const LABEL_ZLIB: zlib.ZlibOptions = { level: LABEL_ZLIB_LEVEL, memLevel: 9, strategy: zlib.constants.Z_RLE };

export function inflateBounded(data: Uint8Array, maxOutputLength: number): Uint8Array {
  // finishFlush: a stream cut short yields what it has; the decoder then reports it as truncated.
  // chunkSize: the expected size in one buffer (up to 256 MiB), not 16 KiB pieces concatenated after.
  const chunkSize = Math.max(zlib.constants.Z_MIN_CHUNK, Math.min(maxOutputLength, 256 << 20));
  return zlib.inflateSync(data, { maxOutputLength, chunkSize, finishFlush: zlib.constants.Z_SYNC_FLUSH });
}

export function deflateLabel(data: Uint8Array): Uint8Array {
  return zlib.deflateSync(data, LABEL_ZLIB);
}

/**
 * deflateLabel of the concatenated chunks through a zlib stream: compression runs in libuv's
 * thread pool while the next chunk is taken (its rows filtered), and two maps compress at once.
 */
export async function deflateLabelChunks(chunks: Iterable<Uint8Array>): Promise<Uint8Array> {
  const z = zlib.createDeflate({ ...LABEL_ZLIB, chunkSize: 256 * 1024 });
  const out: Buffer[] = [];
  z.on('data', (b: Buffer) => out.push(b));
  const ended = new Promise<void>((resolve, reject) => { z.on('end', resolve); z.on('error', reject); });
  ended.catch(() => undefined);
  try {
    let drained: Promise<void> | undefined;
    for (const chunk of chunks) {
      // The chunk was filtered while the previous one compressed; wait for that one, then hand this over.
      if (drained) await Promise.race([drained, ended]);
      drained = z.write(chunk) ? undefined : new Promise<void>((resolve) => z.once('drain', resolve));
    }
    z.end();
    await ended;
  } catch (e) {
    z.destroy();
    throw e;
  }
  return Buffer.concat(out);
}

/** tEXt chunks (keyword, text) to write before the image data. */
export type PngText = ReadonlyArray<readonly [string, string]>;

export class LabelPngError extends Error {
  override name = 'LabelPngError';
  constructor(readonly file: string, readonly reason: string) {
    super(`${file}: ${reason}`);
  }
}

/** Header of a PNG file (reads the first 33 bytes only). */
export async function readLabelPngHeader(file: string): Promise<PngHeader> {
  const fh = await fsp.open(file, 'r');
  try {
    const buf = new Uint8Array(33);
    const { bytesRead } = await fh.read(buf, 0, 33, 0);
    return readPngHeader(buf.subarray(0, bytesRead));
  } catch (e) {
    throw new LabelPngError(file, (e as Error).message);
  } finally {
    await fh.close();
  }
}

/**
 * Decodes a PNG file to its stored samples. The header is checked against MAX_PIXELS/MAX_SIDE
 * (or `maxPixels`) before anything is inflated. Throws LabelPngError naming file and reason.
 */
export async function readLabelPng(file: string, maxPixels = MAX_PIXELS): Promise<DecodedPng> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await fsp.readFile(file));
  } catch (e) {
    throw new LabelPngError(file, (e as Error).message);
  }
  return decodeLabelPngBytes(bytes, file, maxPixels);
}

export function decodeLabelPngBytes(bytes: Uint8Array, file: string, maxPixels = MAX_PIXELS): DecodedPng {
  try {
    const h = readPngHeader(bytes);
    checkSize(h.width, h.height);
    return decodePng(bytes, inflateBounded, { maxPixels });
  } catch (e) {
    if (e instanceof PngFormatError || e instanceof RangeError) throw new LabelPngError(file, e.message);
    throw new LabelPngError(file, `PNG decode failed (${(e as Error).message})`);
  }
}

const indexed = (width: number, height: number, ids: Uint8Array, palette: Uint8Array, text?: PngText): PngEncodeInput =>
  ({ width, height, colorType: 3, bitDepth: 8, data: ids, palette, filter: 'none', text });
// Up: rows of a label map mostly repeat the row above (zero bytes, long runs for Z_RLE).
const gray16 = (width: number, height: number, ids: Uint16Array, text?: PngText): PngEncodeInput =>
  ({ width, height, colorType: 0, bitDepth: 16, data: ids, filter: 'up', text });

/** 8-bit indexed PNG (colour type 3) of class ids with the given 256-entry RGB palette. */
export function encodeIndexedPng(width: number, height: number, ids: Uint8Array, palette: Uint8Array, text?: PngText): Uint8Array {
  return encodePng(indexed(width, height, ids, palette, text), deflateLabel);
}

/** encodeIndexedPng, compressed in the thread pool as its rows are filtered (same bytes). */
export function encodeIndexedPngAsync(width: number, height: number, ids: Uint8Array, palette: Uint8Array, text?: PngText): Promise<Uint8Array> {
  return encodePngAsync(indexed(width, height, ids, palette, text), deflateLabelChunks);
}

/** 16-bit grayscale PNG of instance ids. */
export function encodeGray16Png(width: number, height: number, ids: Uint16Array, text?: PngText): Uint8Array {
  return encodePng(gray16(width, height, ids, text), deflateLabel);
}

/** encodeGray16Png, compressed in the thread pool as its rows are filtered (same bytes). */
export function encodeGray16PngAsync(width: number, height: number, ids: Uint16Array, text?: PngText): Promise<Uint8Array> {
  return encodePngAsync(gray16(width, height, ids, text), deflateLabelChunks);
}

/** 8-bit grayscale PNG (exports such as Cityscapes labelIds). */
export function encodeGray8Png(width: number, height: number, ids: Uint8Array, text?: PngText): Uint8Array {
  return encodePng({ width, height, colorType: 0, bitDepth: 8, data: ids, filter: 'none', text }, deflateLabel);
}
