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
  const mul = [0, 1, 2].map((c) => scale / std[c]);
  const add = [0, 1, 2].map((c) => -mean[c] / std[c]);
  for (let y = 0; y < g.contentH; y++) {
    const r0 = ys.i0[y] * W, r1 = ys.i1[y] * W, wy = ys.w[y];
    const rowOff = (y + g.padY) * g.dstW + g.padX;
    for (let x = 0; x < g.contentW; x++) {
      const a = (r0 + xs.i0[x]) * 3, b = (r0 + xs.i1[x]) * 3, c = (r1 + xs.i0[x]) * 3, d = (r1 + xs.i1[x]) * 3;
      const wx = xs.w[x];
      for (let ch = 0; ch < 3; ch++) {
        const top = src[a + ch] + (src[b + ch] - src[a + ch]) * wx;
        const bot = src[c + ch] + (src[d + ch] - src[c + ch]) * wx;
        const v = top + (bot - top) * wy;
        const tc = bgr ? 2 - ch : ch;
        out[tc * plane + rowOff + x] = v * mul[tc] + add[tc];
      }
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
