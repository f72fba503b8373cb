// Label maps from imported objects, with one documented rule set for every format:
//   1. every pixel starts as background;
//   2. class regions (stuff, COCO-stuff annotations, segments without an instance) in file order;
//   3. crowd regions (iscrowd) become the ignore index (or their class, when asked);
//   4. instances, larger first, so that where objects overlap the smaller one stays on top;
//   5. ignore regions (labelme `__ignore__`, Maskwright's COCO `ignore_mask`) last, class only.
// Instance ids: a wished id (COCO `instance_id`, labelme `group_id`, VOC object index, ...) is kept
// when it is 1..65535 and unique in the image; the others get the smallest free ids. An instance left
// with no visible pixel is dropped with a warning. Pure.
import { createLabelMaps, type InstanceInfo, type LabelMaps } from '../shared/maskModel';

export type ObjectRole = 'instance' | 'region' | 'crowd' | 'ignore';

export interface PlacedObject {
  role: ObjectRole;
  classId: number;
  wantId?: number;
  /** How messages name it (file and annotation). */
  name: string;
  /** Row-major indices of the pixels it covers (duplicates allowed). */
  pixels(): Int32Array;
}

export interface ComposeOptions {
  width: number;
  height: number;
  backgroundId: number;
  ignoreIndex: number;
  /** The dataset's semantic mask depth (default 8): the composed map is a Uint16Array for 16. */
  semanticBits?: 8 | 16;
  /** Crowd regions as the ignore index (default) or as their class. */
  crowd?: 'ignore' | 'class';
  /** Per-instance source, e.g. "import:coco". */
  source: string;
}

export interface Composed {
  maps: LabelMaps;
  instances: InstanceInfo[];
  warnings: string[];
}

/** Pixel indices of pycocotools counts (column-major runs) over width x height. */
export function pixelsOfCounts(counts: readonly number[], width: number, height: number): Int32Array {
  let area = 0;
  for (let j = 1; j < counts.length; j += 2) area += counts[j];
  const out = new Int32Array(area);
  let k = 0, o = 0;
  for (let j = 0; j < counts.length; j++) {
    const end = k + counts[j];
    if (j % 2 === 1) for (; k < end; k++) { const y = k % height; out[o++] = y * width + (k - y) / height; }
    k = end;
  }
  return out;
}

/** Pixel indices set (nonzero) in a row-major buffer, optionally only within rows y0..y1. */
export function pixelsOfMask(mask: ArrayLike<number>, width: number, y0 = 0, y1 = Math.floor(mask.length / width) - 1): Int32Array {
  const idx: number[] = [];
  for (let i = y0 * width, end = (y1 + 1) * width; i < end; i++) if (mask[i]) idx.push(i);
  return Int32Array.from(idx);
}

/** Assigns instance ids: wished ids where valid and unique, the smallest free ids otherwise. */
export function assignIds(wanted: readonly (number | undefined)[]): number[] {
  const count = new Map<number, number>();
  for (const w of wanted) if (w !== undefined && Number.isInteger(w) && w >= 1 && w <= 65535) count.set(w, (count.get(w) ?? 0) + 1);
  const used = new Set<number>();
  const out = wanted.map((w) => (w !== undefined && count.get(w) === 1 ? (used.add(w), w) : 0));
  let next = 1;
  for (let i = 0; i < out.length; i++) {
    if (out[i]) continue;
    while (used.has(next)) next++;
    if (next > 65535) throw new RangeError('more than 65535 instances in one image');
    out[i] = next; used.add(next);
  }
  return out;
}

/** Composes the label maps of one image from its objects (see the rules at the top). */
export function composeObjects(objects: readonly PlacedObject[], opts: ComposeOptions): Composed {
  const { width, height, backgroundId, ignoreIndex } = opts;
  const n = width * height;
  const semantic = createLabelMaps(width, height, backgroundId, opts.semanticBits).semantic;
  const instances = new Uint16Array(n);
  const warnings: string[] = [];
  const crowdValue = (o: PlacedObject): number => (opts.crowd === 'class' ? o.classId : ignoreIndex);

  const paint = (px: Int32Array, cls: number, inst: number | null): void => {
    for (let i = 0; i < px.length; i++) {
      const p = px[i];
      semantic[p] = cls;
      if (inst !== null) instances[p] = inst;
    }
  };
  for (const o of objects) if (o.role === 'region') paint(o.pixels(), o.classId, 0);
  for (const o of objects) if (o.role === 'crowd') paint(o.pixels(), crowdValue(o), 0);

  const things = objects.filter((o) => o.role === 'instance').map((o, order) => ({ o, order, px: o.pixels(), area: 0 }));
  const stamp = new Int32Array(n).fill(-1);
  things.forEach((t, k) => {
    let a = 0;
    for (let i = 0; i < t.px.length; i++) if (stamp[t.px[i]] !== k) { stamp[t.px[i]] = k; a++; }
    t.area = a;
  });
  const ids = assignIds(things.map((t) => t.o.wantId));
  const byOrder = things.map((t, k) => ({ ...t, id: ids[k] }));
  const drawOrder = [...byOrder].sort((a, b) => b.area - a.area || a.order - b.order);
  for (const t of drawOrder) paint(t.px, t.o.classId, t.id);
  for (const o of objects) if (o.role === 'ignore') paint(o.pixels(), ignoreIndex, null);

  const visible = new Map<number, number>();
  for (let i = 0; i < n; i++) if (instances[i]) visible.set(instances[i], (visible.get(instances[i]) ?? 0) + 1);
  const info: InstanceInfo[] = [];
  for (const t of byOrder) {
    if (!visible.has(t.id)) { warnings.push(`${t.o.name}: ${t.area === 0 ? 'covers no pixel' : 'is hidden under smaller objects'}; no instance made`); continue; }
    if (t.o.wantId !== undefined && t.o.wantId !== t.id) warnings.push(`${t.o.name}: instance id ${t.o.wantId} is taken or invalid; imported as ${t.id}`);
    info.push({ id: t.id, class: t.o.classId, source: opts.source });
  }
  info.sort((a, b) => a.id - b.id);
  return { maps: { width, height, semantic, instances }, instances: info, warnings };
}

export interface DenseSegment {
  role: 'instance' | 'region' | 'crowd';
  classId: number;
  wantId?: number;
  name: string;
}

/**
 * Composes label maps from a dense source (VOC, Cityscapes, COCO panoptic, gray8): `classes` holds
 * a class id per pixel (-1 = ignore), `keys` a segment key per pixel (0 = none) described by
 * `segments`. Instance ids follow assignIds in key order.
 */
export function composeDense(classes: Int32Array, keys: Uint32Array | null, segments: ReadonlyMap<number, DenseSegment>, opts: ComposeOptions): Composed {
  const { width, height, ignoreIndex } = opts;
  const n = width * height;
  const semantic = createLabelMaps(width, height, 0, opts.semanticBits).semantic;
  for (let i = 0; i < n; i++) semantic[i] = classes[i] < 0 ? ignoreIndex : classes[i];
  const instances = new Uint16Array(n);
  const warnings: string[] = [];
  const info: InstanceInfo[] = [];
  if (keys) {
    const sorted = [...segments.entries()].sort((a, b) => a[0] - b[0]);
    const things = sorted.filter(([, s]) => s.role === 'instance');
    const ids = assignIds(things.map(([, s]) => s.wantId));
    const idOf = new Map<number, number>();
    things.forEach(([key, s], k) => {
      idOf.set(key, ids[k]);
      if (s.wantId !== undefined && s.wantId !== ids[k]) warnings.push(`${s.name}: instance id ${s.wantId} is taken or invalid; imported as ${ids[k]}`);
      info.push({ id: ids[k], class: s.classId, source: opts.source });
    });
    let lastKey = -1, last: DenseSegment | undefined, lastId = 0;
    for (let i = 0; i < n; i++) {
      const key = keys[i];
      if (key === 0) continue;
      if (key !== lastKey) { lastKey = key; last = segments.get(key); lastId = idOf.get(key) ?? 0; }
      if (!last) continue;
      if (last.role === 'crowd') { semantic[i] = opts.crowd === 'class' ? last.classId : ignoreIndex; continue; }
      semantic[i] = last.classId;
      if (lastId) instances[i] = lastId;
    }
  }
  info.sort((a, b) => a.id - b.id);
  return { maps: { width, height, semantic, instances }, instances: info, warnings };
}
