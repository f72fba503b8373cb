// Grayscale / binary morphology with a square or disk structuring element: erode (min), dilate
// (max), open, close. Pixels outside the image are ignored (OpenCV's default border for
// erode/dilate). Disk = scikit-image's disk(radius): offsets with dx^2 + dy^2 <= radius^2.
// Rows are filtered with the van Herk / Gil-Werman running min/max (3 comparisons per pixel).
import { checkGray, intOption, outBuffer, type GrayImage } from './image';

export type StructuringShape = 'square' | 'disk';

export interface MorphologyOptions {
  /** 'square' ((2r+1)^2) or 'disk'. Default 'square'. */
  shape?: StructuringShape;
  /** Radius r, 0..64 (0 = identity). Default 1. */
  radius?: number;
  /** Reused output buffer (width*height); may not be the input. */
  out?: Uint8Array;
}

type Op = 'min' | 'max';

/** Half-widths of the element's rows, index dy + r. */
function halfWidths(shape: StructuringShape, r: number): Int32Array {
  const hw = new Int32Array(2 * r + 1);
  for (let dy = -r; dy <= r; dy++) hw[dy + r] = shape === 'square' ? r : Math.floor(Math.sqrt(r * r - dy * dy) + 1e-9);
  return hw;
}

/** out[x] = op(line[x-k .. x+k]) over the part inside [0, len). Scratch g, hs: len + 2k each. */
function runFilter(line: Uint8Array, len: number, k: number, op: Op, out: Uint8Array, g: Uint8Array, hs: Uint8Array): void {
  if (k === 0) { out.set(line.subarray(0, len)); return; }
  const neutral = op === 'min' ? 255 : 0;
  const win = 2 * k + 1, L = len + 2 * k;
  // padded p[i] = line[i - k]; blocks of `win` elements
  for (let i = 0; i < L; i++) {
    const v = i < k || i >= len + k ? neutral : line[i - k];
    if (i % win === 0) g[i] = v;
    else g[i] = op === 'min' ? (v < g[i - 1] ? v : g[i - 1]) : (v > g[i - 1] ? v : g[i - 1]);
  }
  for (let i = L - 1; i >= 0; i--) {
    const v = i < k || i >= len + k ? neutral : line[i - k];
    if (i === L - 1 || (i + 1) % win === 0) hs[i] = v;
    else hs[i] = op === 'min' ? (v < hs[i + 1] ? v : hs[i + 1]) : (v > hs[i + 1] ? v : hs[i + 1]);
  }
  // window in padded coordinates: [x, x + 2k]
  for (let x = 0; x < len; x++) {
    const a = hs[x], b = g[x + 2 * k];
    out[x] = op === 'min' ? (a < b ? a : b) : (a > b ? a : b);
  }
}

function morph(image: GrayImage, options: MorphologyOptions, op: Op, src: Uint8Array | Uint8ClampedArray, out: Uint8Array): Uint8Array {
  const shape = options.shape ?? 'square';
  if (shape !== 'square' && shape !== 'disk') throw new RangeError(`shape: expected 'square' or 'disk', got ${shape}`);
  const r = intOption(options.radius, 1, 0, 64, 'radius');
  const { width: w, height: h } = image;
  const hw = halfWidths(shape, r);
  const distinct = [...new Set(hw)];
  const g = new Uint8Array(w + 2 * r), hs = new Uint8Array(w + 2 * r);
  const line = new Uint8Array(w);
  // Horizontally filtered rows per distinct half-width, kept in a ring of 2r+1 rows.
  const ring = distinct.map(() => new Uint8Array((2 * r + 1) * w));
  const slot = new Map<number, number>(distinct.map((v, i) => [v, i]));
  const filterRow = (y: number): void => {
    line.set(src.subarray(y * w, y * w + w));
    const base = (y % (2 * r + 1)) * w;
    for (let j = 0; j < distinct.length; j++) runFilter(line, w, distinct[j], op, ring[j].subarray(base, base + w), g, hs);
  };
  for (let y = 0; y < Math.min(r, h); y++) filterRow(y);
  const acc = new Uint8Array(w);
  for (let y = 0; y < h; y++) {
    if (y + r < h) filterRow(y + r);
    acc.fill(op === 'min' ? 255 : 0);
    for (let dy = -r; dy <= r; dy++) {
      const yy = y + dy;
      if (yy < 0 || yy >= h) continue;
      const row = ring[slot.get(hw[dy + r]) as number], base = (yy % (2 * r + 1)) * w;
      if (op === 'min') for (let x = 0; x < w; x++) { const v = row[base + x]; if (v < acc[x]) acc[x] = v; }
      else for (let x = 0; x < w; x++) { const v = row[base + x]; if (v > acc[x]) acc[x] = v; }
    }
    out.set(acc, y * w);
  }
  return out;
}

function prepare(image: GrayImage, options: MorphologyOptions): Uint8Array {
  checkGray(image);
  const out = outBuffer(options.out, Uint8Array, image.width * image.height);
  if (out.buffer === image.data.buffer && out.byteOffset === image.data.byteOffset) throw new RangeError('out: must not be the input buffer');
  return out;
}

/** Minimum over the structuring element. */
export function erode(image: GrayImage, options: MorphologyOptions = {}): Uint8Array {
  return morph(image, options, 'min', image.data, prepare(image, options));
}

/** Maximum over the structuring element. */
export function dilate(image: GrayImage, options: MorphologyOptions = {}): Uint8Array {
  return morph(image, options, 'max', image.data, prepare(image, options));
}

/** Erode then dilate (removes specks smaller than the element). */
export function open(image: GrayImage, options: MorphologyOptions = {}): Uint8Array {
  const tmp = erode(image, { ...options, out: undefined });
  return morph(image, options, 'max', tmp, prepare(image, options));
}

/** Dilate then erode (fills gaps smaller than the element). */
export function close(image: GrayImage, options: MorphologyOptions = {}): Uint8Array {
  const tmp = dilate(image, { ...options, out: undefined });
  return morph(image, options, 'min', tmp, prepare(image, options));
}
