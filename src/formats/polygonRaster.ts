// Polygon rasterisers of the readers the interchange formats are judged by. Pure.
//
// - frPoly: pycocotools' `rleFrPoly` (common/maskApi.c), ported operation for operation, so a COCO
//   polygon becomes exactly the mask `COCO.annToMask` gives: pixel (x, y) covers [x, x+1) x [y, y+1)
//   and is set when the polygon covers its centre, decided on a 5x upsampled boundary.
// - fillPil: PIL's `ImageDraw.polygon` as Pillow 9 fills it (labelme's `shape_to_mask`), with
//   PIL's truncation of float coordinates; on simple polygons it matched Debian's Pillow 9.4 on all
//   but about 0.01% of the pixels (a pixel at some vertices).
// - fillCentres: OpenCV's `fillPoly` on int32 vertices (ultralytics' `polygon2mask`) as far as
//   pixel centres go: vertex (x, y) is the centre of pixel (x, y); pixels whose centres lie inside
//   (even-odd) or on an edge are set. Identical on the axis-parallel and diagonal outlines that
//   trace.ts writes; on arbitrary polygons it may differ by a pixel at the boundary.

/**
 * pycocotools `rleFrPoly`: column-major RLE counts of the polygon `xy` = [x0, y0, x1, y1, ...]
 * (pixel-corner coordinates) over an image of width x height.
 */
export function frPoly(xy: ArrayLike<number>, height: number, width: number): number[] {
  const k = xy.length >> 1;
  if (k < 1) return [height * width];
  const scale = 5;
  const x = new Int32Array(k + 1), y = new Int32Array(k + 1);
  for (let j = 0; j < k; j++) x[j] = Math.trunc(scale * xy[j * 2] + 0.5);
  x[k] = x[0];
  for (let j = 0; j < k; j++) y[j] = Math.trunc(scale * xy[j * 2 + 1] + 0.5);
  y[k] = y[0];
  let m = 0;
  for (let j = 0; j < k; j++) m += Math.max(Math.abs(x[j] - x[j + 1]), Math.abs(y[j] - y[j + 1])) + 1;
  const u = new Int32Array(m), v = new Int32Array(m);
  m = 0;
  for (let j = 0; j < k; j++) {
    let xs = x[j], xe = x[j + 1], ys = y[j], ye = y[j + 1];
    const dx = Math.abs(xe - xs), dy = Math.abs(ys - ye);
    const flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
    if (flip) { let t = xs; xs = xe; xe = t; t = ys; ys = ye; ye = t; }
    const s = dx >= dy ? (ye - ys) / dx : (xe - xs) / dy;
    if (dx >= dy) {
      for (let d = 0; d <= dx; d++) { const t = flip ? dx - d : d; u[m] = t + xs; v[m] = Math.trunc(ys + s * t + 0.5); m++; }
    } else {
      for (let d = 0; d <= dy; d++) { const t = flip ? dy - d : d; v[m] = t + ys; u[m] = Math.trunc(xs + s * t + 0.5); m++; }
    }
  }
  // Points along the y-boundary, downsampled.
  const a: number[] = [];
  for (let j = 1; j < m; j++) {
    if (u[j] === u[j - 1]) continue;
    let xd = u[j] < u[j - 1] ? u[j] : u[j] - 1;
    xd = (xd + 0.5) / scale - 0.5;
    if (Math.floor(xd) !== xd || xd < 0 || xd > width - 1) continue;
    let yd = v[j] < v[j - 1] ? v[j] : v[j - 1];
    yd = (yd + 0.5) / scale - 0.5;
    if (yd < 0) yd = 0; else if (yd > height) yd = height;
    yd = Math.ceil(yd);
    a.push(xd * height + yd);
  }
  a.push(height * width);
  a.sort((p, q) => p - q);
  let prev = 0;
  for (let j = 0; j < a.length; j++) { const t = a[j]; a[j] -= prev; prev = t; }
  const b: number[] = [a[0]];
  let j = 1;
  while (j < a.length) {
    if (a[j] > 0) b.push(a[j++]);
    else { j++; if (j < a.length) b[b.length - 1] += a[j++]; }
  }
  return b;
}

/** Sets the pixels of a line between integer points (Bresenham, both ends included). */
function line(out: Uint8Array | Uint16Array, width: number, height: number, x0: number, y0: number, x1: number, y1: number, value: number): void {
  const dx = Math.abs(x1 - x0), dy = -Math.abs(y1 - y0);
  const sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
  let err = dx + dy, x = x0, y = y0;
  for (;;) {
    if (x >= 0 && y >= 0 && x < width && y < height) out[y * width + x] = value;
    if (x === x1 && y === y1) return;
    const e2 = 2 * err;
    if (e2 >= dy) { err += dy; x += sx; }
    if (e2 <= dx) { err += dx; y += sy; }
  }
}

/**
 * Draws polygons (flat [x0, y0, ...] in integer pixel-centre coordinates) into `out`
 * (row-major width x height) as `value`: centres inside by the even-odd rule across all rings
 * together, plus every edge. Rings with fewer than one point are ignored.
 */
export function fillCentres(rings: readonly (readonly number[])[], width: number, height: number, out: Uint8Array | Uint16Array, value = 1): void {
  if (out.length !== width * height) throw new RangeError(`output has ${out.length} values, expected ${width * height}`);
  const edges: number[] = [];
  let ymin = Infinity, ymax = -Infinity;
  for (const ring of rings) {
    const n = ring.length >> 1;
    for (let i = 0; i < n; i++) {
      const j = (i + 1) % n;
      const x0 = ring[2 * i], y0 = ring[2 * i + 1], x1 = ring[2 * j], y1 = ring[2 * j + 1];
      if (y0 !== y1) edges.push(x0, y0, x1, y1);
      ymin = Math.min(ymin, y0); ymax = Math.max(ymax, y0);
    }
  }
  const xs: number[] = [];
  const y0r = Math.max(0, Math.ceil(ymin)), y1r = Math.min(height - 1, Math.floor(ymax));
  for (let y = y0r; y <= y1r; y++) {
    xs.length = 0;
    for (let e = 0; e < edges.length; e += 4) {
      const ax = edges[e], ay = edges[e + 1], bx = edges[e + 2], by = edges[e + 3];
      // Half-open in y so that a vertex shared by two edges counts once.
      if ((ay <= y && y < by) || (by <= y && y < ay)) xs.push(ax + ((y - ay) * (bx - ax)) / (by - ay));
    }
    xs.sort((p, q) => p - q);
    const row = y * width;
    for (let i = 0; i + 1 < xs.length; i += 2) {
      const from = Math.max(0, Math.ceil(xs[i] - 1e-9)), to = Math.min(width - 1, Math.floor(xs[i + 1] + 1e-9));
      for (let x = from; x <= to; x++) out[row + x] = value;
    }
  }
  for (const ring of rings) {
    const n = ring.length >> 1;
    for (let i = 0; i < n; i++) {
      const j = (i + 1) % n;
      line(out, width, height, ring[2 * i], ring[2 * i + 1], ring[2 * j], ring[2 * j + 1], value);
    }
  }
}

const roundUp = (f: number): number => (f >= 0 ? Math.floor(f + 0.5) : -Math.floor(Math.abs(f) + 0.5));
const roundDown = (f: number): number => (f >= 0 ? Math.ceil(f - 0.5) : -Math.ceil(Math.abs(f) - 0.5));
/** C's roundf: halves away from zero. */
const roundf = (f: number): number => Math.fround(f >= 0 ? Math.floor(f + 0.5) : -Math.floor(-f + 0.5));

interface PilEdge { x0: number; y0: number; ymin: number; ymax: number; dx: number }

/**
 * A filled polygon as PIL's `ImageDraw.polygon(xy, fill=1, outline=1)` draws it (Pillow 9's
 * scanline fill, which labelme's `shape_to_mask` uses; with outline == fill no outline is drawn):
 * integer vertices; horizontal edges drawn as lines; per row, the float32 crossings of the other
 * edges, an edge ending on the row counted twice (except on the last row), a crossing at a sharp
 * corner widened to meet the next row ("connect discontiguous corners"); spans from
 * round-up(left) to round-down(right).
 */
export function fillPil(ring: readonly number[], width: number, height: number, out: Uint8Array | Uint16Array, value = 1): void {
  if (out.length !== width * height) throw new RangeError(`output has ${out.length} values, expected ${width * height}`);
  const f = Math.fround;
  const hline = (x0: number, y: number, x1: number): void => {
    if (y < 0 || y >= height) return;
    const a = Math.max(0, Math.min(x0, x1)), b = Math.min(width - 1, Math.max(x0, x1));
    for (let x = a; x <= b; x++) out[y * width + x] = value;
  };
  const n = ring.length >> 1;
  const edges: PilEdge[] = [];
  let ymin = height - 1, ymax = 0;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    const x0 = ring[2 * i], y0 = ring[2 * i + 1], x1 = ring[2 * j], y1 = ring[2 * j + 1];
    if (i === n - 1 && x0 === x1 && y0 === y1) break; // closing edge of a ring that repeats its start
    const lo = Math.min(y0, y1), hi = Math.max(y0, y1);
    if (ymin > lo) ymin = lo;
    if (ymax < hi) ymax = hi;
    if (y0 === y1) { hline(Math.min(x0, x1), y0, Math.max(x0, x1)); continue; }
    edges.push({ x0, y0, ymin: lo, ymax: hi, dx: f((x1 - x0) / (y1 - y0)) });
  }
  if (ymin < 0) ymin = 0;
  if (ymax > height) ymax = height;
  const at = (e: PilEdge, y: number): number => f(f((y - e.y0) * e.dx) + e.x0);
  const xs: number[] = [];
  for (let y = ymin; y <= ymax; y++) {
    xs.length = 0;
    for (let i = 0; i < edges.length; i++) {
      const e = edges[i];
      if (y < e.ymin || y > e.ymax) continue;
      xs.push(at(e, y));
      if (y === e.ymax && y < ymax) { xs.push(xs[xs.length - 1]); continue; }
      if ((y !== e.ymin && y !== e.ymax) || e.dx === 0) continue;
      for (let k = 0; k < i; k++) {
        const o = edges[k];
        if ((y !== o.ymin && y !== o.ymax) || o.dx === 0) continue;
        const last = xs[xs.length - 1];
        if (roundf(last) !== roundf(at(o, y))) continue;
        const yy = y + (y === e.ymax ? -1 : 1);
        if (yy < o.ymin || yy > o.ymax) continue;
        const adj = at(e, yy), adjOther = at(o, yy);
        if (last > adj + 1 && last > adjOther + 1) xs[xs.length - 1] = f(roundf(Math.max(adj, adjOther)) + 1);
        else if (last < adj - 1 && last < adjOther - 1) xs[xs.length - 1] = f(roundf(Math.min(adj, adjOther)) - 1);
        break;
      }
    }
    xs.sort((p, q) => p - q);
    for (let i = 1; i < xs.length; i += 2) hline(roundUp(xs[i - 1]), y, roundDown(xs[i]));
  }
}

/** How PIL's ImageDraw (Pillow 9, labelme's rasteriser) turns a float coordinate into a pixel: truncation. */
export function pilCoordinate(v: number): number {
  return Math.trunc(v);
}
