// The one place that chooses between the wasm SIMD kernels (src/wasm/classical.ts, embedded as
// wasmBinary.ts) and the TypeScript kernels, which stay the reference and the fallback. The wasm
// path is used when WebAssembly with SIMD compiles here and its memory can grow to the job; the
// MASKWRIGHT_KERNELS environment variable ('ts', 'wasm', 'auto') or setKernelPath() forces a path
// (tests run both; benches compare them). Each method copies its inputs into the module's memory,
// runs one kernel and copies the result out; it returns false when the TS kernel must run instead.
import { WASM_BASE64 } from './wasmBinary';

export type KernelPath = 'ts' | 'wasm';

// The part of the WebAssembly API used here (the project's lib settings declare none of it).
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

interface Exports {
  memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  heapBase(): number;
  grayRgb(src: number, dst: number, n: number): void;
  grayRgba(src: number, dst: number, n: number): void;
  binarize(src: number, dst: number, n: number, t: number, maxValue: number, invert: number): void;
  histogram(src: number, n: number, hist: number, scratch: number): void;
  gauss5(src: number, dst: number, w: number, h: number, mode: number, col: number): void;
  boxThreshold(src: number, dst: number, w: number, h: number, size: number, d: number, maxValue: number, invert: number, col: number, sums: number): void;
  gaussThreshold(src: number, dst: number, w: number, h: number, kern: number, size: number, d: number, maxValue: number, invert: number, ring: number, pad: number): void;
  sobel(src: number, gx: number, gy: number, w: number, h: number, mode: number, scratch: number): void;
  canny(src: number, dst: number, w: number, h: number, low: number, high: number, l2: number, map: number, stack: number, scratch: number): void;
  watershed(img: number, ch: number, m: number, w: number, h: number, queues: number): void;
  kmeansAssign(src: number, ch: number, n: number, k: number, tab: number, labels: number, sums: number, counts: number, accumulate: number): number;
}

/** One k-means assignment pass (kmeans.ts): labels written, compactness returned, sums and
 * counts accumulated when given. */
export type KmeansAssign = (tab: Float64Array, labels: Uint8Array, sums: Float64Array | null, counts: Float64Array | null) => number;

type Bytes = Uint8Array | Uint8ClampedArray;

/** Decodes standard base64 (pure modules have neither Buffer nor, everywhere, atob). */
function base64Bytes(s: string): Uint8Array {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const val = new Uint8Array(128);
  for (let i = 0; i < 64; i++) val[abc.charCodeAt(i)] = i;
  const len = s.length - (s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0);
  const out = new Uint8Array((len * 3) >> 2);
  for (let i = 0, o = 0; i < len; i += 4) {
    const n = (val[s.charCodeAt(i)] << 18) | (val[s.charCodeAt(i + 1)] << 12) | (val[s.charCodeAt(i + 2)] << 6) | val[s.charCodeAt(i + 3)];
    out[o++] = n >> 16;
    if (o < out.length) out[o++] = (n >> 8) & 0xff;
    if (o < out.length) out[o++] = n & 0xff;
  }
  return out;
}

/** The wasm kernels with their memory: buffers are laid out from the heap base per call. */
export class WasmKernels {
  private readonly base: number;

  constructor(private readonly ex: Exports) {
    this.base = (ex.heapBase() + 15) & ~15;
  }

  /** Size of the module's memory now. */
  memoryBytes(): number {
    return this.ex.memory.buffer.byteLength;
  }

  /** Byte offsets of consecutive 16-aligned buffers of the given sizes, growing the memory as
   * needed; null when it cannot grow that far. */
  private layout(...sizes: number[]): number[] | null {
    const ptrs: number[] = [];
    let p = this.base;
    for (const s of sizes) { ptrs.push(p); p += (s + 15) & ~15; }
    const have = this.ex.memory.buffer.byteLength;
    if (p > have) {
      try { this.ex.memory.grow(Math.ceil((p - have) / 65536)); } catch { return null; }
    }
    return ptrs;
  }

  private put(ptr: number, a: Bytes): void {
    new Uint8Array(this.ex.memory.buffer, ptr, a.length).set(a);
  }

  private get(ptr: number, out: Uint8Array): Uint8Array {
    out.set(new Uint8Array(this.ex.memory.buffer, ptr, out.length));
    return out;
  }

  /** toGray of an RGB (3) or RGBA (4) image of n pixels. */
  gray(src: Bytes, channels: 3 | 4, out: Uint8Array): boolean {
    const n = out.length;
    const p = this.layout(n * channels, n);
    if (!p) return false;
    this.put(p[0], src);
    (channels === 3 ? this.ex.grayRgb : this.ex.grayRgba)(p[0], p[1], n);
    this.get(p[1], out);
    return true;
  }

  /** binarize (threshold.ts) for t in [0, 254]. */
  binarize(src: Bytes, t: number, maxValue: number, invert: boolean, out: Uint8Array): boolean {
    const p = this.layout(src.length, src.length);
    if (!p) return false;
    this.put(p[0], src);
    this.ex.binarize(p[0], p[1], src.length, t, maxValue, invert ? 1 : 0);
    this.get(p[1], out);
    return true;
  }

  /** 256-bin histogram (otsu.ts), or null. */
  histogram(src: Bytes): Int32Array | null {
    const p = this.layout(src.length, 1024, 4 * 65536);
    if (!p) return null;
    this.put(p[0], src);
    this.ex.histogram(p[0], src.length, p[1], p[2]);
    return new Int32Array(this.ex.memory.buffer, p[1], 256).slice();
  }

  /** Otsu (otsu.ts): histogram, level = levelOf(histogram), binarize; the level, or -1. */
  otsu(src: Bytes, levelOf: (hist: Int32Array) => number, maxValue: number, invert: boolean, out: Uint8Array): number {
    const p = this.layout(src.length, src.length, 1024, 4 * 65536);
    if (!p) return -1;
    this.put(p[0], src);
    this.ex.histogram(p[0], src.length, p[2], p[3]);
    const t = levelOf(new Int32Array(this.ex.memory.buffer, p[2], 256).slice());
    if (t > 254) out.fill(invert ? maxValue : 0);
    else {
      this.ex.binarize(p[0], p[1], src.length, t, maxValue, invert ? 1 : 0);
      this.get(p[1], out);
    }
    return t;
  }

  /** The 5x5 [1 4 6 4 1] blur (gaussian.ts); border 0 = reflect101, 1 = replicate. */
  gauss5(src: Bytes, w: number, h: number, border: 0 | 1, out: Uint8Array): boolean {
    const p = this.layout(w * h, w * h, 2 * (w + 4));
    if (!p) return false;
    this.put(p[0], src);
    this.ex.gauss5(p[0], p[1], w, h, border, p[2]);
    this.get(p[1], out);
    return true;
  }

  /** Adaptive mean threshold (adaptiveThreshold.ts): foreground = (v - mean > -d) != invert. */
  boxThreshold(src: Bytes, w: number, h: number, size: number, d: number, maxValue: number, invert: boolean, out: Uint8Array): boolean {
    const r = size >> 1;
    const p = this.layout(w * h, w * h, 4 * (w + 2 * r), 4 * w);
    if (!p) return false;
    this.put(p[0], src);
    this.ex.boxThreshold(p[0], p[1], w, h, size, d, maxValue, invert ? 1 : 0, p[2], p[3]);
    this.get(p[1], out);
    return true;
  }

  /** Adaptive Gaussian threshold with the float32 taps `kern` (adaptiveThreshold.ts). */
  gaussThreshold(src: Bytes, w: number, h: number, kern: Float32Array, d: number, maxValue: number, invert: boolean, out: Uint8Array): boolean {
    const size = kern.length, r = size >> 1;
    const p = this.layout(w * h, w * h, 4 * size, 4 * size * w, 4 * (w + 2 * r));
    if (!p) return false;
    this.put(p[0], src);
    new Float32Array(this.ex.memory.buffer, p[2], size).set(kern);
    this.ex.gaussThreshold(p[0], p[1], w, h, p[2], size, d, maxValue, invert ? 1 : 0, p[3], p[4]);
    this.get(p[1], out);
    return true;
  }

  /** 3x3 Sobel gx, gy (sobel.ts); border 0 = reflect101, 1 = replicate. */
  sobel(src: Bytes, w: number, h: number, border: 0 | 1, gx: Int16Array, gy: Int16Array): boolean {
    const n = w * h, row = (2 * (w + 2) + 15) & ~15;
    const p = this.layout(n, 2 * n, 2 * n, 2 * row);
    if (!p) return false;
    this.put(p[0], src);
    this.ex.sobel(p[0], p[1], p[2], w, h, border, p[3]);
    gx.set(new Int16Array(this.ex.memory.buffer, p[1], n));
    gy.set(new Int16Array(this.ex.memory.buffer, p[2], n));
    return true;
  }

  /** Canny edge map (canny.ts) with integer thresholds (squared for L2). */
  canny(src: Bytes, w: number, h: number, low: number, high: number, l2: boolean, out: Uint8Array): boolean {
    const n = w * h, r16 = (2 * (w + 2) + 15) & ~15, r32 = (4 * (w + 2) + 15) & ~15;
    const p = this.layout(n, n, (w + 2) * (h + 2), 4 * n, 6 * r16 + 3 * r32);
    if (!p) return false;
    this.put(p[0], src);
    this.ex.canny(p[0], p[1], w, h, low, high, l2 ? 1 : 0, p[2], p[3], p[4]);
    this.get(p[1], out);
    return true;
  }

  /** Marker watershed (watershed.ts) of m (the markers, flooded in place) over an image of
   * 1, 3 or 4 channels. */
  watershed(img: Bytes, ch: number, w: number, h: number, m: Int32Array): boolean {
    const p = this.layout(img.length, 4 * m.length, 2048);
    if (!p) return false;
    this.put(p[0], img);
    new Int32Array(this.ex.memory.buffer, p[1], m.length).set(m);
    this.ex.watershed(p[0], ch, p[1], w, h, p[2]);
    m.set(new Int32Array(this.ex.memory.buffer, p[1], m.length));
    return true;
  }

  /** Assignment passes of k-means over one image of n pixels with 3 or 4 channels (the first
   * three used), copied in once; null when memory cannot grow. No other kernel may run between
   * the passes (they share the buffers). */
  kmeansAssigner(src: Bytes, ch: number, n: number, k: number): KmeansAssign | null {
    const p = this.layout(n * ch, n, 8 * k * 768, 8 * k * 3, 8 * k);
    if (!p) return null;
    this.put(p[0], src);
    return (tab, labels, sums, counts) => {
      const buf = this.ex.memory.buffer;
      new Float64Array(buf, p[2], k * 768).set(tab);
      if (sums && counts) { new Float64Array(buf, p[3], k * 3).set(sums); new Float64Array(buf, p[4], k).set(counts); }
      const compactness = this.ex.kmeansAssign(p[0], ch, n, k, p[2], p[1], p[3], p[4], sums && counts ? 1 : 0);
      this.get(p[1], labels);
      if (sums && counts) { sums.set(new Float64Array(buf, p[3], k * 3)); counts.set(new Float64Array(buf, p[4], k)); }
      return compactness;
    };
  }
}

function envPath(): KernelPath | null {
  const v = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.MASKWRIGHT_KERNELS;
  if (v === undefined || v === '' || v === 'auto') return null;
  if (v !== 'ts' && v !== 'wasm') throw new RangeError(`MASKWRIGHT_KERNELS: expected 'ts', 'wasm' or 'auto', got '${v}'`);
  return v;
}

let forced: KernelPath | null = envPath();
let loaded: WasmKernels | null | undefined; // undefined: not tried yet
let loadError = '';
let compiled: { wa: WasmApi; module: object } | null = null;

function load(): WasmKernels | null {
  if (loaded !== undefined) return loaded;
  try {
    if (!compiled) {
      const wa = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
      if (!wa) throw new Error('no WebAssembly here');
      compiled = { wa, module: new wa.Module(base64Bytes(WASM_BASE64)) }; // fails where SIMD is not supported
    }
    loaded = new WasmKernels(new compiled.wa.Instance(compiled.module, {}).exports as Exports);
  } catch (e) {
    loadError = (e as Error).message;
    loaded = null;
  }
  return loaded;
}

// A wasm memory never shrinks: after a large image it is dropped once the kernels have been idle
// for a while (the next call instantiates the compiled module again, with a small memory).
const KEEP_BYTES = 32 << 20, IDLE_MS = 10000;
let idleTimer: ReturnType<typeof setTimeout> | null = null;

function releaseWhenIdle(k: WasmKernels): void {
  if (idleTimer !== null) clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    idleTimer = null;
    if (loaded === k && k.memoryBytes() > KEEP_BYTES) loaded = undefined;
  }, IDLE_MS);
  (idleTimer as { unref?: () => void }).unref?.(); // never keeps a Node process alive
}

/** Forces the TS or the wasm kernels ('auto': wasm where it loads). Throws when 'wasm' cannot load. */
export function setKernelPath(path: KernelPath | 'auto'): void {
  if (path === 'wasm' && !load()) throw new Error(`wasm kernels unavailable: ${loadError}`);
  forced = path === 'auto' ? null : path;
}

/** The path the kernels take now. */
export function kernelPath(): KernelPath {
  return forced === 'ts' ? 'ts' : load() ? 'wasm' : 'ts';
}

/** The wasm kernels, or null when the TS kernels are to run. */
export function wasmKernels(): WasmKernels | null {
  if (forced === 'ts') return null;
  const k = load();
  if (!k && forced === 'wasm') throw new Error(`wasm kernels unavailable: ${loadError}`);
  if (k) releaseWhenIdle(k);
  return k;
}
