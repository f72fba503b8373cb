// RGB image -> normalised NCHW float tensor, following a model's input spec. Pure.
import { planGeometry, type Geometry, type GeometrySpec } from './geometry';

export interface RgbImage {
  readonly width: number;
  readonly height: number;
  /** RGB, 3 bytes per pixel, row-major. */
  readonly data: Uint8Array;
}

export interface FloatTensor {
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

export interface NormalizeSpec {
  /** Channel order of the tensor (default 'RGB'). PaddleOCR models take 'BGR'. */
  readonly channelOrder?: 'RGB' | 'BGR';
  /** Pixel multiplier before mean/std (default 1/255). */
  readonly scale?: number;
  /** Per tensor channel, after scaling (default [0, 0, 0]). */
  readonly mean?: readonly [number, number, number];
  /** Per tensor channel (default [1, 1, 1]). */
  readonly std?: readonly [number, number, number];
  /** Tensor value of padded pixels, after normalisation (default 0). */
  readonly padValue?: number;
}

export type InputSpec = GeometrySpec & NormalizeSpec;

/** For each destination index, the two source indices and the weight of the second (OpenCV INTER_LINEAR, half-pixel centres). */
function axisTable(dst: number, src: number): { i0: Int32Array; i1: Int32Array; w: Float32Array } {
  const i0 = new Int32Array(dst), i1 = new Int32Array(dst), w = new Float32Array(dst);
  const s = src / dst;
  for (let d = 0; d < dst; d++) {
    let f = (d + 0.5) * s - 0.5;
    if (f < 0) f = 0;
    let a = Math.floor(f);
    if (a > src - 1) a = src - 1;
    const b = Math.min(a + 1, src - 1);
    i0[d] = a; i1[d] = b; w[d] = f - a;
  }
  return { i0, i1, w };
}

function checkImage(img: RgbImage): void {
  if (!Number.isInteger(img.width) || !Number.isInteger(img.height) || img.width < 1 || img.height < 1) {
    throw new RangeError(`image size ${img.width}x${img.height} is not a positive integer size`);
  }
  if (img.data.length !== img.width * img.height * 3) {
    throw new Error(`image data has ${img.data.length} bytes, expected ${img.width * img.height * 3} (RGB ${img.width}x${img.height})`);
  }
}

/** Resizes and normalises `img` into a [1, 3, H, W] tensor; returns it with its geometry. */
export function toInputTensor(img: RgbImage, spec: InputSpec): { tensor: FloatTensor; geometry: Geometry } {
  checkImage(img);
  const g = planGeometry(img.width, img.height, spec);
  const scale = spec.scale ?? 1 / 255;
  const mean = spec.mean ?? [0, 0, 0];
  const std = spec.std ?? [1, 1, 1];
  for (let c = 0; c < 3; c++) if (!(std[c] > 0)) throw new RangeError(`std[${c}]=${std[c]} must be > 0`);
  const bgr = spec.channelOrder === 'BGR';
  const plane = g.dstW * g.dstH;
  const out = new Float32Array(3 * plane);
  const pad = spec.padValue ?? 0;
  if (pad !== 0) out.fill(pad);
  const xs = axisTable(g.contentW, img.width), ys = axisTable(g.contentH, img.height);
  const W = img.width, src = img.data;
  // Tensor plane of each source channel (R, G, B) and its affine normalisation, hoisted for speed.
  const pR = (bgr ? 2 : 0) * plane, pG = plane, pB = (bgr ? 0 : 2) * plane;
  const mR = scale / std[bgr ? 2 : 0], mG = scale / std[1], mB = scale / std[bgr ? 0 : 2];
  const aR = -mean[bgr ? 2 : 0] / std[bgr ? 2 : 0], aG = -mean[1] / std[1], aB = -mean[bgr ? 0 : 2] / std[bgr ? 0 : 2];
  const cw = g.contentW;
  const x0 = new Int32Array(cw), x1 = new Int32Array(cw);
  for (let x = 0; x < cw; x++) { x0[x] = xs.i0[x] * 3; x1[x] = xs.i1[x] * 3; }
  const wxs = xs.w;
  for (let y = 0; y < g.contentH; y++) {
    const r0 = ys.i0[y] * W * 3, r1 = ys.i1[y] * W * 3, wy = ys.w[y], wy1 = 1 - wy;
    const rowOff = (y + g.padY) * g.dstW + g.padX;
    for (let x = 0; x < cw; x++) {
      const a = r0 + x0[x], b = r0 + x1[x], c = r1 + x0[x], d = r1 + x1[x];
      const wx = wxs[x], wx1 = 1 - wx;
      const w00 = wx1 * wy1, w01 = wx * wy1, w10 = wx1 * wy, w11 = wx * wy;
      const o = rowOff + x;
      out[pR + o] = (src[a] * w00 + src[b] * w01 + src[c] * w10 + src[d] * w11) * mR + aR;
      out[pG + o] = (src[a + 1] * w00 + src[b + 1] * w01 + src[c + 1] * w10 + src[d + 1] * w11) * mG + aG;
      out[pB + o] = (src[a + 2] * w00 + src[b + 2] * w01 + src[c + 2] * w10 + src[d + 2] * w11) * mB + aB;
    }
  }
  return { tensor: { dims: [1, 3, g.dstH, g.dstW], data: out }, geometry: g };
}

/**
 * Samples a map that covers the tensor (at `mapW` x `mapH`, i.e. stride dstW/mapW) at the centre of every
 * source pixel in the rectangle [x0, x1) x [y0, y1), bilinearly; calls `visit(index in source, value)`.
 */
export function sampleAtSource(
  map: Float32Array, mapW: number, mapH: number, g: Geometry,
  visit: (srcIndex: number, value: number) => void,
  rect: { x0: number; y0: number; x1: number; y1: number } = { x0: 0, y0: 0, x1: g.srcW, y1: g.srcH },
): void {
  if (map.length < mapW * mapH) throw new Error(`map has ${map.length} values, expected ${mapW}x${mapH}`);
  const sx = mapW / g.dstW, sy = mapH / g.dstH;
  const x0 = Math.max(0, rect.x0), y0 = Math.max(0, rect.y0), x1 = Math.min(g.srcW, rect.x1), y1 = Math.min(g.srcH, rect.y1);
  const n = x1 - x0;
  if (n <= 0 || y1 <= y0) return;
  const ia = new Int32Array(n), ib = new Int32Array(n), wa = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let f = ((x0 + i + 0.5) * g.scaleX + g.padX) * sx - 0.5;
    f = Math.min(Math.max(f, 0), mapW - 1);
    const a = Math.floor(f);
    ia[i] = a; ib[i] = Math.min(a + 1, mapW - 1); wa[i] = f - a;
  }
  for (let y = y0; y < y1; y++) {
    let f = ((y + 0.5) * g.scaleY + g.padY) * sy - 0.5;
    f = Math.min(Math.max(f, 0), mapH - 1);
    const a = Math.floor(f), b = Math.min(a + 1, mapH - 1), wy = f - a;
    const ra = a * mapW, rb = b * mapW;
    for (let i = 0; i < n; i++) {
      const top = map[ra + ia[i]] + (map[ra + ib[i]] - map[ra + ia[i]]) * wa[i];
      const bot = map[rb + ia[i]] + (map[rb + ib[i]] - map[rb + ia[i]]) * wa[i];
      visit(y * g.srcW + x0 + i, top + (bot - top) * wy);
    }
  }
}
