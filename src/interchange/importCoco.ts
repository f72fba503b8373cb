// Import sources of the JSON formats with a file for the whole dataset: COCO (instances and
// COCO-stuff, RLE or polygons), COCO panoptic (JSON + PNG folder) and Label Studio brush exports.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { readLabelPng } from '../io/labelPng';
import { annotationName, parseCoco, type CocoAnnotationIn } from '../formats/coco';
import { pixelsOfCounts, pixelsOfMask, type DenseSegment, type PlacedObject } from '../formats/compose';
import { brushMask, decodeBrushRle, parseLabelStudio, uploadedName } from '../formats/labelStudio';
import { rgbToIds } from '../formats/panoptic';
import { frPoly } from '../formats/polygonRaster';
import { RleError, rleCounts } from '../formats/rle';
import { roleOf, type LoadContext, type Loaded, type Source, type SourceItem, type SourceOptions } from './importTypes';

async function readText(file: string): Promise<string> {
  try { return await fsp.readFile(file, 'utf8'); } catch (e) { throw new Error(`cannot read ${file}: ${(e as Error).message}`); }
}

/** Pixels of a COCO segmentation on a width x height image, or an error naming the annotation. */
function segmentationPixels(seg: CocoAnnotationIn['segmentation'], ctx: LoadContext, name: string): Int32Array | string {
  const { width: w, height: h } = ctx;
  if (Array.isArray(seg)) {
    const parts: Int32Array[] = [];
    for (let k = 0; k < seg.length; k++) {
      const p = seg[k];
      for (let i = 0; i < p.length; i += 2) {
        if (p[i] < -1 || p[i] > w + 1 || p[i + 1] < -1 || p[i + 1] > h + 1) return `${name}: polygon ${k} point (${p[i]}, ${p[i + 1]}) is outside the ${w}x${h} image`;
      }
      parts.push(pixelsOfCounts(frPoly(p, h, w), w, h));
    }
    const out = new Int32Array(parts.reduce((a, p) => a + p.length, 0));
    let o = 0;
    for (const p of parts) { out.set(p, o); o += p.length; }
    return out;
  }
  if (seg.size[0] !== h || seg.size[1] !== w) return `${name}: RLE size [${seg.size.join(', ')}] does not match the ${w}x${h} image ([${h}, ${w}])`;
  try { return pixelsOfCounts(rleCounts(seg), w, h); } catch (e) {
    if (e instanceof RleError) return `${name}: ${e.message}`;
    throw e;
  }
}

export async function cocoSource(opts: SourceOptions): Promise<Source> {
  const file = path.resolve(opts.src);
  const doc = parseCoco(await readText(file), file);
  const categories = doc.categories.map((c) => ({ key: String(c.id), sourceId: c.id, name: c.name, ...(c.isthing !== undefined ? { isthing: c.isthing } : {}), ...(c.color ? { color: c.color } : {}) }));
  const items: SourceItem[] = doc.images.map((im) => {
    const key = String(im.id);
    const anns = doc.byImage.get(key) ?? [];
    const ignore = doc.ignore.get(key);
    return {
      ref: `${file}: images[${im.index}] (${im.fileName})`,
      image: opts.images.byPath(im.fileName),
      ...(im.width && im.height ? { expected: { width: im.width, height: im.height } } : {}),
      errors: doc.imageErrors.get(key) ?? [],
      annotations: anns.length,
      async load(ctx: LoadContext): Promise<Loaded> {
        const objects: PlacedObject[] = [];
        const errors: string[] = [];
        for (const a of anns) {
          const name = annotationName(file, a);
          const px = segmentationPixels(a.segmentation, ctx, name);
          if (typeof px === 'string') { errors.push(px); continue; }
          const classId = ctx.classOf(String(a.categoryId));
          if (classId === undefined) { errors.push(`${name}: category ${a.categoryId} has no class`); continue; }
          const role = a.iscrowd ? 'crowd' : roleOf(ctx, classId, a.instanceId === 0);
          objects.push({ role, classId, name, pixels: () => px, ...(a.instanceId ? { wantId: a.instanceId } : {}) });
        }
        if (ignore) {
          const px = segmentationPixels(ignore, ctx, `${file}: images[${im.index}].ignore_mask`);
          if (typeof px === 'string') errors.push(px);
          else objects.push({ role: 'ignore', classId: ctx.config.ignoreIndex, name: 'ignore_mask', pixels: () => px });
        }
        return { kind: 'objects', objects, errors };
      },
    };
  });
  return { categories, items, errors: doc.errors };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** COCO panoptic: SRC is the JSON; the PNGs are in the folder of the same name (FILE.json -> FILE/). */
export async function panopticSource(opts: SourceOptions): Promise<Source> {
  const file = path.resolve(opts.src);
  const pngDir = file.replace(/\.json$/i, '');
  const text = await readText(file);
  const doc = parseCoco(text, file, false);
  const raw = JSON.parse(text) as Record<string, unknown>;
  const thing = new Map(doc.categories.map((c) => [c.id, c.isthing !== false]));
  const categories = doc.categories.map((c) => ({ key: String(c.id), sourceId: c.id, name: c.name, isthing: c.isthing !== false, ...(c.color ? { color: c.color } : {}) }));
  const errors = [...doc.errors];
  const anns = new Map<string, { index: number; fileName: string; segments: Record<string, unknown>[] }>();
  (Array.isArray(raw.annotations) ? raw.annotations : []).forEach((a: unknown, index: number) => {
    const at = `${file}: annotations[${index}]`;
    if (!isObj(a) || (typeof a.image_id !== 'number' && typeof a.image_id !== 'string') || typeof a.file_name !== 'string' || !Array.isArray(a.segments_info)) { errors.push(`${at} needs image_id, file_name and segments_info`); return; }
    if (anns.has(String(a.image_id))) { errors.push(`${at}: a second annotation for image_id ${a.image_id}`); return; }
    anns.set(String(a.image_id), { index, fileName: a.file_name, segments: a.segments_info.filter(isObj) });
  });
  const items: SourceItem[] = doc.images.map((im) => {
    const a = anns.get(String(im.id));
    return {
      ref: `${file}: images[${im.index}] (${im.fileName})`,
      image: opts.images.byPath(im.fileName),
      ...(im.width && im.height ? { expected: { width: im.width, height: im.height } } : {}),
      errors: [...(doc.imageErrors.get(String(im.id)) ?? []), ...(a ? [] : [`${file}: no annotation for image_id ${im.id}`])],
      annotations: a?.segments.length ?? 0,
      async load(ctx: LoadContext): Promise<Loaded> {
        const errs: string[] = [];
        const at = `${file}: annotations[${a!.index}]`;
        const png = await readLabelPng(path.join(pngDir, a!.fileName));
        if (png.header.width !== ctx.width || png.header.height !== ctx.height) return { kind: 'dense', classes: new Int32Array(0), keys: null, segments: new Map(), errors: [`${at}: ${a!.fileName} is ${png.header.width}x${png.header.height}, the image ${ctx.width}x${ctx.height}`] };
        if (png.channels < 3 || png.header.bitDepth !== 8) return { kind: 'dense', classes: new Int32Array(0), keys: null, segments: new Map(), errors: [`${at}: ${a!.fileName} is not an 8-bit RGB PNG`] };
        const keys = rgbToIds(png.data, png.channels, ctx.width * ctx.height);
        const segments = new Map<number, DenseSegment>();
        const classOfSeg = new Map<number, number>();
        a!.segments.forEach((s, k) => {
          const name = `${at}.segments_info[${k}]`;
          if (typeof s.id !== 'number' || typeof s.category_id !== 'number') { errs.push(`${name} needs id and category_id`); return; }
          if (segments.has(s.id)) { errs.push(`${name}: segment id ${s.id} is listed twice`); return; }
          const classId = ctx.classOf(String(s.category_id));
          if (classId === undefined) { errs.push(`${name}: category ${s.category_id} is not in categories`); return; }
          const inst = typeof s.instance_id === 'number' ? s.instance_id : undefined;
          const role = s.iscrowd === 1 ? 'crowd' : thing.get(s.category_id) === false ? 'region' : roleOf(ctx, classId, inst === 0);
          segments.set(s.id, { role, classId, name, ...(inst ? { wantId: inst } : {}) });
          classOfSeg.set(s.id, classId);
        });
        const classes = new Int32Array(keys.length);
        for (let i = 0; i < keys.length; i++) {
          const k = keys[i];
          if (k === 0) { classes[i] = -1; continue; }
          const c = classOfSeg.get(k);
          if (c === undefined) {
            errs.push(`${at}: pixel ${i % ctx.width},${Math.floor(i / ctx.width)} has segment id ${k} (RGB ${k & 255},${(k >> 8) & 255},${k >> 16}), which segments_info does not list`);
            break;
          }
          classes[i] = c;
        }
        return { kind: 'dense', classes, keys, segments, errors: errs };
      },
    };
  });
  return { categories, items, errors };
}

/** Label Studio JSON export with brush (RLE) results; each result is one object. */
export async function labelStudioSource(opts: SourceOptions): Promise<Source> {
  const file = path.resolve(opts.src);
  const tasks = parseLabelStudio(await readText(file), file);
  const labels = new Set<string>();
  for (const t of tasks) for (const r of t.results) labels.add(r.label);
  const categories = [...labels].sort().map((l) => ({ key: l, name: l }));
  const items: SourceItem[] = tasks.map((t) => {
    const n = uploadedName(t.image);
    let image = opts.images.byPath(n.stripped);
    if ('error' in image && n.stripped !== n.name) image = opts.images.byPath(n.name);
    return {
      ref: `${file}: tasks[${t.index}] (${t.image})`,
      image,
      errors: t.errors,
      annotations: t.results.length,
      async load(ctx: LoadContext): Promise<Loaded> {
        const objects: PlacedObject[] = [];
        const errors: string[] = [];
        for (const r of t.results) {
          if (r.width !== ctx.width || r.height !== ctx.height) { errors.push(`${r.where}: original size ${r.width}x${r.height} differs from the ${ctx.width}x${ctx.height} image`); continue; }
          let mask: Uint8Array;
          try { mask = brushMask(decodeBrushRle(r.rle, ctx.width * ctx.height * 4), ctx.width, ctx.height); } catch (e) { errors.push(`${r.where}: ${(e as Error).message}`); continue; }
          const classId = ctx.classOf(r.label) as number;
          const px = pixelsOfMask(mask, ctx.width);
          objects.push({ role: roleOf(ctx, classId, false), classId, name: `${r.where} ("${r.label}")`, pixels: () => px });
        }
        return { kind: 'objects', objects, errors };
      },
    };
  });
  return { categories, items, errors: [] };
}

