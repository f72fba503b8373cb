// Round brush rasterised in image coordinates: a stroke segment is the capsule swept by the
// brush disc between two pointer positions, so fast drags leave no gaps. Pure.
import type { SpanVisitor } from './spans';

/**
 * Where a brush of `size` pixels is centred for a pointer at image point p: odd sizes snap to the
 * pixel centre, even sizes to the nearest pixel corner, so a stamp covers a symmetric block
 * (size 1 = exactly one pixel, size 2 = 2x2).
 */
export function brushCentre(size: number, px: number, py: number): { x: number; y: number } {
  return size % 2 === 1 ? { x: Math.floor(px) + 0.5, y: Math.floor(py) + 0.5 } : { x: Math.round(px), y: Math.round(py) };
}

/**
 * Visits the pixels whose centres lie within size/2 of the segment (ax,ay)-(bx,by) (already
 * snapped with brushCentre), clipped to a width x height image, one span per row.
 * Returns the covered rect, or null when nothing is inside the image.
 */
export function rasterSegment(ax: number, ay: number, bx: number, by: number, size: number, width: number, height: number, visit: SpanVisitor): { x: number; y: number; w: number; h: number } | null {
  if (!Number.isInteger(size) || size < 1 || size > 1024) throw new RangeError(`brush size ${size} must be an integer 1..1024`);
  for (const [k, v] of [['ax', ax], ['ay', ay], ['bx', bx], ['by', by]] as const) {
    if (!Number.isFinite(v)) throw new RangeError(`brush point ${k}=${v} is not finite`);
  }
  const r = size / 2, r2 = r * r + 1e-9;
  const y0 = Math.max(0, Math.floor(Math.min(ay, by) - r)), y1 = Math.min(height - 1, Math.ceil(Math.max(ay, by) + r));
  const xl = Math.max(0, Math.floor(Math.min(ax, bx) - r)), xr = Math.min(width - 1, Math.ceil(Math.max(ax, bx) + r));
  if (y0 > y1 || xl > xr) return null;
  const dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
  const inside = (x: number, y: number): boolean => {
    const cx = x + 0.5, cy = y + 0.5;
    let t = len2 > 0 ? ((cx - ax) * dx + (cy - ay) * dy) / len2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    const ex = cx - (ax + t * dx), ey = cy - (ay + t * dy);
    return ex * ex + ey * ey <= r2;
  };
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let y = y0; y <= y1; y++) {
    // The capsule is convex: each row's covered pixels form one run.
    let s = -1;
    for (let x = xl; x <= xr; x++) if (inside(x, y)) { s = x; break; }
    if (s < 0) continue;
    let e = s;
    for (let x = xr; x > s; x--) if (inside(x, y)) { e = x; break; }
    visit(y, s, e + 1);
    if (s < minX) minX = s;
    if (e > maxX) maxX = e;
    if (y < minY) minY = y;
    maxY = y;
  }
  return minX === Infinity ? null : { x: minX, y: minY, w: maxX - minX + 1, h: maxY - minY + 1 };
}
