// COCO run-length encoding exactly as pycocotools writes and reads it (common/maskApi.c):
// column-major runs starting with a (possibly empty) run of zeros, the compressed `counts` string
// (LEB128-like, 5 bits per char, ASCII 48..111, counts[i] stored as the difference to counts[i-2]
// from i = 3 on), `area` (sum of the odd runs) and `toBbox` (with its quirk: a run of ones that
// crosses a column boundary widens the box to the full height). Pure.

/** A COCO RLE object as it appears in JSON: size [height, width] and counts (string or list). */
export interface CocoRle {
  size: [number, number];
  counts: string | number[];
}

export class RleError extends Error {
  override name = 'RleError';
}

/** Ends pycocotools counts with the trailing run of zeros, when there is one. */
function finish(counts: number[], lastEnd: number, n: number): number[] {
  if (lastEnd < n) counts.push(n - lastEnd);
  return counts;
}

/**
 * Runs of the pixels of a row-major map equal to `value` (pycocotools `mask.encode` of
 * `map == value` in Fortran order). Width x height must match the map's length.
 */
export function encodeValue(map: ArrayLike<number>, width: number, height: number, value: number): number[] {
  const all = encodeLabels(map, width, height, (v) => v === value);
  return all.get(value) ?? [width * height];
}

/**
 * Runs of every label of a row-major map in one column-major pass: label -> pycocotools counts.
 * Labels where `keep(label)` is false (default: 0) are skipped. Cost: one read per pixel plus one
 * push per run, whatever the number of labels.
 */
export function encodeLabels(map: ArrayLike<number>, width: number, height: number, keep: (label: number) => boolean = (v) => v !== 0): Map<number, number[]> {
  const n = width * height;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new RangeError(`size ${width}x${height} is not a positive integer size`);
  if (map.length !== n) throw new RangeError(`map has ${map.length} values, expected ${width}x${height} = ${n}`);
  const runs = new Map<number, number[]>();
  const lastEnd = new Map<number, number>();
  const kept = new Map<number, boolean>();
  let cur = -1, start = 0, k = 0;
  const close = (end: number): void => {
    let ok = kept.get(cur);
    if (ok === undefined) { ok = keep(cur); kept.set(cur, ok); }
    if (!ok) return;
    let counts = runs.get(cur);
    if (!counts) { counts = []; runs.set(cur, counts); }
    counts.push(start - (lastEnd.get(cur) ?? 0), end - start);
    lastEnd.set(cur, end);
  };
  for (let x = 0; x < width; x++) {
    for (let i = x; i < n; i += width, k++) {
      const v = map[i];
      if (v !== cur) {
        if (k > 0) close(k);
        cur = v; start = k;
      }
    }
  }
  close(n);
  for (const [label, counts] of runs) finish(counts, lastEnd.get(label) ?? 0, n);
  return runs;
}

export interface LayerRuns {
  /** Instance id -> runs of its pixels. */
  instances: Map<number, number[]>;
  /** Class -> runs of its pixels that have no instance (background and ignore excluded). */
  regions: Map<number, number[]>;
  /** Runs of the ignore pixels (semantic = ignoreIndex, with or without an instance), or null when there are none. */
  ignore: number[] | null;
}

/**
 * The runs a COCO export needs from one image's label maps, in one column-major pass over both
 * maps (instead of one pass and one scratch map per layer).
 */
export function encodeLayers(semantic: Uint8Array | Uint16Array, instances: Uint16Array, width: number, height: number, backgroundId: number, ignoreIndex: number): LayerRuns {
  const n = width * height;
  if (semantic.length !== n || instances.length !== n) throw new RangeError(`maps must have ${width}x${height} = ${n} values`);
  const REGION = 65536, IGNORE = 2 * 65536;
  const runs = new Map<number, number[]>();
  const lastEnd = new Map<number, number>();
  let cur = -1, start = 0, k = 0, ignoredInstancePixels = 0;
  const close = (end: number): void => {
    if (cur === 0) return;
    let counts = runs.get(cur);
    if (!counts) { counts = []; runs.set(cur, counts); }
    counts.push(start - (lastEnd.get(cur) ?? 0), end - start);
    lastEnd.set(cur, end);
  };
  for (let x = 0; x < width; x++) {
    for (let i = x; i < n; i += width, k++) {
      const id = instances[i], s = semantic[i];
      let v: number;
      if (id !== 0) { v = id; if (s === ignoreIndex) ignoredInstancePixels++; } else v = s === ignoreIndex ? IGNORE : s === backgroundId ? 0 : REGION + s;
      if (v !== cur) {
        if (k > 0) close(k);
        cur = v; start = k;
      }
    }
  }
  close(n);
  const out: LayerRuns = { instances: new Map(), regions: new Map(), ignore: null };
  for (const [key, counts] of runs) {
    finish(counts, lastEnd.get(key) ?? 0, n);
    if (key < REGION) out.instances.set(key, counts);
    else if (key === IGNORE) out.ignore = counts;
    else out.regions.set(key - REGION, counts);
  }
  if (ignoredInstancePixels > 0) {
    // Instance pixels of the ignore class (an inconsistent mask) still belong to the ignore region.
    const m = new Uint8Array(n);
    for (let i = 0; i < n; i++) if (semantic[i] === ignoreIndex) m[i] = 1;
    out.ignore = encodeValue(m, width, height, 1);
  }
  return out;
}

/** Runs of a binary row-major mask (nonzero = 1). */
export function encodeMask(mask: ArrayLike<number>, width: number, height: number): number[] {
  const runs = encodeLabels(mask, width, height, (v) => v !== 0);
  if (runs.size === 0) return [width * height];
  // Several nonzero values: merge them into one foreground (runs of different values are adjacent).
  if (runs.size === 1) return [...runs.values()][0];
  const bin = new Uint8Array(width * height);
  for (let i = 0; i < bin.length; i++) bin[i] = mask[i] ? 1 : 0;
  return encodeValue(bin, width, height, 1);
}

/** pycocotools `rleToString`: the compressed counts string. */
export function countsToString(counts: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < counts.length; i++) {
    let x = counts[i];
    if (i > 2) x -= counts[i - 2];
    let more = true;
    while (more) {
      let c = x & 0x1f;
      // Arithmetic shift on a value that may exceed 32 bits in theory: counts here stay < 2^31.
      x = Math.floor(x / 32);
      more = (c & 0x10) !== 0 ? x !== -1 : x !== 0;
      if (more) c |= 0x20;
      s += String.fromCharCode(c + 48);
    }
  }
  return s;
}

/** pycocotools `rleFrString`, with checks: throws RleError for characters outside 48..111, a cut-off value or a negative count. */
export function countsFromString(s: string): number[] {
  const counts: number[] = [];
  let p = 0;
  while (p < s.length) {
    let x = 0, k = 0, more = true;
    while (more) {
      if (p >= s.length) throw new RleError(`RLE counts string ends inside a value (at character ${p})`);
      const code = s.charCodeAt(p);
      if (code < 48 || code > 111) throw new RleError(`RLE counts string has character ${JSON.stringify(s[p])} at ${p} (allowed: ASCII 48..111)`);
      const c = code - 48;
      x += (c & 0x1f) * 2 ** (5 * k);
      more = (c & 0x20) !== 0;
      p++; k++;
      if (!more && (c & 0x10) !== 0) x -= 2 ** (5 * k);
    }
    if (counts.length > 2) x += counts[counts.length - 2];
    if (x < 0) throw new RleError(`RLE count ${counts.length} is negative (${x})`);
    counts.push(x);
  }
  return counts;
}

/** Counts of an RLE object (string or list form), checked against its size. */
export function rleCounts(rle: CocoRle): number[] {
  const [h, w] = rle.size;
  const counts = typeof rle.counts === 'string' ? countsFromString(rle.counts) : rle.counts;
  let sum = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (!Number.isInteger(c) || c < 0) throw new RleError(`RLE count ${i} is ${c}, not a non-negative integer`);
    sum += c;
  }
  if (sum !== h * w) throw new RleError(`RLE counts cover ${sum} pixels but size [${h}, ${w}] has ${h * w}`);
  return counts;
}

/**
 * Row-major binary mask of counts over an image of width x height (1 = set). With `out`, set pixels
 * are written as `value` into it and the others are left untouched (for drawing into a label map).
 */
export function decodeCounts(counts: ArrayLike<number>, width: number, height: number, out?: Uint8Array | Uint16Array, value = 1): Uint8Array | Uint16Array {
  const n = width * height;
  const dst = out ?? new Uint8Array(n);
  if (dst.length !== n) throw new RangeError(`output has ${dst.length} values, expected ${n}`);
  let k = 0;
  for (let j = 0; j < counts.length; j++) {
    const end = k + counts[j];
    if (end > n) throw new RleError(`RLE counts run past the ${width}x${height} image`);
    if (j % 2 === 1) {
      for (; k < end; k++) {
        const y = k % height, x = (k - y) / height;
        dst[y * width + x] = value;
      }
    }
    k = end;
  }
  return dst;
}

/** pycocotools `area`: the number of set pixels. */
export function rleArea(counts: ArrayLike<number>): number {
  let a = 0;
  for (let j = 1; j < counts.length; j += 2) a += counts[j];
  return a;
}

/** pycocotools `toBbox`: [x, y, width, height] (all 0 for an empty mask). */
export function rleBbox(counts: ArrayLike<number>, height: number, width: number): [number, number, number, number] {
  const m = Math.floor(counts.length / 2) * 2;
  if (m === 0) return [0, 0, 0, 0];
  let xs = width, ys = height, xe = 0, ye = 0, cc = 0, xp = 0;
  for (let j = 0; j < m; j++) {
    cc += counts[j];
    const t = cc - (j % 2);
    const y = t % height, x = (t - y) / height;
    if (j % 2 === 0) xp = x;
    else if (xp < x) { ys = 0; ye = height - 1; }
    xs = Math.min(xs, x); xe = Math.max(xe, x); ys = Math.min(ys, y); ye = Math.max(ye, y);
  }
  return [xs, ys, xe - xs + 1, ye - ys + 1];
}

/** The compressed COCO RLE object of counts. */
export function toCocoRle(counts: ArrayLike<number>, width: number, height: number): { size: [number, number]; counts: string } {
  return { size: [height, width], counts: countsToString(counts) };
}
