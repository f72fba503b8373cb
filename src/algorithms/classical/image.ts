// Image types shared by the classical algorithms, argument checks, and reusable output buffers.
// Pure: no vscode, DOM or node imports.
import { MAX_PIXELS } from '../../shared/maskModel';

/** A raster: `channels` interleaved 8-bit samples per pixel, rows without padding. */
export interface ImageU8 {
  readonly data: Uint8Array | Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
  /** 1 (gray), 3 (RGB) or 4 (RGBA). Default: data.length / (width * height). */
  readonly channels?: number;
}

/** A single-channel 8-bit image (gray or binary 0/255). */
export interface GrayImage extends ImageU8 {
  readonly channels?: 1;
}

/** Largest image the toolkit accepts (same bound as the mask model: 16384 x 16384). */
export const MAX_IMAGE_PIXELS = MAX_PIXELS;

export type Connectivity = 4 | 8;

/** Checks that width x height is a non-empty image within MAX_IMAGE_PIXELS. */
export function checkDims(width: number, height: number, name = 'image'): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`${name}: width and height must be positive integers (got ${width}x${height})`);
  }
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new RangeError(`${name}: ${width}x${height} exceeds the limit of ${MAX_IMAGE_PIXELS} pixels`);
  }
}

/** Checks width/height/data and returns the channel count. Throws RangeError naming `name`. */
export function checkImage(img: ImageU8, name = 'image', allowed: readonly number[] = [1, 3, 4]): number {
  if (!img || typeof img !== 'object') throw new TypeError(`${name}: expected { data, width, height }`);
  const { width, height, data } = img;
  checkDims(width, height, name);
  if (!(data instanceof Uint8Array || data instanceof Uint8ClampedArray)) throw new TypeError(`${name}.data: expected a Uint8Array`);
  const ch = img.channels ?? data.length / (width * height);
  if (img.channels === undefined && !allowed.includes(ch)) {
    throw new RangeError(`${name}.data: length ${data.length} is not ${width}x${height} times ${allowed.join(' or ')} channels`);
  }
  if (!allowed.includes(ch)) throw new RangeError(`${name}: ${ch} channels, expected ${allowed.join(' or ')}`);
  if (data.length !== width * height * ch) {
    throw new RangeError(`${name}.data: length ${data.length} != ${width}x${height}x${ch}`);
  }
  return ch;
}

/** Gray (1-channel) check. */
export function checkGray(img: ImageU8, name = 'image'): void {
  checkImage(img, name, [1]);
}

type TypedCtor<T> = { new (n: number): T; readonly name: string };

/** Returns `out` when given (checked for type and length) or a new array of `n` elements. */
export function outBuffer<T extends { length: number }>(out: T | undefined, Ctor: TypedCtor<T>, n: number, name = 'out'): T {
  if (out === undefined) return new Ctor(n);
  if (!(out instanceof Ctor)) throw new TypeError(`${name}: expected a ${Ctor.name}`);
  if (out.length !== n) throw new RangeError(`${name}: length ${out.length}, expected ${n}`);
  return out;
}

/** Checks an integer option in [min, max]; returns `def` when undefined. */
export function intOption(v: number | undefined, def: number, min: number, max: number, name: string): number {
  if (v === undefined) return def;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new RangeError(`${name}: expected an integer in [${min}, ${max}], got ${v}`);
  }
  return v;
}

/** Checks a finite number option in [min, max]; returns `def` when undefined. */
export function numOption(v: number | undefined, def: number, min: number, max: number, name: string): number {
  if (v === undefined) return def;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new RangeError(`${name}: expected a number in [${min}, ${max}], got ${v}`);
  }
  return v;
}

export function checkConnectivity(c: number | undefined, def: Connectivity = 4, name = 'connectivity'): Connectivity {
  const v = c ?? def;
  if (v !== 4 && v !== 8) throw new RangeError(`${name}: expected 4 or 8, got ${c}`);
  return v;
}

/** Checks a point lies inside a width x height image. */
export function checkPoint(x: number, y: number, width: number, height: number, name = 'seed'): void {
  if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || x >= width || y >= height) {
    throw new RangeError(`${name}: (${x}, ${y}) is outside the ${width}x${height} image`);
  }
}

/** Index of `i` reflected into [0, n) without repeating the edge (OpenCV BORDER_REFLECT_101). */
export function reflect101(i: number, n: number): number {
  if (n === 1) return 0;
  while (i < 0 || i >= n) i = i < 0 ? -i : 2 * n - 2 - i;
  return i;
}

/** Index of `i` clamped into [0, n) (OpenCV BORDER_REPLICATE). */
export function replicate(i: number, n: number): number {
  return i < 0 ? 0 : i >= n ? n - 1 : i;
}
