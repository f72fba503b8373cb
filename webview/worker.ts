// Pixel worker: heavy per-pixel tools (magic wand, threshold preview) off the UI thread, on the
// image's RGBA bytes transferred once. Replies carry full-size 0/1 masks as transferred buffers.
import { floodFill } from '../src/algorithms/classical/floodFill';
import { toGray } from '../src/algorithms/classical/gray';
import { histogram, otsuLevel } from '../src/algorithms/classical/otsu';
import type { WorkerReply, WorkerRequest } from './workerProtocol';

interface Img { rgba: Uint8ClampedArray; width: number; height: number; gray: Uint8Array | null }
let img: Img | null = null;

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
  const r = floodFill({ data: im.rgba, width: im.width, height: im.height, channels: 4 }, { x, y, tolerance, connectivity: 4, value: 1 });
  reply({ id, ok: true, mask: r.mask, area: r.area });
}

function threshold(id: number, level: number | null, invert: boolean, rect: { x: number; y: number; w: number; h: number } | null): void {
  const im = need();
  const gray = (im.gray ??= toGray({ data: im.rgba, width: im.width, height: im.height, channels: 4 }));
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
        img = { rgba: m.rgba, width: m.width, height: m.height, gray: null };
        return;
      case 'wand':
        wand(m.id, m.x, m.y, m.tolerance);
        return;
      case 'threshold':
        threshold(m.id, m.level, m.invert, m.rect);
        return;
    }
  } catch (e) {
    if ('id' in m) reply({ id: m.id, ok: false, error: (e as Error).message });
  }
};
