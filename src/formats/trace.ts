// Instances of a label map as polygons: every part (8-connected component) with its outer boundary
// and its holes. Two coordinate conventions, one per family of readers:
// - corner: vertices on pixel corners (pixel (x, y) covers [x, x+1) x [y, y+1)); the shoelace area
//   equals the pixel count and pycocotools' frPoly gives the pixels back (COCO polygons);
// - centre: vertices on pixel centres, through the outermost pixels of the object (labelme, whose
//   PIL rasteriser and ultralytics' int32 cv2.fillPoly both fill centres on or inside the outline).
// Pure; built on the toolkit's contour tracer.
import { contours } from '../algorithms/classical/contours';

export interface Box { x0: number; y0: number; x1: number; y1: number }

export interface PolygonPart {
  /** Outer ring, flat [x0, y0, x1, y1, ...], clockwise on screen. */
  outer: number[];
  holes: number[][];
}

/** Inclusive bounding box of every nonzero label of a row-major map, in one pass. */
export function labelBoxes(map: ArrayLike<number>, width: number, height: number): Map<number, Box> {
  const boxes = new Map<number, Box>();
  let cur = 0;
  let box: Box | undefined;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const v = map[row + x];
      if (v === 0) continue;
      if (v !== cur || !box) { cur = v; box = boxes.get(v); if (!box) { box = { x0: x, y0: y, x1: x, y1: y }; boxes.set(v, box); } }
      if (x < box.x0) box.x0 = x;
      if (x > box.x1) box.x1 = x;
      if (y > box.y1) box.y1 = y;
    }
  }
  return boxes;
}

/** Polygons (corner coordinates) of the pixels of `map` equal to `value` inside `box`. */
export function traceCorners(map: ArrayLike<number>, width: number, value: number, box: Box): PolygonPart[] {
  const w = box.x1 - box.x0 + 1, h = box.y1 - box.y0 + 1;
  const crop = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const src = (box.y0 + y) * width + box.x0;
    for (let x = 0; x < w; x++) if (map[src + x] === value) crop[y * w + x] = 1;
  }
  const shift = (ring: number[]): number[] => ring.map((v, i) => v + (i % 2 === 0 ? box.x0 : box.y0));
  return contours({ data: crop, width: w, height: h })
    .filter((p) => p.outer.length > 0)
    .map((p) => ({ outer: shift(p.outer), holes: p.holes.map(shift) }));
}

/** Removes consecutive duplicates and collinear vertices of a closed flat ring (in place semantics, new array). */
export function simplifyRing(ring: readonly number[]): number[] {
  let pts: number[] = [];
  for (let i = 0; i < ring.length; i += 2) {
    const n = pts.length;
    if (n >= 2 && pts[n - 2] === ring[i] && pts[n - 1] === ring[i + 1]) continue;
    pts.push(ring[i], ring[i + 1]);
  }
  if (pts.length >= 4 && pts[0] === pts[pts.length - 2] && pts[1] === pts[pts.length - 1]) pts.length -= 2;
  // Drop vertices on the straight line from their predecessor to their successor (same direction).
  let changed = true;
  while (changed && pts.length > 4) {
    changed = false;
    const out: number[] = [];
    const n = pts.length >> 1;
    for (let i = 0; i < n; i++) {
      const p = (i + n - 1) % n, q = (i + 1) % n;
      const ax = pts[2 * i] - pts[2 * p], ay = pts[2 * i + 1] - pts[2 * p + 1];
      const bx = pts[2 * q] - pts[2 * i], by = pts[2 * q + 1] - pts[2 * i + 1];
      if (ax * by - ay * bx === 0 && ax * bx + ay * by > 0) { changed = true; continue; }
      out.push(pts[2 * i], pts[2 * i + 1]);
    }
    pts = out;
  }
  return pts;
}

/**
 * A corner-coordinate ring (rectilinear, foreground on the right of each edge) moved half a pixel
 * into the foreground: the ring through the centres of its boundary pixels, in pixel-centre
 * coordinates. `isSet(x, y)` tells whether a pixel belongs to the object; where two parts touch
 * only diagonally the ring passes from one pixel centre to the other instead of cutting the corner.
 */
export function insetToCentres(ring: readonly number[], isSet: (x: number, y: number) => boolean): number[] {
  const n = ring.length >> 1;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = (i + n - 1) % n, q = (i + 1) % n;
    const vx = ring[2 * i], vy = ring[2 * i + 1];
    const d1x = Math.sign(vx - ring[2 * p]), d1y = Math.sign(vy - ring[2 * p + 1]);
    const d2x = Math.sign(ring[2 * q] - vx), d2y = Math.sign(ring[2 * q + 1] - vy);
    if (d1x === d2x && d1y === d2y) continue;
    // Right-hand normals (screen coordinates, y down): (dx, dy) -> (-dy, dx).
    const n1x = -d1y, n1y = d1x, n2x = -d2y, n2y = d2x;
    const cx = vx + 0.5 * (n1x + n2x) - 0.5, cy = vy + 0.5 * (n1y + n2y) - 0.5;
    const leftTurn = d1x * d2y - d1y * d2x < 0;
    if (leftTurn && !isSet(cx, cy)) {
      // A saddle: the two pixels meet at this corner only. Go from one centre to the other.
      out.push(vx - 0.5 * d1x + 0.5 * n1x - 0.5, vy - 0.5 * d1y + 0.5 * n1y - 0.5);
      out.push(vx + 0.5 * d2x + 0.5 * n2x - 0.5, vy + 0.5 * d2y + 0.5 * n2y - 0.5);
    } else out.push(cx, cy);
  }
  return simplifyRing(out);
}

/** Pads a ring that collapsed to one or two points (a dot, a one-pixel line) to three points. */
export function atLeastThree(ring: readonly number[]): number[] {
  if (ring.length >= 6) return [...ring];
  if (ring.length === 4) return [ring[0], ring[1], ring[2], ring[3], ring[0], ring[1]];
  return [ring[0], ring[1], ring[0], ring[1], ring[0], ring[1]];
}

/** Corner polygons and their centre versions for one label of a map. */
export function traceCentres(map: ArrayLike<number>, width: number, height: number, value: number, box: Box): PolygonPart[] {
  const isSet = (x: number, y: number): boolean => x >= 0 && y >= 0 && x < width && y < height && map[y * width + x] === value;
  return traceCorners(map, width, value, box).map((p) => ({
    outer: insetToCentres(p.outer, isSet),
    holes: p.holes.map((h) => insetToCentres(h, isSet)),
  }));
}
