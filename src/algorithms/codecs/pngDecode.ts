// A small, strict PNG decoder for label maps: it returns the stored samples exactly (palette
// indices, not colours; 16-bit values unscaled), which general image decoders do not.
// Pure: inflate is injected (on Node: zlib.inflateSync with maxOutputLength).
import { PngFormatError, readChunks } from './pngChunks';

/**
 * Decompresses a zlib stream. Must throw when the output would exceed `maxOutputLength` bytes,
 * so a small file cannot make the decoder allocate without bound.
 */
export type Inflate = (data: Uint8Array, maxOutputLength: number) => Uint8Array;

export type PngColorType = 0 | 2 | 3 | 4 | 6;

export interface PngHeader {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: 1 | 2 | 4 | 8 | 16;
  readonly colorType: PngColorType;
  readonly interlaced: boolean;
}

export interface DecodedPng {
  readonly header: PngHeader;
  /** Samples per pixel: 1 gray / palette index, 2 gray+alpha, 3 RGB, 4 RGBA. */
  readonly channels: 1 | 2 | 3 | 4;
  /**
   * Row-major interleaved samples, exactly as stored: one element per sample (bit depths below 8
   * unpacked, not rescaled). Uint16Array for 16-bit images, Uint8Array otherwise.
   */
  readonly data: Uint8Array | Uint16Array;
  /** PLTE as RGB triples (colour type 3; may also appear as a hint in 2/6), else null. */
  readonly palette: Uint8Array | null;
}

export interface DecodePngOptions {
  /** Refuse (before inflating) images with more pixels than this. Default 16384*16384. */
  readonly maxPixels?: number;
}

const CHANNELS: Record<PngColorType, 1 | 2 | 3 | 4> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const ALLOWED_DEPTHS: Record<PngColorType, readonly number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };
const COLOR_NAMES: Record<PngColorType, string> = { 0: 'gray', 2: 'rgb', 3: 'palette', 4: 'gray+alpha', 6: 'rgba' };

export function colorTypeName(t: PngColorType): string {
  return COLOR_NAMES[t];
}

/** Parses IHDR (the first chunk); validates every field. */
export function parseIhdr(data: Uint8Array): PngHeader {
  if (data.length !== 13) throw new PngFormatError(`IHDR has ${data.length} bytes, expected 13`);
  const dv = new DataView(data.buffer, data.byteOffset, 13);
  const width = dv.getUint32(0), height = dv.getUint32(4);
  const bitDepth = data[8], colorType = data[9];
  if (width < 1 || height < 1 || width > 0x7fffffff || height > 0x7fffffff) throw new PngFormatError(`invalid size ${width}x${height}`);
  if (!(colorType in CHANNELS)) throw new PngFormatError(`invalid colour type ${colorType}`);
  const ct = colorType as PngColorType;
  if (!ALLOWED_DEPTHS[ct].includes(bitDepth)) throw new PngFormatError(`bit depth ${bitDepth} is invalid for colour type ${colorType}`);
  if (data[10] !== 0) throw new PngFormatError(`unknown compression method ${data[10]}`);
  if (data[11] !== 0) throw new PngFormatError(`unknown filter method ${data[11]}`);
  if (data[12] > 1) throw new PngFormatError(`unknown interlace method ${data[12]}`);
  return { width, height, bitDepth: bitDepth as PngHeader['bitDepth'], colorType: ct, interlaced: data[12] === 1 };
}

/** Header only: checks the signature and the IHDR chunk's CRC; cheap. */
export function readPngHeader(bytes: Uint8Array): PngHeader {
  const chunks = readChunks(bytes.subarray(0, Math.min(bytes.length, 33)), true);
  if (chunks.length === 0 || chunks[0].type !== 'IHDR') throw new PngFormatError('the first chunk is not IHDR');
  return parseIhdr(chunks[0].data);
}

// Adam7 passes: x0, y0, dx, dy.
const ADAM7 = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]] as const;

interface Pass { x0: number; y0: number; dx: number; dy: number; w: number; h: number }

function passesOf(h: PngHeader): Pass[] {
  if (!h.interlaced) return [{ x0: 0, y0: 0, dx: 1, dy: 1, w: h.width, h: h.height }];
  return ADAM7.map(([x0, y0, dx, dy]) => ({
    x0, y0, dx, dy,
    w: h.width > x0 ? Math.ceil((h.width - x0) / dx) : 0,
    h: h.height > y0 ? Math.ceil((h.height - y0) / dy) : 0,
  }));
}

/** Reverses the PNG filter of every row in place; `raw` holds h rows of (1 + rowBytes). */
function unfilter(raw: Uint8Array, offset: number, rowBytes: number, rows: number, bpp: number): void {
  const stride = rowBytes + 1;
  for (let r = 0; r < rows; r++) {
    const cur = offset + r * stride + 1;
    unfilterRow(raw, raw[cur - 1], cur, r > 0 ? cur - stride : -1, rowBytes, bpp, r);
  }
}

/** Reverses filter `f` of the row at `cur` of `buf`, whose previous (unfiltered) row is at `prev` (-1: none). */
function unfilterRow(buf: Uint8Array, f: number, cur: number, prev: number, rowBytes: number, bpp: number, r: number): void {
  switch (f) {
    case 0: break;
    case 1:
      for (let i = bpp; i < rowBytes; i++) buf[cur + i] = (buf[cur + i] + buf[cur + i - bpp]) & 255;
      break;
    case 2:
      if (prev >= 0) for (let i = 0; i < rowBytes; i++) buf[cur + i] = (buf[cur + i] + buf[prev + i]) & 255;
      break;
    case 3:
      for (let i = 0; i < rowBytes; i++) {
        const a = i >= bpp ? buf[cur + i - bpp] : 0;
        const b = prev >= 0 ? buf[prev + i] : 0;
        buf[cur + i] = (buf[cur + i] + ((a + b) >> 1)) & 255;
      }
      break;
    case 4:
      for (let i = 0; i < rowBytes; i++) {
        const a = i >= bpp ? buf[cur + i - bpp] : 0;
        const b = prev >= 0 ? buf[prev + i] : 0;
        const c = i >= bpp && prev >= 0 ? buf[prev + i - bpp] : 0;
        const p = a + b - c;
        const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        buf[cur + i] = (buf[cur + i] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 255;
      }
      break;
    default:
      throw new PngFormatError(`row ${r} has unknown filter type ${f}`);
  }
}

/** The platform stores the low byte of a Uint16 first (typed arrays use the platform's order). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Non-interlaced 8/16-bit images, the label maps' case: each row is copied into the output's bytes
 * and unfiltered there against the row above, already final. Up and 16-bit Sub add four (two)
 * bytes per operation in a Uint32 (Uint16) without carries between bytes. 16-bit samples, stored
 * big-endian, are swapped into the platform's order row by row, in the same pass for None, Up and
 * Sub (a bytewise sum commutes with swapping the bytes of each sample). Same samples as the general path.
 */
function decodeRows(raw: Uint8Array, rowBytes: number, rows: number, bpp: number, out: Uint8Array | Uint16Array): void {
  const bytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  const words = out.byteOffset % 4 === 0 ? new Uint32Array(out.buffer, out.byteOffset, out.byteLength >> 2) : null;
  const halves = out instanceof Uint16Array ? out : null;
  const swap = halves !== null && LITTLE_ENDIAN;
  const wordRows = words !== null && rowBytes % 4 === 0;
  const stride = rowBytes + 1;
  for (let r = 0; r < rows; r++) {
    const src = r * stride + 1, dst = r * rowBytes, f = raw[src - 1];
    bytes.set(raw.subarray(src, src + rowBytes), dst);
    if (f === 2 && r > 0 && wordRows) {
      const w0 = dst >> 2, n = rowBytes >> 2, up = w0 - n;
      for (let k = 0; k < n; k++) {
        const v = words![w0 + k], b = words![up + k];
        const a = swap ? ((v & 0x00ff00ff) << 8) | ((v >>> 8) & 0x00ff00ff) : v;
        words![w0 + k] = ((a & 0x7f7f7f7f) + (b & 0x7f7f7f7f)) ^ ((a ^ b) & 0x80808080);
      }
    } else if (f === 1 && bpp === 2 && halves) {
      const h0 = dst >> 1, n = rowBytes >> 1;
      let left = 0;
      for (let k = 0; k < n; k++) {
        const v = halves[h0 + k];
        const a = swap ? ((v & 255) << 8) | (v >> 8) : v;
        left = ((a & 0x7f7f) + (left & 0x7f7f)) ^ ((a ^ left) & 0x8080);
        halves[h0 + k] = left;
      }
    } else if (!swap) unfilterRow(bytes, f, dst, r > 0 ? dst - rowBytes : -1, rowBytes, bpp, r);
    else if (f === 0) swapRow(halves!, words, dst, rowBytes, wordRows);
    else {
      // Other filters of 16-bit rows read the row above as stored: big-endian for the while.
      if (r > 0) swapRow(halves!, words, dst - rowBytes, rowBytes, wordRows);
      unfilterRow(bytes, f, dst, r > 0 ? dst - rowBytes : -1, rowBytes, bpp, r);
      if (r > 0) swapRow(halves!, words, dst - rowBytes, rowBytes, wordRows);
      swapRow(halves!, words, dst, rowBytes, wordRows);
    }
  }
}

/** Swaps the two bytes of every 16-bit sample of the row at byte `dst` (two at a time when aligned). */
function swapRow(halves: Uint16Array, words: Uint32Array | null, dst: number, rowBytes: number, wordRows: boolean): void {
  if (wordRows && words) {
    for (let k = dst >> 2, end = (dst + rowBytes) >> 2; k < end; k++) { const v = words[k]; words[k] = ((v & 0x00ff00ff) << 8) | ((v >>> 8) & 0x00ff00ff); }
  } else {
    for (let k = dst >> 1, end = (dst + rowBytes) >> 1; k < end; k++) { const v = halves[k]; halves[k] = ((v & 255) << 8) | (v >> 8); }
  }
}

/**
 * Decodes a PNG to its stored samples. Throws PngFormatError naming the problem for a bad
 * signature, CRC, header, missing or truncated image data, or an image over `maxPixels`.
 */
export function decodePng(bytes: Uint8Array, inflate: Inflate, opts: DecodePngOptions = {}): DecodedPng {
  const maxPixels = opts.maxPixels ?? 16384 * 16384;
  const chunks = readChunks(bytes, true);
  if (chunks.length === 0 || chunks[0].type !== 'IHDR') throw new PngFormatError('the first chunk is not IHDR');
  const header = parseIhdr(chunks[0].data);
  const { width, height, bitDepth, colorType } = header;
  if (width * height > maxPixels) throw new PngFormatError(`image size ${width}x${height} exceeds the limit of ${maxPixels} pixels`);
  const channels = CHANNELS[colorType];
  let palette: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  let idatLen = 0;
  for (const c of chunks) {
    if (c.type === 'PLTE') {
      if (c.data.length % 3 !== 0 || c.data.length === 0 || c.data.length > 768) throw new PngFormatError(`PLTE has ${c.data.length} bytes (must be 3..768, a multiple of 3)`);
      palette = c.data.slice();
    } else if (c.type === 'IDAT') { idat.push(c.data); idatLen += c.data.length; }
  }
  if (idat.length === 0) throw new PngFormatError('no image data (IDAT)');
  if (colorType === 3 && !palette) throw new PngFormatError('palette image without a PLTE chunk');
  const z = new Uint8Array(idatLen);
  let at = 0;
  for (const d of idat) { z.set(d, at); at += d.length; }

  const bitsPerPixel = bitDepth * channels;
  const bpp = Math.max(1, bitsPerPixel >> 3);
  const passes = passesOf(header);
  let expected = 0;
  for (const p of passes) if (p.w > 0 && p.h > 0) expected += p.h * (1 + Math.ceil((p.w * bitsPerPixel) / 8));
  let raw: Uint8Array;
  try {
    raw = inflate(z, expected + height);
  } catch (e) {
    throw new PngFormatError(`image data cannot be decompressed (${(e as Error).message})`);
  }
  if (raw.length < expected) throw new PngFormatError(`image data is truncated (${raw.length} of ${expected} bytes)`);

  const n = width * height * channels;
  const out = bitDepth === 16 ? new Uint16Array(n) : new Uint8Array(n);
  if (!header.interlaced && bitDepth >= 8) {
    decodeRows(raw, width * channels * (bitDepth >> 3), height, bpp, out);
    return { header, channels, data: out, palette };
  }
  let offset = 0;
  for (const p of passes) {
    if (p.w === 0 || p.h === 0) continue;
    const rowBytes = Math.ceil((p.w * bitsPerPixel) / 8);
    unfilter(raw, offset, rowBytes, p.h, bpp);
    for (let r = 0; r < p.h; r++) {
      const src = offset + r * (rowBytes + 1) + 1;
      const y = p.y0 + r * p.dy;
      if (p.dx === 1 && bitDepth === 8) { out.set(raw.subarray(src, src + rowBytes), y * width * channels); continue; }
      if (p.dx === 1 && bitDepth === 16) {
        const base = y * width * channels;
        for (let s = 0; s < rowBytes >> 1; s++) out[base + s] = (raw[src + 2 * s] << 8) | raw[src + 2 * s + 1];
        continue;
      }
      for (let i = 0; i < p.w; i++) {
        const dst = (y * width + p.x0 + i * p.dx) * channels;
        for (let c = 0; c < channels; c++) {
          const s = i * channels + c;
          let v: number;
          if (bitDepth === 16) v = (raw[src + 2 * s] << 8) | raw[src + 2 * s + 1];
          else if (bitDepth === 8) v = raw[src + s];
          else {
            const bit = s * bitDepth;
            v = (raw[src + (bit >> 3)] >> (8 - bitDepth - (bit & 7))) & ((1 << bitDepth) - 1);
          }
          out[dst + c] = v;
        }
      }
    }
    offset += p.h * (rowBytes + 1);
  }
  // Palette indices beyond the PLTE length are kept as stored (PIL does the same); for label
  // maps the index is the data.
  return { header, channels, data: out, palette };
}
