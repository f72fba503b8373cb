// YOLO segmentation labels (ultralytics): one `labels/STEM.txt` per image, one line per object
// `cls x1 y1 ... xn yn` with coordinates normalised to [0, 1], and `data.yaml` with the class names.
// One polygon per object: a multi-part object and the holes of an object are joined into one ring
// by zero-width bridges between their nearest vertices, as ultralytics' `merge_multi_segment` joins
// COCO polygons (forward along the chain, back along the same bridges; unlike it, a middle segment
// keeps its direction). Pure.

/** Points of a flat ring as [x, y] pairs. */
function points(ring: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < ring.length; i += 2) out.push([ring[i], ring[i + 1]]);
  return out;
}

/** Indexes of the closest pair of points of a and b (first in a-major order on ties, as numpy's argmin). */
function nearest(a: readonly [number, number][], b: readonly [number, number][]): [number, number] {
  let best = Infinity, bi = 0, bj = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      const dx = a[i][0] - b[j][0], dy = a[i][1] - b[j][1];
      const d = dx * dx + dy * dy;
      if (d < best) { best = d; bi = i; bj = j; }
    }
  }
  return [bi, bj];
}

/**
 * Joins rings into one closed ring (flat) with bridges between consecutive rings' nearest points.
 * Returns the ring and the number of bridges (rings - 1).
 */
export function mergeSegments(rings: readonly (readonly number[])[]): { ring: number[]; bridges: number } {
  const segs = rings.map(points).filter((s) => s.length > 0);
  if (segs.length === 0) return { ring: [], bridges: 0 };
  if (segs.length === 1) return { ring: segs[0].flat(), bridges: 0 };
  const links: number[][] = segs.map(() => []);
  for (let i = 1; i < segs.length; i++) {
    const [a, b] = nearest(segs[i - 1], segs[i]);
    links[i - 1].push(a);
    links[i].push(b);
  }
  const last = segs.length - 1;
  const closed = segs.map((s, i) => {
    const e = links[i][0];
    const rolled = [...s.slice(e), ...s.slice(0, e)];
    return [...rolled, rolled[0]];
  });
  const exitOf = (i: number): number => (links[i][1] - links[i][0] + segs[i].length) % segs[i].length;
  const out: [number, number][] = [];
  for (let i = 0; i <= last; i++) {
    if (i === 0 || i === last) out.push(...closed[i]);
    else out.push(...closed[i].slice(0, exitOf(i) + 1));
  }
  for (let i = last - 1; i >= 1; i--) out.push(...closed[i].slice(exitOf(i)));
  return { ring: out.flat(), bridges: segs.length - 1 };
}

/** A coordinate with at most 6 decimals, without trailing zeros. */
export function fmt6(v: number): string {
  const s = v.toFixed(6);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/**
 * One label line. `ring` is in pixel-centre coordinates (integers); a vertex x becomes (x + 0.5) / width,
 * the centre of its pixel in [0, 1], so that ultralytics' int32 truncation of x * width gives x back.
 */
export function yoloLine(cls: number, ring: readonly number[], width: number, height: number): string {
  const parts = [String(cls)];
  for (let i = 0; i + 1 < ring.length; i += 2) parts.push(fmt6((ring[i] + 0.5) / width), fmt6((ring[i + 1] + 0.5) / height));
  return parts.join(' ');
}

export interface YoloObject {
  /** 1-based line number. */
  line: number;
  cls: number;
  /** Vertices in pixel-centre coordinates, truncated to integers as ultralytics' polygon2mask does. */
  ring: number[];
}

/**
 * Parses a label file. Each bad line gives a message naming the file and the line; good lines are
 * returned. A coordinate outside [0, 1] (beyond 1e-6) is an error, as is a box-only line.
 */
export function parseYoloLabels(text: string, file: string, width: number, height: number, classCount: number): { objects: YoloObject[]; errors: string[] } {
  const objects: YoloObject[] = [];
  const errors: string[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const at = `${file}:${i + 1}`;
    const tok = line.split(/\s+/);
    const cls = Number(tok[0]);
    if (!Number.isInteger(cls) || cls < 0) { errors.push(`${at}: class "${tok[0]}" is not a non-negative integer`); return; }
    if (cls >= classCount) { errors.push(`${at}: class ${cls} is not in data.yaml names (${classCount} classes)`); return; }
    const nums = tok.slice(1).map(Number);
    if (nums.some((v) => !Number.isFinite(v))) { errors.push(`${at}: a coordinate is not a number`); return; }
    if (nums.length === 4) { errors.push(`${at}: a box (cls xc yc w h), not a polygon; YOLO-seg lines need at least 3 points`); return; }
    if (nums.length < 6 || nums.length % 2 !== 0) { errors.push(`${at}: ${nums.length} coordinates; a polygon needs an even number, at least 6`); return; }
    const bad = nums.findIndex((v) => v < -1e-6 || v > 1 + 1e-6);
    if (bad >= 0) { errors.push(`${at}: point ${(bad >> 1) + 1} (${nums[bad & ~1]}, ${nums[bad | 1]}) is outside the image ([0, 1] normalised)`); return; }
    const ring: number[] = [];
    for (let k = 0; k < nums.length; k += 2) {
      ring.push(Math.min(width - 1, Math.trunc(nums[k] * width)), Math.min(height - 1, Math.trunc(nums[k + 1] * height)));
    }
    objects.push({ line: i + 1, cls, ring });
  });
  return { objects, errors };
}

/** YAML string scalar (double-quoted when needed). */
function yamlString(s: string): string {
  return /^[A-Za-z_][A-Za-z0-9_ .-]*$/.test(s) && !/^(true|false|null|yes|no|on|off)$/i.test(s) && !s.endsWith(' ') ? s : JSON.stringify(s);
}

/** ultralytics `data.yaml`: dataset root, split folders and the class names by index. */
export function dataYaml(root: string, splits: Readonly<Record<string, string>>, names: readonly string[]): string {
  const lines = [`path: ${JSON.stringify(root)}`];
  for (const [k, v] of Object.entries(splits)) lines.push(`${k}: ${v}`);
  lines.push('names:');
  names.forEach((n, i) => lines.push(`  ${i}: ${yamlString(n)}`));
  return lines.join('\n') + '\n';
}

/**
 * Class names from a data.yaml (`names:` as a list `[a, b]`, a block list `- a`, or a mapping
 * `0: a`). Throws naming the file when there is no names entry.
 */
export function parseDataYamlNames(text: string, file: string): string[] {
  const lines = text.split(/\r?\n/);
  const idx = lines.findIndex((l) => /^names\s*:/.test(l));
  if (idx < 0) throw new Error(`${file}: no "names:" entry`);
  const unq = (s: string): string => {
    const t = s.trim();
    if (t.startsWith('"')) return JSON.parse(t) as string;
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
    return t;
  };
  const inline = lines[idx].replace(/^names\s*:/, '').trim();
  if (inline.startsWith('[')) {
    const body = inline.slice(1, inline.lastIndexOf(']'));
    return body.split(',').map(unq).filter((s) => s.length > 0);
  }
  const names: string[] = [];
  for (let i = idx + 1; i < lines.length; i++) {
    const l = lines[i];
    if (!/^\s+\S/.test(l)) { if (l.trim() === '') continue; break; }
    const list = /^\s+-\s*(.*)$/.exec(l);
    const map = /^\s+(\d+)\s*:\s*(.*)$/.exec(l);
    if (list) names.push(unq(list[1]));
    else if (map) names[Number(map[1])] = unq(map[2]);
  }
  if (names.length === 0) throw new Error(`${file}: "names:" lists no classes`);
  for (let i = 0; i < names.length; i++) if (names[i] === undefined) throw new Error(`${file}: names has no entry ${i}`);
  return names;
}

/**
 * Orders rings for mergeSegments so that each follows the one nearest to its predecessor (greedy,
 * starting with the first): bridges stay short, so fewer pixels outside the object lie on them.
 */
export function orderNearest(rings: readonly (readonly number[])[]): number[][] {
  const left = rings.map((r) => [...r]).filter((r) => r.length > 0);
  if (left.length <= 2) return left;
  const out = [left.shift() as number[]];
  while (left.length) {
    const cur = points(out[out.length - 1]);
    let best = Infinity, bi = 0;
    left.forEach((r, i) => {
      const p = points(r);
      const [a, b] = nearest(cur, p);
      const d = (cur[a][0] - p[b][0]) ** 2 + (cur[a][1] - p[b][1]) ** 2;
      if (d < best) { best = d; bi = i; }
    });
    out.push(left.splice(bi, 1)[0]);
  }
  return out;
}
