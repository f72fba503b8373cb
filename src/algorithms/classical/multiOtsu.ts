// Multi-level Otsu (k classes), the thresholds scikit-image's threshold_multiotsu picks: an
// exhaustive search over the histogram between the image's min and max value, maximising the
// between-class variance (computed in float32 like scikit-image, first maximum wins).
import { checkGray, intOption, outBuffer, type GrayImage } from './image';
import { histogram } from './otsu';
import { applyLut } from './threshold';

export interface MultiOtsuOptions {
  /** Number of classes, 2..5. Default 3. */
  classes?: number;
  /** Reused output buffer (width*height) for the class map. */
  out?: Uint8Array;
}

const f32 = Math.fround;

/** Thresholds (ascending gray levels) from a 256-bin histogram; class i = values above i thresholds. */
export function multiOtsuLevels(hist: ArrayLike<number>, classes = 3): number[] {
  intOption(classes, 3, 2, 5, 'classes');
  if (hist.length !== 256) throw new RangeError(`hist: expected 256 bins, got ${hist.length}`);
  let lo = 0, hi = 255, total = 0;
  while (lo < 256 && hist[lo] === 0) lo++;
  if (lo === 256) throw new RangeError('hist: empty histogram');
  while (hist[hi] === 0) hi--;
  for (let v = lo; v <= hi; v++) total += hist[v];
  const nb = hi - lo + 1;
  const prob = new Float32Array(nb);
  const nonzero: number[] = [];
  for (let i = 0; i < nb; i++) { prob[i] = hist[lo + i] / total; if (hist[lo + i]) nonzero.push(i); }
  const cuts = classes - 1;
  if (nonzero.length < classes) throw new RangeError(`classes: the image has only ${nonzero.length} distinct values, fewer than ${classes}`);
  if (nonzero.length === classes) return nonzero.slice(0, cuts).map((i) => lo + i);
  // Cumulative moments and the between-class term of every bin range [i, j], in float32.
  const m0 = new Float32Array(nb), m1 = new Float32Array(nb);
  // As scikit-image: the first moment starts at prob[0] (not 0 * prob[0]) and the range [0, 0]
  // contributes 0; both shift the chosen levels on some images, so they are kept for agreement.
  m0[0] = prob[0]; m1[0] = prob[0];
  for (let i = 1; i < nb; i++) { m0[i] = f32(m0[i - 1] + prob[i]); m1[i] = f32(m1[i - 1] + f32(i * prob[i])); }
  const lut = new Float32Array(nb * nb);
  for (let j = 1; j < nb; j++) if (m0[j] > 0) lut[j] = f32(f32(m1[j] * m1[j]) / m0[j]);
  for (let i = 1; i < nb; i++) {
    for (let j = i; j < nb; j++) {
      const z = f32(m0[j] - m0[i - 1]);
      if (z > 0) { const f = f32(m1[j] - m1[i - 1]); lut[i * nb + j] = f32(f32(f * f) / z); }
    }
  }
  const cur = new Int32Array(cuts), best = new Int32Array(cuts);
  let bestSigma = 0;
  const search = (start: number, t: number): void => {
    if (t < cuts) {
      for (let idx = start; idx < nb - cuts + t; idx++) { cur[t] = idx; search(idx + 1, t + 1); }
      return;
    }
    let s = f32(lut[cur[0]] + lut[(cur[cuts - 1] + 1) * nb + nb - 1]);
    for (let c = 0; c < cuts - 1; c++) s = f32(s + lut[(cur[c] + 1) * nb + cur[c + 1]]);
    if (s > bestSigma) { bestSigma = s; best.set(cur); }
  };
  search(0, 0);
  return Array.from(best, (i) => lo + i);
}

/** Multi-level Otsu: thresholds and a class map (0..classes-1, class = thresholds below the value). */
export function multiOtsu(image: GrayImage, options: MultiOtsuOptions = {}): { thresholds: number[]; classes: Uint8Array } {
  const k = intOption(options.classes, 3, 2, 5, 'classes');
  const levels = multiOtsuLevels(histogram(image), k);
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) { let c = 0; for (const t of levels) if (v > t) c++; lut[v] = c; }
  const out = outBuffer(options.out, Uint8Array, image.width * image.height);
  checkGray(image);
  return { thresholds: levels, classes: applyLut(image.data, lut, out) };
}
