// Import source of labelme JSON files (one per image; SRC is a file or a folder searched
// recursively). Shapes of one label and group_id form one instance, as labelme's shapes_to_label
// groups them; `__ignore__` becomes the ignore index and `_background_` the background class.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { decodeLabelPngBytes } from '../io/labelPng';
import { pixelsOfMask, type PlacedObject } from '../formats/compose';
import { BACKGROUND_LABEL, IGNORE_LABEL, REGION_DESCRIPTION, parseLabelme, type LabelmeDoc, type LabelmeShapeIn } from '../formats/labelme';
import { fillPil, pilCoordinate } from '../formats/polygonRaster';
import { BACKGROUND_KEY, IGNORE_KEY, roleOf, type LoadContext, type Loaded, type Source, type SourceItem, type SourceOptions } from './importTypes';

async function jsonFiles(src: string): Promise<string[]> {
  const st = await fsp.stat(src);
  if (st.isFile()) return [src];
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await fsp.readdir(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && e.name.toLowerCase().endsWith('.json') && !/\.mask\.json$/i.test(e.name) && e.name !== 'maskwright.json') out.push(p);
    }
  };
  await walk(src);
  return out.sort();
}

export function keyOfLabel(label: string): string {
  return label === IGNORE_LABEL ? IGNORE_KEY : label === BACKGROUND_LABEL ? BACKGROUND_KEY : label;
}

/** Pixels of one shape, or an error naming it. */
function shapePixels(s: LabelmeShapeIn, ctx: LoadContext, name: string): Int32Array | string {
  const { width: w, height: h } = ctx;
  for (const [x, y] of s.points) if (x < -1 || y < -1 || x > w || y > h) return `${name}: point (${x}, ${y}) is outside the ${w}x${h} image`;
  const buf = new Uint8Array(w * h);
  const pts = s.points.map(([x, y]) => [pilCoordinate(x), pilCoordinate(y)] as const);
  if (s.kind === 'polygon') fillPil(pts.flat(), w, h, buf, 1);
  else if (s.kind === 'rectangle') {
    const [x0, x1] = [Math.max(0, Math.min(pts[0][0], pts[1][0])), Math.min(w - 1, Math.max(pts[0][0], pts[1][0]))];
    const [y0, y1] = [Math.max(0, Math.min(pts[0][1], pts[1][1])), Math.min(h - 1, Math.max(pts[0][1], pts[1][1]))];
    for (let y = y0; y <= y1; y++) buf.fill(1, y * w + x0, y * w + x1 + 1);
  } else if (s.kind === 'circle') {
    const [cx, cy] = s.points[0], [px, py] = s.points[1];
    const r2 = (cx - px) ** 2 + (cy - py) ** 2;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r2) buf[y * w + x] = 1;
  } else {
    let png;
    try { png = decodeLabelPngBytes(s.maskPng as Uint8Array, name); } catch (e) { return `${name}: mask is not a readable PNG (${(e as Error).message})`; }
    const x0 = Math.trunc(s.points[0][0]), y0 = Math.trunc(s.points[0][1]);
    const mw = png.header.width, mh = png.header.height, ch = png.channels;
    if (x0 < 0 || y0 < 0 || x0 + mw > w || y0 + mh > h) return `${name}: the ${mw}x${mh} mask at (${x0}, ${y0}) runs outside the ${w}x${h} image`;
    for (let y = 0; y < mh; y++) for (let x = 0; x < mw; x++) if (png.data[(y * mw + x) * ch]) buf[(y0 + y) * w + x0 + x] = 1;
  }
  return pixelsOfMask(buf, w);
}

function labelmeItem(file: string, doc: LabelmeDoc, opts: SourceOptions): SourceItem {
  let image: SourceItem['image'];
  const errors = doc.errors.map((e) => `${file}: ${e}`);
  if (doc.imagePath) {
    const beside = path.resolve(path.dirname(file), doc.imagePath);
    const rel = path.relative(opts.images.root, beside);
    image = !rel.startsWith('..') && !path.isAbsolute(rel) ? opts.images.byPath(rel) : opts.images.byPath(path.basename(doc.imagePath));
  } else if (doc.hasImageData) {
    image = { error: `${file} has only imageData (no imagePath): put the image under ${opts.images.root} and set imagePath; embedded images are not extracted` };
  } else image = { error: `${file} has no imagePath` };
  return {
    ref: file, image, errors,
    ...(doc.width && doc.height ? { expected: { width: doc.width, height: doc.height } } : {}),
    annotations: doc.shapes.length,
    async load(ctx: LoadContext): Promise<Loaded> {
      const errs: string[] = [];
      const groups = new Map<string, { classId: number; role: PlacedObject['role']; wantId?: number; name: string; px: Int32Array[] }>();
      doc.shapes.forEach((s) => {
        const name = `${file}: shapes[${s.index}] ("${s.label}")`;
        const px = shapePixels(s, ctx, name);
        if (typeof px === 'string') { errs.push(px); return; }
        const key = keyOfLabel(s.label);
        const classId = ctx.classOf(key);
        if (classId === undefined) { errs.push(`${name}: label has no class`); return; }
        // A region: the background, a stuff class, or a shape Maskwright exported as a class region.
        const role: PlacedObject['role'] = key === IGNORE_KEY ? 'ignore' : roleOf(ctx, classId, key === BACKGROUND_KEY || (s.description === REGION_DESCRIPTION && s.groupId === null));
        // One instance per (label, group_id), as labelme's shapes_to_label; no group_id: its own instance.
        const gk = role === 'instance' && s.groupId !== null ? `${s.label}\u0000${s.groupId}` : `#${s.index}`;
        const g = groups.get(gk);
        if (g) g.px.push(px);
        else groups.set(gk, { classId, role, name, px: [px], ...(role === 'instance' && s.groupId !== null ? { wantId: s.groupId } : {}) });
      });
      const objects: PlacedObject[] = [...groups.values()].map((g) => ({
        role: g.role, classId: g.classId, name: g.name, ...(g.wantId !== undefined ? { wantId: g.wantId } : {}),
        pixels: () => { const out = new Int32Array(g.px.reduce((a, p) => a + p.length, 0)); let o = 0; for (const p of g.px) { out.set(p, o); o += p.length; } return out; },
      }));
      return { kind: 'objects', objects, errors: errs, warnings: doc.skipped.map((s) => `${file}: ${s}`) };
    },
  };
}

export async function labelmeSource(opts: SourceOptions): Promise<Source> {
  const files = await jsonFiles(path.resolve(opts.src));
  const items: SourceItem[] = [];
  const errors: string[] = [];
  const labels = new Set<string>();
  for (const file of files) {
    let doc: LabelmeDoc;
    try { doc = parseLabelme(await fsp.readFile(file, 'utf8')); } catch (e) {
      items.push({ ref: file, image: { error: `${file}: ${(e as Error).message}` }, errors: [], annotations: 0, load: async () => ({ kind: 'objects', objects: [], errors: [] }) });
      continue;
    }
    for (const s of doc.shapes) if (s.label !== IGNORE_LABEL && s.label !== BACKGROUND_LABEL) labels.add(s.label);
    items.push(labelmeItem(file, doc, opts));
  }
  if (files.length === 0) errors.push(`no .json files in ${opts.src}`);
  const categories = [...labels].sort().map((l) => ({ key: l, name: l }));
  return { categories, items, errors };
}
