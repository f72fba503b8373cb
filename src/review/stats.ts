// Dataset statistics (pure): per class the pixel count, the images it occurs in and its instances;
// images per review status; a histogram of instance sizes (log2 bins). Fed one image at a time.
import type { ReviewStatus } from '../shared/sidecar';
import type { SemanticIds } from '../shared/maskModel';

export interface ClassStats {
  readonly pixels: number;
  readonly images: number;
  readonly instances: number;
}

/** Instance sizes in pixels: bin k counts instances of 2^k .. 2^(k+1)-1 pixels. */
export interface SizeBin { readonly min: number; readonly max: number; readonly count: number }

export interface DatasetStats {
  readonly images: number;
  /** Images whose masks could be read (the others are listed in `problems`). */
  readonly labelled: number;
  readonly status: Record<ReviewStatus, number>;
  /** By class id; name from the dataset config where known. */
  readonly classes: Record<string, ClassStats & { name?: string }>;
  readonly instanceSizes: SizeBin[];
  readonly totalPixels: number;
  readonly totalInstances: number;
  readonly problems: Array<{ image: string; message: string }>;
}

const BINS = 33;
/** Class ids counted: every value a 16-bit semantic mask can hold. */
const IDS = 65536;

export class StatsAccumulator {
  private readonly pixels = new Float64Array(IDS);
  private readonly images = new Float64Array(IDS);
  private readonly instances = new Float64Array(IDS);
  private readonly sizes = new Float64Array(BINS);
  private readonly status: Record<ReviewStatus, number> = { unlabelled: 0, draft: 0, edited: 0, reviewed: 0 };
  private readonly problems: Array<{ image: string; message: string }> = [];
  private count = 0;
  private labelled = 0;
  private totalPixels = 0;
  private totalInstances = 0;
  /** Scratch buffers reused across images. */
  private readonly hist = new Float64Array(IDS);
  private readonly instPixels = new Uint32Array(65536);
  private readonly instClass = new Int32Array(65536);

  /** An image without readable masks (unlabelled, or a problem to report). */
  addStatusOnly(status: ReviewStatus, problem?: { image: string; message: string }): void {
    this.count++;
    this.status[status]++;
    if (problem) this.problems.push(problem);
  }

  addProblem(problem: { image: string; message: string }): void {
    this.problems.push(problem);
  }

  /** One image's maps (instances null: no instance map). */
  addImage(status: ReviewStatus, semantic: SemanticIds, instances: Uint16Array | null, ignoreIndex: number): void {
    this.count++;
    this.labelled++;
    this.status[status]++;
    const h = this.hist;
    const ids = semantic instanceof Uint16Array ? IDS : 256;
    h.fill(0, 0, ids);
    for (let i = 0; i < semantic.length; i++) h[semantic[i]]++;
    for (let c = 0; c < ids; c++) {
      if (h[c] === 0 || c === ignoreIndex) continue;
      this.pixels[c] += h[c];
      this.images[c]++;
    }
    this.totalPixels += semantic.length;
    if (!instances) return;
    const n = this.instPixels, cls = this.instClass;
    const seen: number[] = [];
    for (let i = 0; i < instances.length; i++) {
      const id = instances[i];
      if (id === 0) continue;
      if (n[id] === 0) { seen.push(id); cls[id] = semantic[i]; }
      n[id]++;
    }
    for (const id of seen) {
      const c = cls[id];
      if (c !== ignoreIndex) this.instances[c]++;
      this.sizes[Math.min(BINS - 1, Math.floor(Math.log2(n[id])))]++;
      this.totalInstances++;
      n[id] = 0;
    }
  }

  result(names: ReadonlyMap<number, string> = new Map()): DatasetStats {
    const classes: DatasetStats['classes'] = {};
    for (let c = 0; c < IDS; c++) {
      if (this.images[c] === 0 && this.instances[c] === 0 && !names.has(c)) continue;
      const name = names.get(c);
      classes[String(c)] = { pixels: this.pixels[c], images: this.images[c], instances: this.instances[c], ...(name !== undefined ? { name } : {}) };
    }
    let last = -1;
    for (let k = 0; k < BINS; k++) if (this.sizes[k] > 0) last = k;
    const instanceSizes: SizeBin[] = [];
    for (let k = 0; k <= last; k++) instanceSizes.push({ min: 2 ** k, max: 2 ** (k + 1) - 1, count: this.sizes[k] });
    return {
      images: this.count, labelled: this.labelled, status: { ...this.status }, classes, instanceSizes,
      totalPixels: this.totalPixels, totalInstances: this.totalInstances, problems: [...this.problems],
    };
  }
}
