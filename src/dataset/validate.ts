// Dataset validation: everything that makes a mask set untrustworthy for training, found without
// changing anything. Used by `maskwright validate` and by the editor's Problems-panel diagnostics.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { readImageInfo } from '../io/image';
import { instanceClassStats } from '../io/instanceStats';
import { isTempOf } from '../io/atomic';
import { decodeMasks, maskFilesFor, MaskLoadError } from '../io/masks';
import { inspectSetBytes } from '../io/maskSet';
import { assertSafeTargets } from '../io/safeTargets';
import { ConfigError, type DatasetConfig } from '../shared/config';
import { imageKeyForMask, isMaskName, listImages, splitName } from '../shared/paths';
import { findConfig } from './config';

export type Severity = 'error' | 'warning' | 'info';

export interface Problem {
  readonly file: string;
  readonly code: string;
  readonly message: string;
  readonly severity: Severity;
}

/** Problem codes, for `--json` readers and the Problems panel. */
export const CODES = {
  config: 'config-invalid', collision: 'pattern-collision', conflict: 'stem-conflict', orphan: 'mask-without-image',
  tmp: 'interrupted-write', imageUnreadable: 'image-unreadable', orientation: 'exif-orientation', mixed: 'mixed-set',
  changed: 'changed-outside', sidecar: 'sidecar-unreadable', size: 'mask-size', maskUnreadable: 'mask-unreadable',
  unknownClass: 'unknown-class', multiClass: 'instance-multiclass', noEntry: 'instance-without-entry', noPixels: 'entry-without-pixels',
} as const;

const p = (file: string, code: string, severity: Severity, message: string): Problem => ({ file, code, severity, message });

/** The problems of one image's mask set (the image must exist). */
export async function validateImage(image: string, config: DatasetConfig): Promise<Problem[]> {
  const out: Problem[] = [];
  const files = maskFilesFor(image, config);
  try {
    await assertSafeTargets(image, files, config);
  } catch (e) {
    return [p(image, CODES.collision, 'error', (e as Error).message)];
  }
  let info;
  try {
    info = await readImageInfo(image);
  } catch (e) {
    return [p(image, CODES.imageUnreadable, 'error', (e as Error).message)];
  }
  if (info.orientation !== 1) {
    out.push(p(image, CODES.orientation, 'info', `EXIF orientation ${info.orientation}: the masks follow the stored pixel grid (as PIL reads it); OpenCV's imread rotates the image by default (use cv2.IMREAD_IGNORE_ORIENTATION)`));
  }
  // One read of each file: the set's state and the maps come from the same bytes.
  const { state, bytes } = await inspectSetBytes(image, config);
  if (state.integrity === 'none') return out;
  if (state.sidecarError) out.push(p(files.sidecar, CODES.sidecar, 'error', state.sidecarError));
  if (state.integrity === 'mixed') out.push(p(files.mask, CODES.mixed, 'error', `mixed mask set: ${state.problem} (open the image in the editor or run any Maskwright writer to repair it)`));
  if (state.integrity === 'changed') out.push(p(files.mask, CODES.changed, 'warning', `${state.problem}; it is treated as hand-edited (saving it in the editor records it)`));
  let loaded;
  try {
    loaded = decodeMasks(state.files, bytes, info.width, info.height, config);
  } catch (e) {
    const err = e as MaskLoadError;
    const sizeProblem = /mask is \d+x\d+ but the image is/.test(err.reason ?? '');
    out.push(p(err.file ?? files.mask, sizeProblem ? CODES.size : CODES.maskUnreadable, 'error', err.reason ?? err.message));
    return out;
  }
  const { semantic, instances } = loaded.maps;
  const hist = new Float64Array(semantic instanceof Uint16Array ? 65536 : 256);
  for (let i = 0; i < semantic.length; i++) hist[semantic[i]]++;
  const known = new Set(config.classes.map((c) => c.id));
  for (let id = 0; id < hist.length; id++) {
    if (hist[id] > 0 && !known.has(id) && id !== config.ignoreIndex) {
      const at = semantic.indexOf(id);
      out.push(p(files.mask, CODES.unknownClass, 'error', `class id ${id} (${hist[id]} px, first at ${at % info.width},${Math.floor(at / info.width)}) is not in the dataset config`));
    }
  }
  const stats = instanceClassStats(semantic, instances);
  const entries = new Map((loaded.sidecar?.instances ?? []).map((i) => [i.id, i]));
  for (const [id, counts] of stats) {
    if (counts.size > 1) out.push(p(files.instances, CODES.multiClass, 'error', `instance ${id} covers several classes: ${[...counts].map(([c, n]) => `${c} (${n} px)`).join(', ')}`));
    if (loaded.sidecar && !entries.has(id)) out.push(p(files.sidecar, CODES.noEntry, 'warning', `instance ${id} is in ${path.basename(files.instances)} but has no entry in the sidecar`));
  }
  for (const id of entries.keys()) {
    if (!stats.has(id)) out.push(p(files.sidecar, CODES.noPixels, 'warning', `the sidecar lists instance ${id}, which has no pixels in ${path.basename(files.instances)}`));
  }
  return out;
}

/** Folder-level problems (config, stem conflicts, orphan masks, interrupted writes) and every image's. */
export async function validateFolder(dir: string, stopAt?: string, onImage?: () => void): Promise<{ images: number; problems: Problem[] }> {
  const abs = path.resolve(dir);
  let config: DatasetConfig;
  try {
    config = (await findConfig(abs, stopAt ? { stopAt } : {})).config;
  } catch (e) {
    return { images: 0, problems: [p(e instanceof ConfigError ? e.file : abs, CODES.config, 'error', (e as Error).message)] };
  }
  const entries = await fsp.readdir(abs, { withFileTypes: true });
  const names = entries.filter((e) => e.isFile()).map((e) => e.name);
  const { images, conflicts } = listImages(names, config.patterns);
  const out: Problem[] = [];
  for (const g of conflicts) out.push(p(path.join(abs, g[0]), CODES.conflict, 'error', `${g.join(', ')} share one stem, so they would share one mask; rename one`));
  const stems = new Set(images.map((n) => splitName(n).stem));
  const bases = images.flatMap((n) => {
    const f = maskFilesFor(path.join(abs, n), config);
    return [f.mask, f.instances, f.sidecar, path.join(abs, `.${path.basename(f.mask)}.journal`)].map((x) => path.basename(x));
  });
  for (const n of names) {
    if (isMaskName(n, config.patterns)) {
      const key = imageKeyForMask(n, config.patterns);
      if (key?.stem !== undefined && !stems.has(key.stem)) out.push(p(path.join(abs, n), CODES.orphan, 'warning', `no image with stem "${key.stem}" in this folder for this mask file`));
    }
    if (n.endsWith('.tmp') && bases.some((b) => isTempOf(n, b))) out.push(p(path.join(abs, n), CODES.tmp, 'warning', 'temporary file of an interrupted write (removed on the next save of its image)'));
    if (n.endsWith('.journal') && bases.includes(n)) out.push(p(path.join(abs, n), CODES.tmp, 'error', 'journal of an interrupted save (completed when its image is opened or written)'));
  }
  for (const n of images) {
    out.push(...await validateImage(path.join(abs, n), config));
    onImage?.();
  }
  return { images: images.length, problems: out };
}

/** Validates folders (and, with `recursive`, their sub-folders; hidden folders skipped). */
export async function validateDataset(dirs: readonly string[], opts: { recursive?: boolean; stopAt?: (dir: string) => string; onImage?: () => void } = {}): Promise<{ images: number; problems: Problem[] }> {
  let images = 0;
  const problems: Problem[] = [];
  const visit = async (dir: string): Promise<void> => {
    const r = await validateFolder(dir, opts.stopAt?.(dir), opts.onImage);
    images += r.images;
    problems.push(...r.problems);
    if (!opts.recursive) return;
    for (const e of await fsp.readdir(dir, { withFileTypes: true })) {
      if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') await visit(path.join(dir, e.name));
    }
  };
  for (const d of dirs) await visit(path.resolve(d));
  return { images, problems };
}
