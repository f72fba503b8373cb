// Connected components of a binary mask (8-connected) for model post-processing, with per-component
// area, bounding box, boundary length and mean score. Labelling is the classical toolkit's. Pure.
import { connectedComponents } from '../classical/connectedComponents';

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
  const { labels, count, stats } = connectedComponents({ data: mask, width, height }, { connectivity: 8 });
  const perim = new Int32Array(count + 1);
  const sum = new Float64Array(count + 1);
  for (let y = 0, p = 0; y < height; y++) {
    for (let x = 0; x < width; x++, p++) {
      const l = labels[p];
      if (!l) continue;
      if (score) sum[l] += score[p];
      perim[l] += (x === 0 || !mask[p - 1] ? 1 : 0) + (x === width - 1 || !mask[p + 1] ? 1 : 0)
        + (y === 0 || !mask[p - width] ? 1 : 0) + (y === height - 1 || !mask[p + width] ? 1 : 0);
    }
  }
  const st = stats!;
  const components: Component[] = [];
  for (let l = 1; l <= count; l++) {
    components.push({ label: l, area: st.area[l], x0: st.x0[l], y0: st.y0[l], x1: st.x1[l] + 1, y1: st.y1[l] + 1, perimeter: perim[l], meanScore: score ? sum[l] / st.area[l] : 0 });
  }
  return { labels, components };
}
