// A small PNG encoder for label maps: 8-bit indexed (colour type 3) with a given palette and
// 8/16-bit grayscale, samples written exactly. Pure: deflate is injected (on Node: zlib).
import { PNG_SIGNATURE, writeChunk } from './pngChunks';

/** Compresses bytes into a zlib stream (RFC 1950), e.g. zlib.deflateSync(data, { level: 1 }). */
export type Deflate = (data: Uint8Array) => Uint8Array;

export interface PngEncodeInput {
  readonly width: number;
  readonly height: number;
  /** 0 = grayscale, 3 = indexed. */
  readonly colorType: 0 | 3;
  /** 8 for indexed; 8 or 16 for grayscale. */
  readonly bitDepth: 8 | 16;
  /** One sample per pixel, row-major: Uint8Array for 8-bit, Uint16Array for 16-bit. */
  readonly data: Uint8Array | Uint16Array;
  /** RGB triples, 1..256 entries; required for colour type 3. */
  readonly palette?: Uint8Array;
  /**
   * Row filter. 'adaptive' (default) picks the cheapest of None/Sub/Up per row (smaller files for
   * photos, ~3 passes); 'none' suits 8-bit label maps (runs stay runs); 'sub' turns constant runs
   * of 16-bit ids into zero bytes; 'up' turns rows that repeat the row above into zero bytes
   * (16-bit label maps: smaller and faster to deflate than 'sub').
   */
  readonly filter?: RowFilter;
  /** tEXt chunks (keyword, Latin-1 text) written before the image data, e.g. a generation id. */
  readonly text?: ReadonlyArray<readonly [string, string]>;
}

export type RowFilter = 'adaptive' | 'none' | 'sub' | 'up';

/** Largest IDAT chunk written (bytes); readers accept any size, this keeps chunks modest. */
const IDAT_SIZE = 1 << 20;

/**
 * Filters rows for PNG. `src` holds the serialized samples (big-endian for 16-bit), `bpp` bytes
 * per pixel. 'adaptive' picks the cheapest of None, Sub and Up per row by the sum of absolute
 * signed bytes (the libpng heuristic restricted to one-pass filters).
 */
export function filterRows(src: Uint8Array, rowBytes: number, rows: number, bpp: number, mode: RowFilter = 'adaptive'): Uint8Array {
  const out = new Uint8Array(rows * (rowBytes + 1));
  for (let r = 0; r < rows; r++) {
    const cur = r * rowBytes, prev = cur - rowBytes;
    let f = mode === 'none' ? 0 : mode === 'sub' ? 1 : mode === 'up' ? (r > 0 ? 2 : 0) : -1;
    if (f < 0) {
      let sNone = 0, sSub = 0, sUp = 0;
      for (let i = 0; i < rowBytes; i++) {
        const v = src[cur + i];
        sNone += v < 128 ? v : 256 - v;
        const d = (v - (i >= bpp ? src[cur + i - bpp] : 0)) & 255;
        sSub += d < 128 ? d : 256 - d;
        if (r > 0) { const u = (v - src[prev + i]) & 255; sUp += u < 128 ? u : 256 - u; }
      }
      f = r > 0 && sUp <= sSub && sUp < sNone ? 2 : sSub < sNone ? 1 : 0;
    }
    const o = r * (rowBytes + 1);
    out[o] = f;
    if (f === 0) out.set(src.subarray(cur, cur + rowBytes), o + 1);
    else if (f === 1) {
      for (let i = 0; i < bpp && i < rowBytes; i++) out[o + 1 + i] = src[cur + i];
      for (let i = bpp; i < rowBytes; i++) out[o + 1 + i] = (src[cur + i] - src[cur + i - bpp]) & 255;
    } else {
      for (let i = 0; i < rowBytes; i++) out[o + 1 + i] = (src[cur + i] - src[prev + i]) & 255;
    }
  }
  return out;
}

function validate(p: PngEncodeInput): void {
  const { width, height, colorType, bitDepth, data, palette } = p;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new RangeError(`width/height ${width}x${height} must be positive integers`);
  if (colorType !== 0 && colorType !== 3) throw new RangeError(`colorType ${String(colorType)} is not supported (0 or 3)`);
  if (bitDepth !== 8 && bitDepth !== 16) throw new RangeError(`bitDepth ${String(bitDepth)} is not supported (8 or 16)`);
  if (colorType === 3 && bitDepth !== 8) throw new RangeError('bitDepth must be 8 for an indexed PNG');
  const Ctor = bitDepth === 16 ? Uint16Array : Uint8Array;
  if (!(data instanceof Ctor) || data.length !== width * height) throw new RangeError(`data must be a ${Ctor.name} of ${width * height} samples`);
  if (p.filter !== undefined && !['adaptive', 'none', 'sub', 'up'].includes(p.filter)) throw new RangeError(`filter ${String(p.filter)} must be adaptive, none, sub or up`);
  if (colorType === 3) {
    if (!palette || palette.length % 3 !== 0 || palette.length < 3 || palette.length > 768) throw new RangeError('palette must hold 1..256 RGB triples');
  }
}

/**
 * Compresses a sequence of byte chunks into one zlib stream, e.g. a zlib.Deflate stream fed chunk
 * by chunk: taking the next chunk (filtering its rows) can overlap the compression of the last.
 */
export type DeflateChunks = (chunks: Iterable<Uint8Array>) => Promise<Uint8Array>;

/** Encodes a grayscale or indexed PNG. The output decodes to exactly `data`. */
export function encodePng(p: PngEncodeInput, deflate: Deflate): Uint8Array {
  validate(p);
  return assemble(p, deflate(scanlines(p, 0, p.height)));
}

/** encodePng with a streaming deflate: rows are filtered in chunks of about `chunkBytes` as it asks for them. */
export async function encodePngAsync(p: PngEncodeInput, deflate: DeflateChunks, chunkBytes = 1 << 20): Promise<Uint8Array> {
  validate(p);
  return assemble(p, await deflate(scanlineChunks(p, chunkBytes)));
}

function* scanlineChunks(p: PngEncodeInput, chunkBytes: number): Generator<Uint8Array> {
  // Up and adaptive filters of 8-bit rows look at the row above: those images go in one piece.
  const rowsIndependent = p.bitDepth === 16 || p.filter === 'none' || p.filter === 'sub';
  const stride = p.width * (p.bitDepth / 8) + 1;
  const rows = rowsIndependent ? Math.max(1, Math.floor(chunkBytes / stride)) : p.height;
  for (let y = 0; y < p.height; y += rows) yield scanlines(p, y, Math.min(p.height, y + rows));
}

/** The filtered rows y0..y1 of `p` (filter byte + row bytes, each row), the bytes that are compressed. */
function scanlines(p: PngEncodeInput, y0: number, y1: number): Uint8Array {
  const { width, bitDepth } = p;
  if (bitDepth === 16 && p.filter === 'up') return up16(p.data as Uint16Array, width, y0, y1);
  if (bitDepth === 16) {
    const d = (p.data as Uint16Array).subarray(y0 * width, y1 * width);
    if (p.filter === 'sub') return sub16(d, width, y1 - y0);
    const bytes = new Uint8Array(d.length * 2);
    for (let i = 0; i < d.length; i++) { bytes[2 * i] = d[i] >> 8; bytes[2 * i + 1] = d[i] & 255; }
    return filterRows(bytes, width * 2, y1 - y0, 2, p.filter ?? 'adaptive');
  }
  // 8-bit: callers ask for part of the image only with row-independent filters (none, sub).
  return filterRows((p.data as Uint8Array).subarray(y0 * width, y1 * width), width, y1 - y0, 1, p.filter ?? 'adaptive');
}

/** The platform stores the low byte of a Uint16 first (typed arrays use the platform's order). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * 16-bit samples serialized big-endian with the Up filter on every row. Label maps repeat from row
 * to row, so most bytes become zeros. Two samples at a time: bytewise subtraction in a Uint32
 * (no borrow across bytes), then each sample's two bytes swapped to big-endian; a row is built in
 * an aligned scratch row and copied into place (rows start at odd offsets).
 */
function up16(d: Uint16Array, width: number, y0: number, y1: number): Uint8Array {
  const stride = 2 * width + 1;
  const out = new Uint8Array((y1 - y0) * stride);
  const pairs = width >> 1;
  const words = d.byteOffset % 4 === 0 && width % 2 === 0 ? new Uint32Array(d.buffer, d.byteOffset, pairs * d.length / width) : null;
  const scratch = new Uint32Array(Math.ceil(width / 2));
  const scratchBytes = new Uint8Array(scratch.buffer, 0, 2 * width);
  const scratch16 = new Uint16Array(scratch.buffer, 0, width);
  for (let y = y0; y < y1; y++) {
    const o = (y - y0) * stride;
    out[o] = 2;
    if (words) {
      const cur = y * pairs, prev = y > 0 ? cur - pairs : -1;
      for (let k = 0; k < pairs; k++) {
        const a = words[cur + k], b = prev < 0 ? 0 : words[prev + k];
        const diff = ((a | 0x80808080) - (b & 0x7f7f7f7f)) ^ ((a ^ ~b) & 0x80808080);
        scratch[k] = LITTLE_ENDIAN ? ((diff & 0x00ff00ff) << 8) | ((diff >>> 8) & 0x00ff00ff) : diff;
      }
    } else {
      const cur = y * width, prev = y > 0 ? cur - width : -1;
      for (let x = 0; x < width; x++) {
        const a = d[cur + x], b = prev < 0 ? 0 : d[prev + x];
        const hi = ((a >> 8) - (b >> 8)) & 255, lo = ((a & 255) - (b & 255)) & 255;
        scratch16[x] = LITTLE_ENDIAN ? (lo << 8) | hi : (hi << 8) | lo;
      }
    }
    out.set(scratchBytes, o + 1);
  }
  return out;
}

/** 16-bit samples serialized big-endian with the Sub filter on every row, in one pass. */
function sub16(d: Uint16Array, width: number, height: number): Uint8Array {
  const stride = 2 * width + 1;
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const o = y * stride, row = y * width;
    out[o] = 1;
    let prev = 0;
    for (let x = 0; x < width; x++) {
      const v = d[row + x];
      out[o + 1 + 2 * x] = ((v >> 8) - (prev >> 8)) & 255;
      out[o + 2 + 2 * x] = ((v & 255) - (prev & 255)) & 255;
      prev = v;
    }
  }
  return out;
}

/** The PNG file around a compressed image stream: signature, IHDR, PLTE, IDATs, IEND. */
function assemble(p: PngEncodeInput, z: Uint8Array): Uint8Array {
  const { width, height, colorType, bitDepth } = p;

  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr[8] = bitDepth;
  ihdr[9] = colorType;
  const plte = colorType === 3 ? p.palette! : null;
  const texts = (p.text ?? []).map(([k, v]) => textChunkData(k, v));
  const nIdat = Math.max(1, Math.ceil(z.length / IDAT_SIZE));
  const size = 8 + 25 + (plte ? 12 + plte.length : 0) + texts.reduce((n, t) => n + 12 + t.length, 0) + nIdat * 12 + z.length + 12;
  const out = new Uint8Array(size);
  out.set(PNG_SIGNATURE, 0);
  let at = writeChunk(out, 8, 'IHDR', ihdr);
  if (plte) at = writeChunk(out, at, 'PLTE', plte);
  for (const t of texts) at = writeChunk(out, at, 'tEXt', t);
  for (let i = 0; i < nIdat; i++) at = writeChunk(out, at, 'IDAT', z.subarray(i * IDAT_SIZE, Math.min(z.length, (i + 1) * IDAT_SIZE)));
  at = writeChunk(out, at, 'IEND', new Uint8Array(0));
  if (at !== size) throw new Error(`internal: PNG size ${at} != ${size}`);
  return out;
}

/** tEXt chunk data: keyword (1..79 printable Latin-1, no leading/trailing space), NUL, text (Latin-1, no NUL). */
export function textChunkData(keyword: string, text: string): Uint8Array {
  if (!/^[\x20-\x7e\xa1-\xff]{1,79}$/.test(keyword) || /^ | $| {2}/.test(keyword)) throw new RangeError(`PNG text keyword ${JSON.stringify(keyword)} is not 1..79 printable Latin-1 characters`);
  if (!/^[\n\x20-\x7e\xa1-\xff]*$/.test(text)) throw new RangeError(`PNG text for ${keyword} must be printable Latin-1`);
  const out = new Uint8Array(keyword.length + 1 + text.length);
  for (let i = 0; i < keyword.length; i++) out[i] = keyword.charCodeAt(i);
  for (let i = 0; i < text.length; i++) out[keyword.length + 1 + i] = text.charCodeAt(i);
  return out;
}
