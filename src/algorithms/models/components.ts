// Connected components of a binary mask (8-connected), with per-component area, bounding box,
// boundary length and mean score. Minimal labelling kept here so model post-processing does not
// depend on the classical toolkit. Pure.

export interface Component {
  /** 1-based label in `labels`. */
  readonly label: number;
  readonly area: number;
  readonly x0: number;
  readonly y0: number;
  /** Exclusive. */
  readonly x1: number;
  readonly y1: number;
  /** Number of pixel edges between the component and the outside (4-neighbour), i.e. its perimeter. */
  readonly perimeter: number;
  /** Mean of `score` over the component's pixels (0 when no score map is given). */
  readonly meanScore: number;
}

/** Labels the non-zero pixels of `mask` (w*h) with 8-connectivity. `labels` gets 0 for background. */
export function labelComponents(mask: Uint8Array, width: number, height: number, score?: Float32Array): { labels: Int32Array; components: Component[] } {
  if (mask.length !== width * height) throw new Error(`mask has ${mask.length} values, expected ${width}x${height}`);
  const labels = new Int32Array(width * height);
  const stack = new Int32Array(width * height);
  const components: Component[] = [];
  let next = 1;
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || labels[start]) continue;
    const label = next++;
    let sp = 0, area = 0, perim = 0, sum = 0;
    let x0 = width, y0 = height, x1 = 0, y1 = 0;
    stack[sp++] = start;
    labels[start] = label;
    while (sp > 0) {
      const p = stack[--sp];
      const x = p % width, y = (p - x) / width;
      area++;
      if (score) sum += score[p];
      if (x < x0) x0 = x;
      if (x >= x1) x1 = x + 1;
      if (y < y0) y0 = y;
      if (y >= y1) y1 = y + 1;
      if (x === 0 || !mask[p - 1]) perim++;
      if (x === width - 1 || !mask[p + 1]) perim++;
      if (y === 0 || !mask[p - width]) perim++;
      if (y === height - 1 || !mask[p + width]) perim++;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          const q = yy * width + xx;
          if (mask[q] && !labels[q]) { labels[q] = label; stack[sp++] = q; }
        }
      }
    }
    components.push({ label, area, x0, y0, x1, y1, perimeter: perim, meanScore: score ? sum / area : 0 });
  }
  return { labels, components };
}
