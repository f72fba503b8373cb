// `maskwright import`: masks from another tool's export, written beside the images through the
// same protected writer as every automatic writer (atomic sets; reviewed, hand-edited or unknown
// masks are skipped unless overwrite). Categories become classes of maskwright.json (created or
// extended; see formats/categories.ts). Each image either imports completely or not at all; a
// problem is reported with the file and the annotation, and the other images go on.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { findConfig } from '../dataset/config';
import { writeAutomatic } from '../dataset/protect';
import { defaultIgnoreIndex } from '../shared/config';
import { readImageInfo } from '../io/image';
import { composeDense, composeObjects, type Composed } from '../formats/compose';
import { planCategories } from '../formats/categories';
import { bump, newSummary, record, type ImportFormat, type JobProgress, type JobSummary } from './common';
import { extendConfigFile, importBaseConfig } from './configFile';
import { ImageIndex } from './imageIndex';
import { cocoSource, labelStudioSource, panopticSource } from './importCoco';
import { cityscapesSource, gray8Source, vocSource, yoloSource } from './importDense';
import { labelmeSource } from './importLabelme';
import { BACKGROUND_KEY, IGNORE_KEY, type Source, type SourceOptions } from './importTypes';

export interface ImportOptions {
  readonly format: ImportFormat;
  /** The export to read: a JSON file (coco, coco-panoptic, label-studio, labelme) or a folder. */
  readonly src: string;
  /** The dataset's image folder (searched recursively). */
  readonly images: string;
  readonly overwrite?: boolean;
  readonly dryRun?: boolean;
  /** Crowd annotations as the ignore index (default) or as their class. */
  readonly crowd?: 'ignore' | 'class';
  /**
   * 16: the dataset becomes 16-bit (its config gets "semanticBits": 16; an existing config keeps
   * its ignore index), so category ids up to 65534 stay class ids. Absent: the config decides.
   */
  readonly semanticBits?: 16;
  /** Where config discovery stops (see findConfig). */
  readonly stopAt?: (dir: string) => string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: JobProgress) => void;
}

export class ImportError extends Error {
  override name = 'ImportError';
}

function sourceFor(format: ImportFormat, o: SourceOptions): Promise<Source> {
  switch (format) {
    case 'coco': return cocoSource(o);
    case 'coco-panoptic': return panopticSource(o);
    case 'label-studio': return labelStudioSource(o);
    case 'labelme': return labelmeSource(o);
    case 'voc': return vocSource(o);
    case 'cityscapes': return cityscapesSource(o);
    case 'gray8': return gray8Source(o);
    case 'yolo-seg': return yoloSource(o);
    default: {
      const never: never = format;
      throw new ImportError(`unknown format ${String(never)}`);
    }
  }
}

/**
 * Imports `src` into the dataset at `images`. Throws ImportError when the source cannot be read at
 * all (missing, not JSON, truncated): then nothing is written. Per-image problems are summary items.
 */
export async function importDataset(opts: ImportOptions): Promise<JobSummary> {
  const summary = newSummary(opts.format);
  const imagesDir = path.resolve(opts.images);
  try { if (!(await fsp.stat(imagesDir)).isDirectory()) throw new Error('not a folder'); } catch (e) { throw new ImportError(`--images ${opts.images}: ${(e as Error).message}`); }
  try { await fsp.stat(opts.src); } catch (e) { throw new ImportError(`${opts.src}: ${(e as Error).message}`); }
  const stopAt = opts.stopAt ?? ((d: string) => (path.relative(imagesDir, d).startsWith('..') ? d : imagesDir));
  const found = await findConfig(imagesDir, { stopAt: stopAt(imagesDir) });
  let base = found.file ? found.config : importBaseConfig();
  if (opts.semanticBits === 16 && base.semanticBits !== 16) {
    // Existing 8-bit masks stay readable (they are widened when read); their ignore index keeps its meaning.
    base = { ...base, semanticBits: 16, ignoreIndex: found.file ? base.ignoreIndex : defaultIgnoreIndex(16) };
  }
  const index = await ImageIndex.build(imagesDir, stopAt);
  let source: Source;
  try { source = await sourceFor(opts.format, { src: opts.src, images: index, config: base }); } catch (e) { throw new ImportError((e as Error).message); }
  summary.errors.push(...source.errors);

  const plan = planCategories(source.categories, base);
  summary.errors.push(...plan.errors);
  const { config, file: configFile, written } = await extendConfigFile(found.file, imagesDir, base, plan.added, opts.dryRun === true);
  if (written) summary.files.push(configFile);
  bump(summary, 'classesAdded', plan.added.length);
  const categoryMap = Object.fromEntries(plan.remapped.map((r) => [r.key, r.classId]));
  if (plan.remapped.length) bump(summary, 'categoriesRemapped', plan.remapped.length);
  const classOf = (key: string): number | undefined => key === IGNORE_KEY ? config.ignoreIndex : key === BACKGROUND_KEY ? config.backgroundId : plan.classOf.get(key);
  const stuff = new Set(config.classes.filter((c) => c.kind === 'stuff').map((c) => c.id));
  const source_ = `import:${opts.format}`;

  const seen = new Map<string, string>();
  for (let i = 0; i < source.items.length; i++) {
    const item = source.items[i];
    if (opts.signal?.aborted) { summary.cancelled = true; break; }
    opts.onProgress?.({ total: source.items.length, finished: i, current: item.ref });
    const fail = (reason: string, image = item.ref): void => record(summary, { image, status: 'failed', reason });
    if ('error' in item.image) { fail(item.image.error); continue; }
    const image = item.image.image;
    if (seen.has(image)) { fail(`${item.ref} and ${seen.get(image)} both annotate ${image}; the first one is imported`, image); continue; }
    seen.set(image, item.ref);
    if (item.errors.length) { fail(item.errors.join('; '), image); continue; }
    try {
      const own = await findConfig(path.dirname(image), { stopAt: stopAt(path.dirname(image)) });
      if (own.file !== null && own.file !== configFile) {
        fail(`its folder has its own config ${own.file ?? '(none)'}; import into that folder separately`, image); continue;
      }
      const { width, height } = await readImageInfo(image);
      if (item.expected && (item.expected.width !== width || item.expected.height !== height)) {
        fail(`${item.ref} says ${item.expected.width}x${item.expected.height} but the image is ${width}x${height}`, image); continue;
      }
      const loaded = await item.load({ width, height, config, classOf, isStuff: (c) => stuff.has(c) });
      if (loaded.errors.length) { fail(loaded.errors.join('; '), image); continue; }
      const copts = { width, height, backgroundId: config.backgroundId, ignoreIndex: config.ignoreIndex, semanticBits: config.semanticBits, crowd: opts.crowd ?? 'ignore', source: source_ } as const;
      const composed: Composed = loaded.kind === 'objects' ? composeObjects(loaded.objects, copts) : composeDense(loaded.classes, loaded.keys, loaded.segments, copts);
      const warnings = [...(loaded.warnings ?? []), ...composed.warnings];
      const res = await writeAutomatic(image, composed.maps, composed.instances, config, {
        source: source_, params: { from: path.basename(opts.src), ...(plan.remapped.length ? { categoryMap } : {}) },
        overwrite: opts.overwrite === true, dryRun: opts.dryRun === true,
      });
      if (res.status === 'skipped') { record(summary, { image, status: 'skipped', reason: res.reason }); continue; }
      if (res.status === 'written') summary.files.push(...res.files);
      const n = loaded.kind === 'objects' ? loaded.objects.length : composed.instances.length;
      summary.annotations += n;
      record(summary, { image, status: 'done', annotations: n, ...(warnings.length ? { warnings } : {}) });
    } catch (e) {
      fail((e as Error).message, image);
    }
  }
  opts.onProgress?.({ total: source.items.length, finished: source.items.length });
  if (plan.remapped.length) summary.details.categoryMap = categoryMap;
  summary.details.config = configFile;
  return summary;
}
