// Plug-in for ../shared/bench/peer/bench-peer.mjs (--module): the project's classical toolkit on
// its wasm SIMD kernels (classical-peer-ts.mjs: the same on the TS kernels), compiled by
// `npx tsc -p .` into out/src/algorithms/classical. Op signatures as documented in bench-peer.mjs:
// (input, ctx) -> output, ctx = { w, h, sx, sy, tol, k, kiters, mask?, markers? }.
// Output buffers are kept per op and passed back as `out` (the API's reusable buffers).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const C = require(path.join(here, '..', '..', 'out', 'src', 'algorithms', 'classical', 'index.js'));
const W = require(path.join(here, '..', '..', 'out', 'src', 'algorithms', 'classical', 'wasm.js'));

export const name = 'maskwright-wasm';

const bufs = new Map();
function buf(key, Ctor, n) {
  let b = bufs.get(key);
  if (!b || b.length !== n) { b = new Ctor(n); bufs.set(key, b); }
  return b;
}
const img = (data, { w, h }, channels = 1) => ({ data, width: w, height: h, channels });

const table = {
  gray: (rgb, ctx) => C.toGray(img(rgb, ctx, 3), { out: buf('gray', Uint8Array, ctx.w * ctx.h) }),
  otsu: (g, ctx) => C.otsu(img(g, ctx), { out: buf('otsu', Uint8Array, ctx.w * ctx.h) }),
  thresh: (g, ctx) => C.threshold(img(g, ctx), { threshold: 127, out: buf('thresh', Uint8Array, ctx.w * ctx.h) }),
  adapt_mean: (g, ctx) => C.adaptiveThreshold(img(g, ctx), { method: 'mean', blockSize: 31, C: 5, out: buf('am', Uint8Array, ctx.w * ctx.h) }),
  adapt_gauss: (g, ctx) => C.adaptiveThreshold(img(g, ctx), { method: 'gaussian', blockSize: 31, C: 5, out: buf('ag', Uint8Array, ctx.w * ctx.h) }),
  gauss5: (g, ctx) => C.gaussianBlur(img(g, ctx), { ksize: 5, out: buf('g5', Uint8Array, ctx.w * ctx.h) }),
  sobel: (g, ctx) => C.sobel(img(g, ctx), { outX: buf('gx', Int16Array, ctx.w * ctx.h), outY: buf('gy', Int16Array, ctx.w * ctx.h) }),
  canny: (g, ctx) => C.canny(img(g, ctx), { low: 50, high: 150, out: buf('canny', Uint8Array, ctx.w * ctx.h) }),
  cc8: (b, ctx) => {
    const r = C.connectedComponents(img(b, ctx), { connectivity: 8, stats: false, out: buf('lab', Int32Array, ctx.w * ctx.h) });
    return { count: r.count + 1, labels: r.labels };
  },
  cc8_stats: (b, ctx) => {
    const r = C.connectedComponents(img(b, ctx), { connectivity: 8, stats: true, out: buf('lab', Int32Array, ctx.w * ctx.h) });
    return { count: r.count + 1, labels: r.labels, stats: r.stats };
  },
  // One mask reused across calls: only the rows of the previous fill's bbox are zeroed.
  flood_bin: (b, ctx) => {
    const mask = buf('fb', Uint8Array, ctx.w * ctx.h), prev = bufs.get('fb_bbox');
    if (prev) mask.fill(0, prev.y * ctx.w, (prev.y + prev.height) * ctx.w);
    const r = C.floodFill(img(b, ctx), { x: ctx.sx, y: ctx.sy, tolerance: 0, connectivity: 4, out: mask, clear: false });
    bufs.set('fb_bbox', r.bbox);
    return r.area;
  },
  // bench-peer.mjs hands over a zeroed mask (zeroed untimed, as for OpenCV)
  flood_gray: (g, ctx) => C.floodFill(img(g, ctx), { x: ctx.sx, y: ctx.sy, tolerance: ctx.tol, connectivity: 4, out: ctx.mask, clear: false }).area,
  kmeans: (rgb, ctx) => C.kmeans(img(rgb, ctx, 3), { k: ctx.k, maxIterations: ctx.kiters, epsilon: 0, seed: 1, init: 'random', out: buf('km', Uint8Array, ctx.w * ctx.h) }),
  watershed: (rgb, ctx) => {
    const m = C.watershed(img(rgb, ctx, 3), ctx.markers, { out: ctx.markers });
    let n = 0;
    for (let i = 0; i < m.length; i++) if (m[i] === -1) n++;
    return n;
  },
};

/** The ops with the kernels of `kernels` ('ts' or 'wasm') forced around each call. */
export function opsFor(kernels) {
  const out = {};
  for (const [op, fn] of Object.entries(table)) {
    out[op] = (input, ctx) => {
      W.setKernelPath(kernels);
      try { return fn(input, ctx); } finally { W.setKernelPath('auto'); }
    };
  }
  return out;
}

export const ops = opsFor('wasm');
