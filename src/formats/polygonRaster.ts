// Polygon rasterisers of the readers the interchange formats are judged by. Pure.
//
// - frPoly: pycocotools' `rleFrPoly` (common/maskApi.c), ported operation for operation, so a COCO
//   polygon becomes exactly the mask `COCO.annToMask` gives: pixel (x, y) covers [x, x+1) x [y, y+1)
//   and is set when the polygon covers its centre, decided on a 5x upsampled boundary.
// - fillCentres: the rule of PIL's `ImageDraw.polygon(outline=1, fill=1)` (labelme's
//   `shape_to_mask`) and OpenCV's `fillPoly` on int32 vertices (ultralytics' `polygon2mask`):
//   vertex (x, y) is the centre of pixel (x, y); pixels whose centres lie inside (even-odd) or on an
//   edge are set. Identical to those readers on the axis-parallel and diagonal outlines that
//   trace.ts writes; on arbitrary polygons they may differ by a pixel at the boundary.

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
 * Draws polygons (flat [x0, y0, ...] in pixel-centre coordinates, rounded to integers) into `out`
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

/** PIL's coordinate rounding (half away from zero), which labelme's rasteriser applies to points. */
export function roundHalfAway(v: number): number {
  return v >= 0 ? Math.floor(v + 0.5) : -Math.floor(-v + 0.5);
}
