// Image decoding for photos (and anything else that is not a label map). The ONLY module that
// imports sharp; the rest of the code base goes through these functions.
import { promises as fsp } from 'node:fs';
import sharp from 'sharp';
import type { Metadata, Sharp } from 'sharp';
import { MAX_PIXELS, checkSize } from '../shared/maskModel';

export interface DecodedImage {
  width: number;
  height: number;
  channels: 3 | 4;
  /** 8-bit interleaved RGB or RGBA, row-major. */
  data: Uint8Array;
  /** sharp's format name: png, jpeg, webp, tiff, ... */
  format: string;
  /** 16-bit images: the sample range [lo, hi] mapped to 0..255 (see decodeWindowed16). */
  window?: [number, number];
}

export class ImageLoadError extends Error {
  override name = 'ImageLoadError';
  constructor(readonly file: string, readonly reason: string) {
    // libvips ends some messages with a colon and a detail it leaves empty ("corrupt header:").
    super(`cannot load image ${file}: ${reason.trim().replace(/:$/, '')}`);
  }
}

function reasonOf(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').trim();
}

function open(file: string, maxPixels: number): Sharp {
  // autoOrient stays off: the pixel grid as stored, as PIL / OpenCV training code reads it.
  return sharp(file, { limitInputPixels: maxPixels, failOn: 'error', sequentialRead: true });
}

/** Reads the header only (cheap): size, format, channel count. Throws ImageLoadError. */
export async function readImageInfo(file: string): Promise<{ width: number; height: number; format: string; channels: number; orientation: number; bits: 8 | 16 }> {
  let meta: Metadata;
  try {
    meta = await sharp(file, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw new ImageLoadError(file, reasonOf(e));
  }
  if (!meta.width || !meta.height || !meta.format) throw new ImageLoadError(file, 'the header has no size or format');
  // EXIF orientation (1..8; 1 = as stored). Not applied: masks follow the stored grid, as PIL reads it.
  const bits = meta.depth === 'ushort' || meta.depth === 'short' ? 16 : 8;
  return { width: meta.width, height: meta.height, format: meta.format, channels: meta.channels ?? 3, orientation: meta.orientation ?? 1, bits };
}

/**
 * Cheap completeness check from the file's tail: a PNG must end with its IEND chunk and a JPEG with
 * its end-of-image marker (within the last KiB). Throws ImageLoadError for a truncated file, so it
 * is refused when opened instead of failing half-drawn.
 */
export async function checkComplete(file: string, format: string): Promise<void> {
  if (format !== 'png' && format !== 'jpeg') return;
  let fh;
  try { fh = await fsp.open(file, 'r'); } catch (e) { throw new ImageLoadError(file, reasonOf(e)); }
  try {
    const size = (await fh.stat()).size;
    const n = Math.min(size, 1024);
    const tail = new Uint8Array(n);
    await fh.read(tail, 0, n, size - n);
    if (format === 'png') {
      const iend = [0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];
      const ok = n >= 8 && iend.every((b, i) => tail[n - 8 + i] === b);
      if (!ok) throw new ImageLoadError(file, `the file is truncated or damaged: it does not end with the PNG IEND chunk (${size} bytes)`);
    } else {
      let ok = false;
      for (let i = n - 2; i >= 0 && !ok; i--) ok = tail[i] === 0xff && tail[i + 1] === 0xd9;
      if (!ok) throw new ImageLoadError(file, `the file is truncated or damaged: no JPEG end-of-image marker (${size} bytes)`);
    }
  } finally {
    await fh.close();
  }
}

/**
 * Decodes an image to 8-bit RGB or RGBA (16-bit scaled, gray expanded, palette applied). EXIF
 * orientation is NOT applied. `channels` forces 3 (alpha dropped) or 4 (opaque alpha added);
 * by default images with alpha give 4, others 3. Images over `maxPixels` (default MAX_PIXELS) or
 * over MAX_SIDE are refused from their header, before any pixel is decoded.
 */
export async function decodeImage(file: string, opts: { channels?: 3 | 4; maxPixels?: number } = {}): Promise<DecodedImage> {
  const maxPixels = opts.maxPixels ?? MAX_PIXELS;
  if (opts.channels !== undefined && opts.channels !== 3 && opts.channels !== 4) throw new RangeError(`channels ${String(opts.channels)} must be 3 or 4`);
  if (!Number.isInteger(maxPixels) || maxPixels < 1) throw new RangeError(`maxPixels ${maxPixels} must be a positive integer`);
  const info = await readImageInfo(file);
  try {
    checkSize(info.width, info.height);
  } catch (e) {
    throw new ImageLoadError(file, reasonOf(e));
  }
  if (info.width * info.height > maxPixels) throw new ImageLoadError(file, `image size ${info.width}x${info.height} exceeds the limit of ${maxPixels} pixels`);
  try {
    if (info.bits === 16) return await decodeWindowed16(file, maxPixels, opts.channels, info.format);
    let img = open(file, maxPixels).toColourspace('srgb');
    const meta = await open(file, maxPixels).metadata();
    const alpha = opts.channels ? opts.channels === 4 : meta.hasAlpha === true;
    img = alpha ? img.ensureAlpha() : img.removeAlpha();
    const { data, info: out } = await img.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (out.channels !== 3 && out.channels !== 4) throw new Error(`decoder returned ${out.channels} channels`);
    return {
      width: out.width,
      height: out.height,
      channels: out.channels,
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      format: info.format,
    };
  } catch (e) {
    if (e instanceof ImageLoadError) throw e;
    throw new ImageLoadError(file, reasonOf(e));
  }
}

/**
 * 16-bit images (PNG, TIFF) to 8 bits through their display window: the samples' minimum to
 * maximum (over the colour channels) map linearly to 0..255, so a 16-bit image holding 0..255 or
 * 0..4095 is shown, thresholded and pre-labelled as the 8-bit image it looks like, in every face.
 * Alpha keeps its top byte.
 */
async function decodeWindowed16(file: string, maxPixels: number, want: 3 | 4 | undefined, format: string): Promise<DecodedImage> {
  const meta = await open(file, maxPixels).metadata();
  // sharp keeps 16-bit samples only when asked for a 16-bit colour space (grey16 / rgb16).
  const space = (meta.channels ?? 3) <= 2 ? 'grey16' : 'rgb16';
  const { data, info } = await open(file, maxPixels).toColourspace(space).raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true });
  const ch = info.channels;
  const src = new Uint16Array(data.buffer, data.byteOffset, data.byteLength >> 1);
  const colour = ch === 2 || ch === 4 ? ch - 1 : ch;
  let lo = 65535, hi = 0;
  for (let i = 0; i < src.length; i += ch) for (let c = 0; c < colour; c++) { const v = src[i + c]; if (v < lo) lo = v; if (v > hi) hi = v; }
  const span = Math.max(1, hi - lo);
  const lut = new Uint8Array(65536);
  for (let v = 0; v < 65536; v++) lut[v] = v <= lo ? 0 : v >= hi ? 255 : Math.round(((v - lo) * 255) / span);
  const hasAlpha = ch === 2 || ch === 4;
  const outCh: 3 | 4 = want ?? (hasAlpha ? 4 : 3);
  const n = info.width * info.height;
  const out = new Uint8Array(n * outCh);
  for (let i = 0, o = 0, s = 0; i < n; i++, o += outCh, s += ch) {
    if (colour === 1) { const g = lut[src[s]]; out[o] = g; out[o + 1] = g; out[o + 2] = g; } else { out[o] = lut[src[s]]; out[o + 1] = lut[src[s + 1]]; out[o + 2] = lut[src[s + 2]]; }
    if (outCh === 4) out[o + 3] = hasAlpha ? src[s + colour] >> 8 : 255;
  }
  return { width: info.width, height: info.height, channels: outCh, data: out, format, window: [lo, hi] };
}

/** Encodes 8-bit RGB/RGBA pixels as a PNG (for previews and exports, not label maps). */
export async function encodeRgbPng(width: number, height: number, channels: 3 | 4, data: Uint8Array, compressionLevel = 6): Promise<Uint8Array> {
  checkSize(width, height);
  if (channels !== 3 && channels !== 4) throw new RangeError(`channels ${String(channels)} must be 3 or 4`);
  if (data.length !== width * height * channels) throw new RangeError(`data has ${data.length} bytes, expected ${width * height * channels}`);
  const buf = await sharp(data, { raw: { width, height, channels } }).png({ compressionLevel }).toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/**
 * Reads a 16-bit (or 8-bit) single-channel image exactly via sharp (grey16). Used as an
 * independent reader in tests and for formats our PNG decoder does not handle (16-bit TIFF).
 */
export async function decodeGray16(file: string): Promise<{ width: number; height: number; data: Uint16Array }> {
  try {
    const { data, info } = await sharp(file, { limitInputPixels: MAX_PIXELS }).toColourspace('grey16').raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true });
    const copy = new Uint16Array(info.width * info.height);
    const src = new Uint16Array(data.buffer, data.byteOffset, data.byteLength >> 1);
    for (let i = 0; i < copy.length; i++) copy[i] = src[i * info.channels];
    return { width: info.width, height: info.height, data: copy };
  } catch (e) {
    throw new ImageLoadError(file, reasonOf(e));
  }
}
