// Import sources of the per-image label files: Pascal VOC, Cityscapes, gray8 (pixel values are
// class ids) and YOLO-seg (polygons with class indexes into data.yaml names).
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { readLabelPng } from '../io/labelPng';
import type { DatasetConfig } from '../shared/config';
import type { SourceCategory } from '../formats/categories';
import { cityscapesInstances } from '../formats/cityscapes';
import { pixelsOfMask, type DenseSegment, type PlacedObject } from '../formats/compose';
import { fillCentres } from '../formats/polygonRaster';
import { VOC_CLASSES, VOC_VOID, parseLabelmap } from '../formats/voc';
import { parseDataYamlNames, parseYoloLabels } from '../formats/yoloSeg';
import { roleOf, type LoadContext, type Loaded, type Source, type SourceItem, type SourceOptions } from './importTypes';

async function listFiles(dir: string, test: (name: string) => boolean): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    let entries;
    try { entries = await fsp.readdir(d, { withFileTypes: true }); } catch (e) { throw new Error(`cannot list ${d}: ${(e as Error).message}`); }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && !e.name.startsWith('.')) await walk(p);
      else if (e.isFile() && test(e.name)) out.push(p);
    }
  };
  await walk(dir);
  return out.sort();
}

/** Reads a label PNG as one value per pixel (palette index or gray), checking its size. */
async function readValues(file: string, width: number, height: number): Promise<Uint8Array | Uint16Array | string> {
  const png = await readLabelPng(file);
  if (png.header.width !== width || png.header.height !== height) return `${file} is ${png.header.width}x${png.header.height}, the image ${width}x${height}`;
  if (png.channels !== 1) return `${file}: ${png.channels}-channel PNG; expected palette or grayscale ids`;
  return png.data;
}

/** Categories for pixel values that are class ids: the config's name where it has the id, else `names[v]`, else "class v". */
function valueCategories(values: Iterable<number>, config: DatasetConfig, names: readonly (string | null | undefined)[]): SourceCategory[] {
  return [...values].filter((v) => v !== config.ignoreIndex).sort((a, b) => a - b).map((v) => ({
    key: String(v), sourceId: v, name: config.classes.find((c) => c.id === v)?.name ?? names[v] ?? `class ${v}`,
  }));
}

async function presentValues(files: readonly string[]): Promise<Set<number>> {
  const seen = new Set<number>();
  for (const f of files) {
    try {
      const png = await readLabelPng(f);
      const hist = new Uint8Array(65536);
      for (let i = 0; i < png.data.length; i += png.channels) hist[png.data[i]] = 1;
      for (let v = 0; v < 65536; v++) if (hist[v]) seen.add(v);
    } catch { /* reported when the item loads */ }
  }
  return seen;
}

/** Class per pixel from values that are class ids (void = the ignore index or VOC 255 -> -1). */
function classesOf(values: ArrayLike<number>, ctx: LoadContext, voidValue: number): { classes: Int32Array; error?: string } {
  const classes = new Int32Array(values.length);
  const lut = new Map<number, number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === voidValue || v === ctx.config.ignoreIndex) { classes[i] = -1; continue; }
    let c = lut.get(v);
    if (c === undefined) {
      c = v === ctx.config.backgroundId ? v : ctx.classOf(String(v));
      if (c === undefined) return { classes, error: `value ${v} has no class` };
      lut.set(v, c);
    }
    classes[i] = c;
  }
  return { classes };
}

function denseItem(ref: string, image: SourceItem['image'], load: (ctx: LoadContext) => Promise<Loaded>): SourceItem {
  return { ref, image, errors: [], annotations: 1, load };
}

const failed = (errors: string[]): Loaded => ({ kind: 'dense', classes: new Int32Array(0), keys: null, segments: new Map(), errors });

export async function vocSource(opts: SourceOptions): Promise<Source> {
  const root = path.resolve(opts.src);
  const classFiles = await listFiles(path.join(root, 'SegmentationClass'), (n) => n.toLowerCase().endsWith('.png'));
  let names: (string | null)[] = [...VOC_CLASSES];
  const lm = await fsp.readFile(path.join(root, 'labelmap.txt'), 'utf8').catch(() => null);
  if (lm !== null) names = parseLabelmap(lm).map((e) => e.name);
  const categories = valueCategories(await presentValues(classFiles), opts.config, names).filter((c) => c.sourceId !== VOC_VOID);
  const items = classFiles.map((cf) => {
    const stem = path.basename(cf, path.extname(cf));
    const of = path.join(root, 'SegmentationObject', path.basename(cf));
    return denseItem(cf, opts.images.byStemOf([stem]), async (ctx) => {
      const cls = await readValues(cf, ctx.width, ctx.height);
      if (typeof cls === 'string') return failed([cls]);
      const { classes, error } = classesOf(cls, ctx, VOC_VOID);
      if (error) return failed([`${cf}: ${error}`]);
      let objs: Uint8Array | Uint16Array | string | null = null;
      try { await fsp.access(of); objs = await readValues(of, ctx.width, ctx.height); } catch { objs = null; }
      if (typeof objs === 'string') return failed([objs]);
      if (!objs) return { kind: 'dense', classes, keys: null, segments: new Map(), errors: [] };
      const keys = new Uint32Array(objs.length);
      const votes = new Map<number, Map<number, number>>();
      for (let i = 0; i < objs.length; i++) {
        const v = objs[i];
        if (v === 0 || v === VOC_VOID || classes[i] < 0) continue;
        keys[i] = v;
        const m = votes.get(v) ?? new Map<number, number>();
        m.set(classes[i], (m.get(classes[i]) ?? 0) + 1);
        votes.set(v, m);
      }
      const segments = new Map<number, DenseSegment>();
      for (const [v, m] of votes) {
        const classId = [...m.entries()].sort((a, b) => b[1] - a[1])[0][0];
        segments.set(v, { role: roleOf(ctx, classId, false), classId, wantId: v, name: `${of}: object ${v}` });
      }
      return { kind: 'dense', classes, keys, segments, errors: [] };
    });
  });
  return { categories, items, errors: classFiles.length ? [] : [`no PNGs in ${path.join(root, 'SegmentationClass')}`] };
}

export async function cityscapesSource(opts: SourceOptions): Promise<Source> {
  const root = path.resolve(opts.src);
  const labelFiles = await listFiles(root, (n) => n.endsWith('_gtFine_labelIds.png'));
  const categories = valueCategories(await presentValues(labelFiles), opts.config, []);
  const items = labelFiles.map((lf) => {
    const stem = path.basename(lf).replace(/_gtFine_labelIds\.png$/, '');
    const inf = lf.replace(/_labelIds\.png$/, '_instanceIds.png');
    return denseItem(lf, opts.images.byStemOf([stem, `${stem}_leftImg8bit`]), async (ctx) => {
      const lab = await readValues(lf, ctx.width, ctx.height);
      if (typeof lab === 'string') return failed([lab]);
      const { classes, error } = classesOf(lab, ctx, -1);
      if (error) return failed([`${lf}: ${error}`]);
      let ids: Uint8Array | Uint16Array | string | null = null;
      try { await fsp.access(inf); ids = await readValues(inf, ctx.width, ctx.height); } catch { ids = null; }
      if (typeof ids === 'string') return failed([ids]);
      if (!ids) return { kind: 'dense', classes, keys: null, segments: new Map(), errors: [] };
      const keys = new Uint32Array(ids.length);
      for (let i = 0; i < ids.length; i++) if (ids[i] >= 1000) keys[i] = ids[i];
      const segments = new Map<number, DenseSegment>();
      for (const [v, { cls, k }] of cityscapesInstances(ids)) {
        const classId = ctx.classOf(String(cls)) ?? (cls === ctx.config.backgroundId ? cls : undefined);
        if (classId === undefined) return failed([`${inf}: instance value ${v} has class ${cls}, which has no class`]);
        segments.set(v, { role: 'instance', classId, ...(k >= 1 ? { wantId: k } : {}), name: `${inf}: instance ${v}` });
      }
      return { kind: 'dense', classes, keys, segments, errors: [] };
    });
  });
  return { categories, items, errors: labelFiles.length ? [] : [`no *_gtFine_labelIds.png under ${root}`] };
}

export async function gray8Source(opts: SourceOptions): Promise<Source> {
  const root = path.resolve(opts.src);
  const files = await listFiles(root, (n) => n.toLowerCase().endsWith('.png'));
  const categories = valueCategories(await presentValues(files), opts.config, []);
  const items = files.map((f) => denseItem(f, opts.images.byStemOf([path.basename(f, path.extname(f))]), async (ctx) => {
    const v = await readValues(f, ctx.width, ctx.height);
    if (typeof v === 'string') return failed([v]);
    const { classes, error } = classesOf(v, ctx, -1);
    return error ? failed([`${f}: ${error}`]) : { kind: 'dense', classes, keys: null, segments: new Map(), errors: [] };
  }));
  return { categories, items, errors: files.length ? [] : [`no PNGs in ${root}`] };
}

/** YOLO-seg: SRC is the dataset folder (data.yaml + labels/) or the data.yaml itself. */
export async function yoloSource(opts: SourceOptions): Promise<Source> {
  let root = path.resolve(opts.src);
  let yaml = path.join(root, 'data.yaml');
  if (/\.ya?ml$/i.test(root)) { yaml = root; root = path.dirname(root); }
  const names = parseDataYamlNames(await fsp.readFile(yaml, 'utf8').catch((e: Error) => { throw new Error(`cannot read ${yaml}: ${e.message}`); }), yaml);
  const labelDir = path.join(root, 'labels');
  const files = await listFiles(labelDir, (n) => n.endsWith('.txt'));
  const categories = names.map((n, i) => ({ key: String(i), name: n }));
  const items = files.map((f): SourceItem => ({
    ref: f, image: opts.images.byStemOf([path.basename(f, '.txt')]), errors: [], annotations: 0,
    async load(ctx: LoadContext): Promise<Loaded> {
      const { objects, errors } = parseYoloLabels(await fsp.readFile(f, 'utf8'), f, ctx.width, ctx.height, names.length);
      const placed: PlacedObject[] = objects.map((o) => {
        const classId = ctx.classOf(String(o.cls)) as number;
        const buf = new Uint8Array(ctx.width * ctx.height);
        fillCentres([o.ring], ctx.width, ctx.height, buf, 1);
        const px = pixelsOfMask(buf, ctx.width);
        return { role: roleOf(ctx, classId, false), classId, name: `${f}:${o.line} (class ${o.cls} "${names[o.cls]}")`, pixels: () => px };
      });
      return { kind: 'objects', objects: placed, errors };
    },
  }));
  return { categories, items, errors: files.length ? [] : [`no label files in ${labelDir}`] };
}
