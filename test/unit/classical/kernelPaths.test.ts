// The wasm SIMD kernels give the same bytes as the TS reference kernels beyond the fixtures the
// OpenCV references cover: every width from 1 to 40 (the SIMD loops' tails), tiny heights, the
// options the references leave out (invert, maxValue, fractional C, replicated borders, RGBA),
// and k-means, whose exactness is defined by the TS loop rather than by OpenCV.
import * as assert from 'node:assert/strict';
import * as C from '../../../src/algorithms/classical';
import { kernelPath, setKernelPath } from '../../../src/algorithms/classical/wasm';
import { exactImages, type ImageRefs, type Rgb } from './helpers';

/** Pseudo-random bytes with smooth patches, so thresholds and blurs see both edges and flats. */
function bytes(n: number, seed: number): Uint8Array {
  const rand = C.prng(seed);
  const a = new Uint8Array(n);
  let v = 128;
  for (let i = 0; i < n; i++) {
    v = rand() < 0.2 ? Math.floor(rand() * 256) : Math.min(255, Math.max(0, v + Math.floor(rand() * 9) - 4));
    a[i] = v;
  }
  return a;
}

/** fn's result on the TS kernels and on the wasm kernels. */
function both<T>(fn: () => T): [T, T] {
  setKernelPath('ts');
  const ts = fn();
  setKernelPath('wasm');
  const wasm = fn();
  return [ts, wasm];
}

describe('classical: wasm kernels equal the TS kernels', function () {
  this.timeout(120000);
  let cases: { name: string; rgb: Rgb; ref: ImageRefs }[] = [];
  before(async () => {
    setKernelPath('wasm'); // throws when the wasm kernels cannot load here
    cases = await exactImages();
  });
  after(() => setKernelPath('auto'));

  it('loads the wasm kernels and MASKWRIGHT_KERNELS / setKernelPath choose the path', () => {
    setKernelPath('auto');
    assert.equal(kernelPath(), 'wasm');
    setKernelPath('ts');
    assert.equal(kernelPath(), 'ts');
  });

  const sizes: [number, number][] = [];
  for (let w = 1; w <= 40; w++) sizes.push([w, 1 + (w % 7)]);
  sizes.push([33, 40], [64, 3], [100, 37]);

  it('gray (RGB and RGBA), threshold and Otsu', () => {
    for (const [w, h] of sizes) {
      for (const ch of [3, 4] as const) {
        const img = { data: bytes(w * h * ch, w * 31 + h + ch), width: w, height: h, channels: ch };
        const [a, b] = both(() => C.toGray(img));
        assert.deepEqual(b, a, `gray ${ch} ${w}x${h}`);
      }
      const g = { data: bytes(w * h, w * 17 + h), width: w, height: h };
      for (const [t, maxValue, invert] of [[0, 255, false], [127, 1, true], [200, 9, false], [254, 255, true]] as const) {
        const [a, b] = both(() => C.threshold(g, { threshold: t, maxValue, invert }));
        assert.deepEqual(b, a, `threshold ${t} ${w}x${h}`);
      }
      const [oa, ob] = both(() => C.otsu(g, { invert: true, maxValue: 7 }));
      assert.deepEqual(ob, oa, `otsu ${w}x${h}`);
      const [ha, hb] = both(() => C.histogram(g));
      assert.deepEqual(hb, ha, `histogram ${w}x${h}`);
    }
  });

  it('5x5 Gaussian (both borders) and adaptive threshold (mean and Gaussian, sizes, invert, fractional C)', () => {
    for (const [w, h] of sizes) {
      const g = { data: bytes(w * h, w * 13 + h), width: w, height: h };
      for (const border of ['reflect101', 'replicate'] as const) {
        const [a, b] = both(() => C.gaussianBlur(g, { ksize: 5, border }));
        assert.deepEqual(b, a, `gauss5 ${border} ${w}x${h}`);
      }
      for (const method of ['mean', 'gaussian'] as const) {
        for (const [blockSize, c, invert] of [[3, 0, false], [11, 2.5, true], [31, -3, false], [63, 5, true]] as const) {
          const [a, b] = both(() => C.adaptiveThreshold(g, { method, blockSize, C: c, invert, maxValue: 200 }));
          assert.deepEqual(b, a, `adaptive ${method} ${blockSize} ${c} ${invert} ${w}x${h}`);
        }
      }
    }
  });

  it('Sobel (both borders) and Canny (L1, L2, thresholds 0 and swapped)', () => {
    for (const [w, h] of sizes) {
      const g = { data: bytes(w * h, w * 7 + h), width: w, height: h };
      for (const border of ['reflect101', 'replicate'] as const) {
        const [a, b] = both(() => C.sobel(g, { border }));
        assert.deepEqual(b, a, `sobel ${border} ${w}x${h}`);
      }
      for (const [low, high, l2] of [[50, 150, false], [20, 60, true], [0, 0, false], [300, 10, true], [1e6, 1e6, true]] as const) {
        const [a, b] = both(() => C.canny(g, { low, high, l2 }));
        assert.deepEqual(b, a, `canny ${low} ${high} ${l2} ${w}x${h}`);
      }
    }
  });

  it('watershed (gray, RGB, RGBA; seeds on the frame, negative markers, in place)', () => {
    for (const [w, h] of [...sizes, [1, 1], [2, 2], [3, 1]] as [number, number][]) {
      for (const ch of [1, 3, 4] as const) {
        const img = { data: bytes(w * h * ch, w * 5 + h + ch), width: w, height: h, channels: ch };
        const rand = C.prng(w * 3 + h);
        const markers = new Int32Array(w * h);
        for (let i = 0; i < markers.length; i++) { const r = rand(); markers[i] = r < 0.04 ? 1 + Math.floor(r * 100) : r > 0.98 ? -1 : 0; }
        const [a, b] = both(() => C.watershed(img, markers));
        assert.deepEqual(b, a, `watershed ${ch} ${w}x${h}`);
        const [ia, ib] = both(() => { const m = markers.slice(); return C.watershed(img, m, { out: m }); });
        assert.deepEqual(ib, ia, `watershed in place ${ch} ${w}x${h}`);
      }
    }
  });

  it('adaptive mean with a 255 block on a fixture', () => {
    const { rgb } = cases[0];
    const g = { data: C.toGray(rgb), width: rgb.width, height: rgb.height };
    const [a, b] = both(() => C.adaptiveThreshold(g, { method: 'mean', blockSize: 255, C: 1 }));
    assert.deepEqual(b, a);
  });

  it('k-means (RGB and RGBA, random and k-means++ starts): same labels, centers and compactness', () => {
    for (const { name, rgb } of cases.slice(0, 3)) {
      for (const init of ['random', 'kmeans++'] as const) {
        const [a, b] = both(() => C.kmeans(rgb, { k: 5, seed: 3, init, maxIterations: 6 }));
        assert.deepEqual(b, a, `${name} ${init}`);
      }
    }
    const rgba = { data: bytes(37 * 23 * 4, 5), width: 37, height: 23, channels: 4 as const };
    const [a, b] = both(() => C.kmeans(rgba, { k: 3, seed: 9 }));
    assert.deepEqual(b, a, 'rgba');
  });
});
