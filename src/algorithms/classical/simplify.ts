// Douglas-Peucker simplification of a closed ring (like OpenCV approxPolyDP with closed=true):
// every removed vertex lies within `epsilon` of the simplified ring's edge that replaces it.
import { numOption } from './image';

function segDist2(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const ex = ax + t * dx - px, ey = ay + t * dy - py;
  return ex * ex + ey * ey;
}

/** Simplifies a flat closed ring [x0, y0, ...]; keeps at least 3 vertices when it has them. */
export function simplifyPolygon(ring: readonly number[], epsilon = 1): number[] {
  numOption(epsilon, 1, 0, 1e9, 'epsilon');
  if (ring.length % 2 !== 0) throw new RangeError(`ring: expected an even number of coordinates, got ${ring.length}`);
  const n = ring.length / 2;
  if (n <= 3) return ring.slice();
  // Split the ring at vertex 0 and the vertex farthest from it; simplify both open chains.
  let far = 1, best = -1;
  for (let i = 1; i < n; i++) {
    const dx = ring[2 * i] - ring[0], dy = ring[2 * i + 1] - ring[1], d = dx * dx + dy * dy;
    if (d > best) { best = d; far = i; }
  }
  const keep = new Uint8Array(n);
  keep[0] = keep[far] = 1;
  const eps2 = epsilon * epsilon;
  const stack: number[] = [0, far, far, n];
  while (stack.length) {
    const b = stack.pop() as number, a = stack.pop() as number;
    const bi = b % n;
    let idx = -1, dmax = eps2;
    for (let i = a + 1; i < b; i++) {
      const d = segDist2(ring[2 * i], ring[2 * i + 1], ring[2 * a], ring[2 * a + 1], ring[2 * bi], ring[2 * bi + 1]);
      if (d > dmax) { dmax = d; idx = i; }
    }
    if (idx >= 0) { keep[idx] = 1; stack.push(a, idx, idx, b); }
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) out.push(ring[2 * i], ring[2 * i + 1]);
  return out;
}
