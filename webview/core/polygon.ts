// Polygon (lasso) fill: even-odd scanline fill sampled at pixel centres. Pure.
import type { SpanVisitor } from './spans';

/**
 * Fills the closed polygon `points` ([x0, y0, x1, y1, ...] in image coordinates): a pixel is
 * inside when its centre is (even-odd rule). Clipped to width x height. Needs >= 3 points.
 */
export function fillPolygon(points: readonly number[], width: number, height: number, visit: SpanVisitor): void {
  const n = points.length >> 1;
  if (points.length % 2 !== 0 || n < 3) throw new RangeError(`polygon needs at least 3 points as x,y pairs (got ${points.length} numbers)`);
  let minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const y = points[2 * i + 1];
    if (!Number.isFinite(y) || !Number.isFinite(points[2 * i])) throw new RangeError(`polygon point ${i} is not finite`);
    minY = Math.min(minY, y); maxY = Math.max(maxY, y);
  }
  const ys = Math.max(0, Math.ceil(minY - 0.5)), ye = Math.min(height - 1, Math.floor(maxY - 0.5));
  const xs: number[] = [];
  for (let y = ys; y <= ye; y++) {
    const cy = y + 0.5;
    xs.length = 0;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const yi = points[2 * i + 1], yj = points[2 * j + 1];
      if ((yi > cy) !== (yj > cy)) {
        const xi = points[2 * i], xj = points[2 * j];
        xs.push(xi + ((cy - yi) * (xj - xi)) / (yj - yi));
      }
    }
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      // Pixels x with xs[k] <= x + 0.5 < xs[k + 1].
      const x0 = Math.max(0, Math.ceil(xs[k] - 0.5)), x1 = Math.min(width, Math.ceil(xs[k + 1] - 0.5));
      if (x1 > x0) visit(y, x0, x1);
    }
  }
}
