// Mask -> polygons with holes. Boundaries follow pixel edges (vertices on pixel corners), so a
// polygon's area (shoelace) equals its pixel count exactly and rasterising it at pixel centres
// gives the mask back. Outer rings run clockwise on screen (positive shoelace area with y down),
// holes counter-clockwise. Foreground is 8-connected (diagonal neighbours share one polygon),
// background 4-connected. Collinear vertices are dropped; see simplifyPolygon for fewer points.
import { checkGray } from './image';
import { connectedComponents } from './connectedComponents';

export interface Polygon {
  /** Component label (1..count, raster order as connectedComponents with connectivity 8). */
  label: number;
  /** Outer ring, flat [x0, y0, x1, y1, ...] in pixel-corner coordinates. */
  outer: number[];
  /** Hole rings, same layout. */
  holes: number[][];
}

const RIGHT = 1, DOWN = 2, LEFT = 4, UP = 8;
const DX: Record<number, number> = { [RIGHT]: 1, [DOWN]: 0, [LEFT]: -1, [UP]: 0 };
const DY: Record<number, number> = { [RIGHT]: 0, [DOWN]: 1, [LEFT]: 0, [UP]: -1 };
/** Direction after a left turn on screen (y down): right -> up -> left -> down -> right. */
const TURN_LEFT: Record<number, number> = { [RIGHT]: UP, [UP]: LEFT, [LEFT]: DOWN, [DOWN]: RIGHT };

/** Signed shoelace area of a flat ring (positive = clockwise on screen). */
export function ringArea(ring: readonly number[]): number {
  let s = 0;
  for (let i = 0, n = ring.length; i < n; i += 2) {
    const j = (i + 2) % n;
    s += ring[i] * ring[j + 1] - ring[j] * ring[i + 1];
  }
  return s / 2;
}

/** Polygons (with holes) of the nonzero pixels of a mask, one per 8-connected component. */
export function contours(mask: { data: Uint8Array | Uint8ClampedArray; width: number; height: number }): Polygon[] {
  checkGray(mask, 'mask');
  const { width: w, height: h, data } = mask;
  const { labels, count } = connectedComponents(mask, { connectivity: 8, stats: false });
  const vw = w + 1;
  const edges = new Uint8Array(vw * (h + 1));
  const fg = (x: number, y: number): boolean => x >= 0 && y >= 0 && x < w && y < h && data[y * w + x] !== 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!data[y * w + x]) continue;
      if (!fg(x, y - 1)) edges[y * vw + x] |= RIGHT; // top edge, left to right
      if (!fg(x + 1, y)) edges[y * vw + x + 1] |= DOWN; // right edge, downwards
      if (!fg(x, y + 1)) edges[(y + 1) * vw + x + 1] |= LEFT; // bottom edge, right to left
      if (!fg(x - 1, y)) edges[(y + 1) * vw + x] |= UP; // left edge, upwards
    }
  }
  const polys: Polygon[] = [];
  for (let l = 1; l <= count; l++) polys.push({ label: l, outer: [], holes: [] });
  for (let v = 0; v < edges.length; v++) {
    while (edges[v]) {
      const startBits = edges[v];
      const startDir = startBits & -startBits;
      // The foreground pixel to the right of the first edge tells which component the ring bounds.
      const sx = v % vw, sy = (v - sx) / vw;
      const px = startDir === RIGHT ? sx : startDir === DOWN ? sx - 1 : startDir === LEFT ? sx - 1 : sx;
      const py = startDir === RIGHT ? sy : startDir === DOWN ? sy : startDir === LEFT ? sy - 1 : sy - 1;
      const label = labels[py * w + px];
      const ring: number[] = [];
      let x = sx, y = sy, dir = startDir, prevDir = 0;
      for (;;) {
        edges[y * vw + x] &= ~dir;
        if (dir !== prevDir) ring.push(x, y);
        prevDir = dir;
        x += DX[dir]; y += DY[dir];
        const atStart = x === sx && y === sy;
        const bits = edges[y * vw + x] | (atStart ? startDir : 0);
        if (bits === 0) throw new Error(`contours: open boundary at (${x}, ${y})`);
        // Two ways out only at a saddle (diagonal pixels): turn left to keep them together.
        const next = (bits & (bits - 1)) === 0 ? bits : TURN_LEFT[dir];
        if (atStart && next === startDir) break;
        dir = next;
      }
      if (prevDir === startDir) ring.splice(0, 2); // the start vertex lies mid-edge
      const poly = polys[label - 1];
      if (ringArea(ring) > 0) poly.outer = ring; else poly.holes.push(ring);
    }
  }
  return polys;
}
