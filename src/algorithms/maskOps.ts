// Turning tool results into label maps and edits: a binary mask painted into a class, connected
// components of the semantic map as instances, new maps as one whole-image undoable edit. Pure.
import { connectedComponents } from './classical/connectedComponents';
import { makePatch, type InstanceInfo, type LabelMaps, type MaskEdit, type MetaChange, type Patch, type SemanticIds } from '../shared/maskModel';

/**
 * The semantic map with `classId` painted where `binary` is nonzero. With `onlyUnlabelled`, only
 * pixels that are `backgroundId` change (the editor's "paint unlabelled only" mode).
 */
/**
 * Replaces class `cls` by the foreground `fg` (nonzero = cls): foreground pixels become `cls`,
 * pixels of `cls` outside it become `background`, other classes are kept. This is what every
 * face's threshold (and the CLI's edges, morphology) means by "into a class".
 */
export function replaceClass<T extends SemanticIds>(semantic: T, fg: Uint8Array, cls: number, background: number): T {
  if (fg.length !== semantic.length) throw new RangeError(`fg: length ${fg.length}, expected ${semantic.length}`);
  checkClassFits(semantic, cls);
  const out = semantic.slice() as T;
  for (let i = 0; i < out.length; i++) {
    if (fg[i]) out[i] = cls;
    else if (out[i] === cls) out[i] = background;
  }
  return out;
}

/** Throws unless `cls` is an id the semantic map can hold (0..255 in 8 bits, 0..65535 in 16). */
export function checkClassFits(semantic: SemanticIds, cls: number, what = 'classId'): void {
  const max = semantic instanceof Uint16Array ? 65535 : 255;
  if (!Number.isInteger(cls) || cls < 0 || cls > max) {
    throw new RangeError(`${what}: ${cls} does not fit ${max === 255 ? 'an 8-bit' : 'a 16-bit'} semantic mask (0..${max})${max === 255 && cls > 255 ? '; class ids above 254 need "semanticBits": 16 in the dataset config' : ''}`);
  }
}

export function paintBinary<T extends SemanticIds>(semantic: T, binary: Uint8Array, classId: number, opts: { onlyUnlabelled?: boolean; backgroundId?: number } = {}): T {
  if (binary.length !== semantic.length) throw new RangeError(`binary: length ${binary.length}, expected ${semantic.length}`);
  checkClassFits(semantic, classId);
  const out = semantic.slice() as T;
  const bg = opts.backgroundId ?? 0;
  if (opts.onlyUnlabelled) {
    for (let i = 0; i < out.length; i++) if (binary[i] && out[i] === bg) out[i] = classId;
  } else {
    for (let i = 0; i < out.length; i++) if (binary[i]) out[i] = classId;
  }
  return out;
}

/** Binary (0/255) mask of the pixels of one class. */
export function classMask(semantic: SemanticIds, classId: number): Uint8Array {
  const out = new Uint8Array(semantic.length);
  for (let i = 0; i < out.length; i++) if (semantic[i] === classId) out[i] = 255;
  return out;
}

export interface ComponentInstancesOptions {
  readonly backgroundId: number;
  readonly ignoreIndex: number;
  /** Only this class; default every class but background and ignore. */
  readonly onlyClass?: number;
  /** Default 8. */
  readonly connectivity?: 4 | 8;
  /** Components smaller than this are not instances. Default 1. */
  readonly minArea?: number;
  /** Sidecar source of the new instances. Default "tool:components". */
  readonly source?: string;
}

export interface ComponentInstances {
  /** Instance id per pixel (1..count), 0 where no instance. */
  readonly map: Uint16Array;
  readonly info: InstanceInfo[];
  readonly count: number;
  /** Number of instances per class id. */
  readonly perClass: Record<number, number>;
}

/** Each connected region of equal class (background and ignore excluded) becomes one instance. */
export function componentInstances(semantic: SemanticIds, width: number, height: number, opts: ComponentInstancesOptions): ComponentInstances {
  const minArea = opts.minArea ?? 1;
  if (!Number.isInteger(minArea) || minArea < 1) throw new RangeError(`minArea: ${minArea} is not a positive integer`);
  // Class 0 (when it is not the background) is carried as 65536 so that 0 stays "no object".
  const ZERO = 65536;
  const data = new Int32Array(semantic.length);
  for (let i = 0; i < data.length; i++) {
    const v = semantic[i];
    if (v === opts.backgroundId || v === opts.ignoreIndex || (opts.onlyClass !== undefined && v !== opts.onlyClass)) continue;
    data[i] = v === 0 ? ZERO : v;
  }
  const r = connectedComponents({ data, width, height }, { connectivity: opts.connectivity ?? 8, byValue: true });
  const st = r.stats!;
  const newId = new Int32Array(r.count + 1);
  const perClass: Record<number, number> = {};
  const info: InstanceInfo[] = [];
  const source = opts.source ?? 'tool:components';
  let count = 0;
  for (let l = 1; l <= r.count; l++) {
    if (st.area[l] < minArea) continue;
    if (count === 65535) throw new RangeError(`more than 65535 components: a 16-bit instance map cannot hold them (raise minArea)`);
    const c = st.value[l] === ZERO ? 0 : st.value[l];
    perClass[c] = (perClass[c] ?? 0) + 1;
    newId[l] = ++count;
    info.push({ id: count, class: c, source });
  }
  const map = new Uint16Array(r.labels.length);
  for (let i = 0; i < map.length; i++) map[i] = newId[r.labels[i]];
  return { map, info, count, perClass };
}

/**
 * One undoable edit that replaces whole layers (only those given, and only when they change) and
 * the instance table (when `info` is given). Null when nothing changes.
 */
export function replaceEdit(maps: LabelMaps, current: ReadonlyMap<number, InstanceInfo>, next: { semantic?: SemanticIds; instances?: Uint16Array; info?: readonly InstanceInfo[] }, label: string): MaskEdit | null {
  const patches: Patch[] = [];
  if (next.semantic) {
    const p = makePatch(maps, 'semantic', 0, 0, maps.width, maps.height, next.semantic);
    if (p) patches.push(p);
  }
  if (next.instances) {
    const p = makePatch(maps, 'instances', 0, 0, maps.width, maps.height, next.instances);
    if (p) patches.push(p);
  }
  const meta: MetaChange[] = [];
  if (next.info) {
    const after = new Map(next.info.map((i) => [i.id, i]));
    const ids = [...new Set([...current.keys(), ...after.keys()])].sort((a, b) => a - b);
    for (const id of ids) {
      const b = current.get(id) ?? null, a = after.get(id) ?? null;
      const same = b && a && b.class === a.class && b.source === a.source && b.score === a.score;
      if (!same) meta.push({ id, before: b, after: a });
    }
  }
  if (patches.length === 0 && meta.length === 0) return null;
  return { label, patches, ...(meta.length ? { meta } : {}) };
}
