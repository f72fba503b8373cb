// Pixel spans: the common output of the rasterisers (brush, polygon, flood fill, wand). Pure.

/** Called once per covered run of pixels: row y, columns x0 (inclusive) .. x1 (exclusive). */
export type SpanVisitor = (y: number, x0: number, x1: number) => void;

/** Collects spans as flat [y, x0, x1, ...] triples (for tests and for worker replies). */
export function collectSpans(): { visit: SpanVisitor; spans: number[] } {
  const spans: number[] = [];
  return { spans, visit: (y, x0, x1) => { spans.push(y, x0, x1); } };
}

/** Replays flat span triples. */
export function replaySpans(spans: ArrayLike<number>, visit: SpanVisitor): void {
  for (let i = 0; i + 2 < spans.length; i += 3) visit(spans[i], spans[i + 1], spans[i + 2]);
}

/** Bounding rect of flat spans, or null for none. */
export function spansBounds(spans: ArrayLike<number>): { x: number; y: number; w: number; h: number } | null {
  if (spans.length < 3) return null;
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let i = 0; i + 2 < spans.length; i += 3) {
    y0 = Math.min(y0, spans[i]); y1 = Math.max(y1, spans[i] + 1);
    x0 = Math.min(x0, spans[i + 1]); x1 = Math.max(x1, spans[i + 2]);
  }
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}
