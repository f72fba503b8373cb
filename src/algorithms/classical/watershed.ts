// Marker-based watershed, the same flooding as OpenCV's cv::watershed (Meyer's priority flood):
// 256 FIFO queues keyed by the largest per-channel difference between neighbours, 4-connected,
// pixels reached by two basins become -1 (boundary), and the image's outermost frame is -1.
// Queue links are kept inside the marker image itself (in-queue pixels hold -2 - next), so the
// flood allocates nothing proportional to the image.
import { checkImage, outBuffer, type ImageU8 } from './image';
import { wasmKernels } from './wasm';

export interface WatershedOptions {
  /** Output labels; may be `markers` itself (then it is flooded in place). Default: a copy. */
  out?: Int32Array;
}

const WSHED = -1;

/**
 * Floods `markers` (width*height: >0 = seed label, 0 = unknown) over a gray, RGB or RGBA image.
 * Returns labels: every pixel gets its basin's label, boundaries and the image frame -1.
 */
export function watershed(image: ImageU8, markers: Int32Array, options: WatershedOptions = {}): Int32Array {
  const ch = checkImage(image);
  const { width: w, height: h, data: img } = image;
  if (!(markers instanceof Int32Array) || markers.length !== w * h) throw new RangeError(`markers: expected an Int32Array of ${w * h}, got ${markers?.length}`);
  const m = outBuffer(options.out, Int32Array, w * h);
  if (m !== markers) m.set(markers);
  if (wasmKernels()?.watershed(img, ch, w, h, m)) return m;
  const head = new Int32Array(256).fill(-1), tail = new Int32Array(256).fill(-1);
  const nc = ch === 1 ? 1 : 3;
  const diff = nc === 1
    ? (a: number, b: number): number => { const d = img[a] - img[b]; return d < 0 ? -d : d; }
    : (a: number, b: number): number => {
      const p = a * ch, q = b * ch;
      let d = img[p] - img[q]; if (d < 0) d = -d;
      let e = img[p + 1] - img[q + 1]; if (e < 0) e = -e;
      let f = img[p + 2] - img[q + 2]; if (f < 0) f = -f;
      return d > e ? (d > f ? d : f) : (e > f ? e : f);
    };
  const push = (level: number, i: number): void => {
    m[i] = -2;
    const t = tail[level];
    if (t < 0) head[level] = i; else m[t] = -3 - i;
    tail[level] = i;
  };
  for (let x = 0; x < w; x++) { m[x] = WSHED; m[(h - 1) * w + x] = WSHED; }
  for (let y = 1; y < h - 1; y++) {
    const o = y * w;
    m[o] = m[o + w - 1] = WSHED;
    for (let x = 1; x < w - 1; x++) {
      const i = o + x;
      if (m[i] < 0) m[i] = 0;
      if (m[i] === 0 && (m[i - 1] > 0 || m[i + 1] > 0 || m[i - w] > 0 || m[i + w] > 0)) {
        let best = 256;
        if (m[i - 1] > 0) best = diff(i, i - 1);
        if (m[i + 1] > 0) { const t = diff(i, i + 1); if (t < best) best = t; }
        if (m[i - w] > 0) { const t = diff(i, i - w); if (t < best) best = t; }
        if (m[i + w] > 0) { const t = diff(i, i + w); if (t < best) best = t; }
        push(best, i);
      }
    }
  }
  let active = 0;
  while (active < 256 && head[active] < 0) active++;
  if (active === 256) return m;
  const nb = [-1, 1, -w, w];
  for (;;) {
    if (head[active] < 0) {
      let q = active + 1;
      while (q < 256 && head[q] < 0) q++;
      if (q === 256) break;
      active = q;
    }
    const i = head[active];
    const link = m[i];
    head[active] = link === -2 ? -1 : -3 - link;
    if (head[active] < 0) tail[active] = -1;
    let lab = 0;
    for (let k = 0; k < 4; k++) {
      const t = m[i + nb[k]];
      if (t > 0) { if (lab === 0) lab = t; else if (t !== lab) lab = WSHED; }
    }
    m[i] = lab;
    if (lab === WSHED) continue;
    for (let k = 0; k < 4; k++) {
      const j = i + nb[k];
      if (m[j] !== 0) continue;
      let t: number;
      if (nc === 3) {
        const p = i * ch, q = j * ch;
        let d = img[p] - img[q]; if (d < 0) d = -d;
        let e = img[p + 1] - img[q + 1]; if (e < 0) e = -e;
        let f = img[p + 2] - img[q + 2]; if (f < 0) f = -f;
        t = d > e ? (d > f ? d : f) : (e > f ? e : f);
      } else { t = img[i] - img[j]; if (t < 0) t = -t; }
      m[j] = -2;
      const tl = tail[t];
      if (tl < 0) head[t] = j; else m[tl] = -3 - j;
      tail[t] = j;
      if (t < active) active = t;
    }
  }
  return m;
}
