// Pixel worker: heavy per-pixel tools (magic wand, threshold preview) off the UI thread. It gets
// the image as an ImageBitmap (transferred) and reads what a tool needs from it, a strip of rows at
// a time: the gray image (threshold, edge fill) never holds the RGBA bytes; the RGBA bytes (wand,
// watershed, k-means) are read once and kept. The bitmap is closed once read (at 8192^2 it is
// 256 MiB): a tool that later needs what was not read answers needImage and gets a new one.
// Replies carry full-size 0/1 masks as transferred buffers.
import { floodFill } from '../src/algorithms/classical/floodFill';
import { toGray } from '../src/algorithms/classical/gray';
import { histogram, otsuLevel } from '../src/algorithms/classical/otsu';
import { canny } from '../src/algorithms/classical/canny';
import { watershed } from '../src/algorithms/classical/watershed';
import { kmeans } from '../src/algorithms/classical/kmeans';
import type { WorkerReply, WorkerRequest } from './workerProtocol';

interface Img { bitmap: ImageBitmap | null; rgba: Uint8ClampedArray | null; width: number; height: number; gray: Uint8Array | null; edges: Uint8Array | null; clusters: Map<number, Uint8Array> }
let img: Img | null = null;

/** Rows read from the bitmap per strip (8192 px wide: 16 MiB of RGBA). */
const STRIP_ROWS = 512;

/** Thrown when a tool needs pixels and the bitmap was closed: the editor sends the image again. */
class NeedImage extends Error {}

/** Calls fn with the RGBA bytes of each strip of rows y..y+h-1 of the bitmap, top to bottom, then closes the bitmap. */
function eachStrip(im: Img, fn: (rgba: Uint8ClampedArray, y: number, h: number) => void): void {
  const bitmap = im.bitmap;
  if (!bitmap) throw new NeedImage('the image was released; it is sent again');
  const W = im.width, rows = Math.min(STRIP_ROWS, im.height);
  const ctx = new OffscreenCanvas(W, rows).getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D canvas in the pixel worker to read the image');
  for (let y = 0; y < im.height; y += rows) {
    const h = Math.min(rows, im.height - y);
    ctx.clearRect(0, 0, W, rows);
    ctx.drawImage(bitmap, 0, y, W, h, 0, 0, W, h);
    fn(ctx.getImageData(0, 0, W, h).data, y, h);
  }
  bitmap.close();
  im.bitmap = null;
}

function rgbaOf(im: Img): Uint8ClampedArray {
  if (!im.rgba) {
    const rgba = new Uint8ClampedArray(im.width * im.height * 4);
    eachStrip(im, (s, y) => rgba.set(s, y * im.width * 4));
    im.rgba = rgba;
  }
  return im.rgba;
}

function reply(r: WorkerReply): void {
  if (r.ok) (self as unknown as Worker).postMessage(r, [r.mask.buffer]);
  else (self as unknown as Worker).postMessage(r);
}

function need(): Img {
  if (!img) throw new Error('the image pixels have not reached the worker yet');
  return img;
}

function wand(id: number, x: number, y: number, tolerance: number): void {
  const im = need();
  const r = floodFill({ data: rgbaOf(im), width: im.width, height: im.height, channels: 4 }, { x, y, tolerance, connectivity: 4, value: 1 });
  reply({ id, ok: true, mask: r.mask, area: r.area });
}

function grayOf(im: Img): Uint8Array {
  if (!im.gray) {
    const W = im.width, gray = new Uint8Array(W * im.height);
    if (im.rgba) toGray({ data: im.rgba, width: W, height: im.height, channels: 4 }, { out: gray });
    else eachStrip(im, (s, y, h) => toGray({ data: s, width: W, height: h, channels: 4 }, { out: gray.subarray(y * W, (y + h) * W) }));
    im.gray = gray;
  }
  return im.gray;
}

function edgeFill(id: number, x: number, y: number): void {
  const im = need();
  const edges = (im.edges ??= canny({ data: grayOf(im), width: im.width, height: im.height }, { low: 50, high: 150 }));
  if (edges[y * im.width + x]) throw new Error(`the click at ${x},${y} is on an edge; click inside a region`);
  const r = floodFill({ data: edges, width: im.width, height: im.height, channels: 1 }, { x, y, tolerance: 0, connectivity: 4, value: 1 });
  reply({ id, ok: true, mask: r.mask, area: r.area });
}

function seeded(id: number, seeds: Int32Array): void {
  const im = need();
  const W = im.width, H = im.height;
  if (seeds.length % 3 !== 0 || seeds.length === 0) throw new Error('seeds must be x, y, label triples');
  const markers = new Int32Array(W * H);
  for (let i = 0; i < seeds.length; i += 3) {
    const sx = seeds[i], sy = seeds[i + 1], label = seeds[i + 2];
    if (label !== 1 && label !== 2) throw new Error(`seed label ${label} must be 1 (object) or 2 (background)`);
    // A 5x5 seed block, clipped to the image.
    for (let y = Math.max(0, sy - 2); y <= Math.min(H - 1, sy + 2); y++) for (let x = Math.max(0, sx - 2); x <= Math.min(W - 1, sx + 2); x++) markers[y * W + x] = label;
  }
  const labels = watershed({ data: rgbaOf(im), width: W, height: H, channels: 4 }, markers, { out: markers });
  const mask = new Uint8Array(W * H);
  let area = 0;
  for (let i = 0; i < W * H; i++) if (labels[i] === 1) { mask[i] = 1; area++; }
  reply({ id, ok: true, mask, area });
}

function cluster(id: number, k: number, x: number, y: number): void {
  const im = need();
  if (!Number.isInteger(k) || k < 2 || k > 16) throw new Error(`k ${k} must be an integer 2..16`);
  let labels = im.clusters.get(k);
  if (!labels) {
    labels = kmeans({ data: rgbaOf(im), width: im.width, height: im.height, channels: 4 }, { k, seed: 1 }).labels;
    im.clusters.set(k, labels);
  }
  const c = labels[y * im.width + x];
  const mask = new Uint8Array(labels.length);
  let area = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === c) { mask[i] = 1; area++; }
  reply({ id, ok: true, mask, area });
}

function threshold(id: number, level: number | null, invert: boolean, rect: { x: number; y: number; w: number; h: number } | null): void {
  const im = need();
  const gray = grayOf(im);
  const W = im.width;
  const r = rect ?? { x: 0, y: 0, w: W, h: im.height };
  if (r.w < 1 || r.h < 1 || r.x < 0 || r.y < 0 || r.x + r.w > W || r.y + r.h > im.height) throw new Error(`threshold rect ${r.x},${r.y} ${r.w}x${r.h} is outside the image`);
  let t = level;
  if (t === null) {
    const sub = new Uint8Array(r.w * r.h);
    for (let y = 0; y < r.h; y++) sub.set(gray.subarray((r.y + y) * W + r.x, (r.y + y) * W + r.x + r.w), y * r.w);
    t = otsuLevel(histogram({ data: sub, width: r.w, height: r.h }));
  }
  if (!Number.isInteger(t) || t < 0 || t > 255) throw new Error(`threshold level ${t} must be an integer 0..255`);
  const mask = new Uint8Array(W * im.height);
  let area = 0;
  for (let y = r.y; y < r.y + r.h; y++) {
    for (let i = y * W + r.x, e = i + r.w; i < e; i++) {
      if ((gray[i] > t) !== invert) { mask[i] = 1; area++; }
    }
  }
  reply({ id, ok: true, mask, area, level: t });
}

self.onmessage = (ev: MessageEvent<WorkerRequest>) => {
  const m = ev.data;
  try {
    switch (m.type) {
      case 'image':
        img?.bitmap?.close();
        // The same image again (after a release) keeps what was read from it.
        if (img && img.width === m.width && img.height === m.height) img.bitmap = m.bitmap;
        else img = { bitmap: m.bitmap, rgba: null, width: m.width, height: m.height, gray: null, edges: null, clusters: new Map() };
        return;
      case 'wand':
        wand(m.id, m.x, m.y, m.tolerance);
        return;
      case 'threshold':
        threshold(m.id, m.level, m.invert, m.rect);
        return;
      case 'edgefill':
        edgeFill(m.id, m.x, m.y);
        return;
      case 'watershed':
        seeded(m.id, m.seeds);
        return;
      case 'kmeans':
        cluster(m.id, m.k, m.x, m.y);
        return;
    }
  } catch (e) {
    if ('id' in m) reply({ id: m.id, ok: false, error: (e as Error).message, ...(e instanceof NeedImage ? { needImage: true } : {}) });
  }
};
