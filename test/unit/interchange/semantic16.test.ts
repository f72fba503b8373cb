// Interchange of a 16-bit dataset: COCO category ids 300 and 1000 kept as class ids on import
// (--semantic-bits 16), the masks read back with PIL, COCO and COCO panoptic exports that import
// again pixel for pixel, and the 8-bit formats refusing ids they cannot hold by name.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { encodeRgbPng } from '../../../src/io/image';
import { maskFilesFor, readMasks } from '../../../src/io/masks';
import { writeMaskSet } from '../../../src/io/maskSet';
import { createLabelMaps } from '../../../src/shared/maskModel';
import { parseConfig } from '../../../src/shared/config';
import { pilReadMany, type PilResult } from '../io/oracles';

interface Run { code: number; out: string[]; err: string[] }
async function cli(...argv: string[]): Promise<Run> {
  const out: string[] = [], err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), signal: new AbortController().signal });
  return { code, out, err };
}
type Summary = { items: { image: string; status: string; reason?: string }[]; categoryMap?: Record<string, number> };
const json = (r: Run): Summary => JSON.parse(r.out[0]) as Summary;

const W = 64, H = 48;

/** COCO uncompressed RLE (column-major runs, starting with zeros) of a binary mask. */
function rle(mask: Uint8Array): { size: [number, number]; counts: number[] } {
  const counts: number[] = [];
  let prev = 0, run = 0;
  for (let x = 0; x < W; x++) for (let y = 0; y < H; y++) { const v = mask[y * W + x]; if (v !== prev) { counts.push(run); run = 0; prev = v; } run++; }
  counts.push(run);
  return { size: [H, W], counts };
}

function rect(x0: number, y0: number, x1: number, y1: number, hole?: [number, number, number, number]): Uint8Array {
  const m = new Uint8Array(W * H);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) m[y * W + x] = 1;
  if (hole) for (let y = hole[1]; y < hole[3]; y++) for (let x = hole[0]; x < hole[2]; x++) m[y * W + x] = 0;
  return m;
}

/** PIL's reading of one image's semantic mask. */
function pilMask(dir: string, config = parseConfig(fs.readFileSync(path.join(dir, 'maskwright.json'), 'utf8'))): PilResult {
  const r = pilReadMany([maskFilesFor(path.join(dir, 'img.png'), config).mask])[0];
  if (r instanceof Error) throw r;
  return r;
}

describe('interchange of 16-bit datasets', function () {
  this.timeout(120000);
  let root: string;
  const objects = [
    { cat: 300, mask: rect(4, 4, 24, 20, [10, 8, 14, 12]) },
    { cat: 300, mask: rect(30, 6, 40, 16) },
    { cat: 1000, mask: rect(8, 26, 56, 44) },
  ];
  const expected = new Uint16Array(W * H);
  for (const o of objects) for (let i = 0; i < expected.length; i++) if (o.mask[i]) expected[i] = o.cat;
  const imagesDir = (name: string): string => {
    const d = path.join(root, name);
    fs.mkdirSync(d);
    fs.copyFileSync(path.join(root, 'img.png'), path.join(d, 'img.png'));
    return d;
  };

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-sem16-'));
    fs.writeFileSync(path.join(root, 'img.png'), await encodeRgbPng(W, H, 3, new Uint8Array(W * H * 3).fill(90)));
    fs.writeFileSync(path.join(root, 'coco.json'), JSON.stringify({
      images: [{ id: 1, file_name: 'img.png', width: W, height: H }],
      categories: [{ id: 300, name: 'three hundred', supercategory: 'x' }, { id: 1000, name: 'thousand', supercategory: 'x' }],
      annotations: objects.map((o, k) => ({ id: k + 1, image_id: 1, category_id: o.cat, segmentation: rle(o.mask), area: o.mask.reduce((a, v) => a + v, 0), bbox: [0, 0, 1, 1], iscrowd: 0 })),
    }));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('imports COCO category ids 300 and 1000 as class ids into a 16-bit dataset; PIL reads them, pixel for pixel', async () => {
    const dir = imagesDir('a');
    const r = await cli('import', '--format', 'coco', path.join(root, 'coco.json'), '--images', dir, '--semantic-bits', '16', '--json');
    assert.equal(r.code, 0, r.out.join('\n') + r.err.join('\n'));
    assert.equal(json(r).categoryMap, undefined, 'no category was remapped');
    const config = parseConfig(fs.readFileSync(path.join(dir, 'maskwright.json'), 'utf8'));
    assert.equal(config.semanticBits, 16);
    assert.equal(config.ignoreIndex, 65535);
    assert.deepEqual(config.classes.map((c) => [c.id, c.name]), [[0, 'background'], [300, 'three hundred'], [1000, 'thousand']]);
    const pil = pilMask(dir, config);
    assert.ok(pil.mode === 'I;16' || pil.mode === 'I', `PIL mode ${pil.mode}`);
    assert.deepEqual(Array.from(pil.data), Array.from(expected));
  });

  it('--semantic-bits 16 turns an existing 8-bit dataset 16-bit: its ignore index is kept, its 8-bit masks read the same ids', async () => {
    const dir = imagesDir('c');
    const old = parseConfig(JSON.stringify({ classes: [{ id: 0, name: 'background' }, { id: 5, name: 'bike' }] }));
    fs.writeFileSync(path.join(dir, 'maskwright.json'), JSON.stringify({ classes: [{ id: 0, name: 'background' }, { id: 5, name: 'bike' }] }));
    fs.copyFileSync(path.join(dir, 'img.png'), path.join(dir, 'other.png'));
    const maps = createLabelMaps(W, H);
    maps.semantic.fill(5, 0, 100);
    maps.semantic.fill(255, 100, 150);
    assert.equal((await writeMaskSet(path.join(dir, 'other.png'), maps, [], old, {})).status, 'written');
    const r = await cli('import', '--format', 'coco', path.join(root, 'coco.json'), '--images', dir, '--semantic-bits', '16', '--json');
    assert.equal(r.code, 0, r.out.join('\n'));
    const config = parseConfig(fs.readFileSync(path.join(dir, 'maskwright.json'), 'utf8'));
    assert.equal(config.semanticBits, 16);
    assert.equal(config.ignoreIndex, 255, 'the old masks\' void keeps its meaning');
    assert.deepEqual(config.classes.map((c) => c.id), [0, 5, 300, 1000]);
    assert.deepEqual(Array.from(pilMask(dir, config).data), Array.from(expected));
    const other = await readMasks(path.join(dir, 'other.png'), W, H, config);
    assert.ok(other.maps.semantic instanceof Uint16Array);
    assert.deepEqual(Array.from(other.maps.semantic), Array.from(maps.semantic));
    assert.deepEqual(other.warnings, []);
  });

  it('without --semantic-bits an 8-bit dataset gets the recorded mapping to free ids', async () => {
    const dir = imagesDir('b');
    const r = await cli('import', '--format', 'coco', path.join(root, 'coco.json'), '--images', dir, '--json');
    assert.equal(r.code, 0, r.out.join('\n'));
    assert.deepEqual(json(r).categoryMap, { 300: 1, 1000: 2 });
    const pil = pilMask(dir);
    assert.equal(pil.mode, 'P');
    assert.deepEqual(Array.from(pil.data), Array.from(expected, (v) => (v === 300 ? 1 : v === 1000 ? 2 : 0)));
  });

  it('COCO and COCO panoptic exports keep the ids and import again pixel for pixel', async () => {
    const src = path.join(root, 'a');
    for (const [format, out] of [['coco', path.join(root, 'out.json')], ['coco-panoptic', path.join(root, 'pan.json')]] as const) {
      const e = await cli('export', '--format', format, '--out', out, '--json', src);
      assert.equal(e.code, 0, e.out.join('\n'));
      const doc = JSON.parse(fs.readFileSync(out, 'utf8')) as { categories: { id: number }[] };
      assert.ok([300, 1000].every((id) => doc.categories.some((c) => c.id === id)), `${format}: categories ${JSON.stringify(doc.categories)}`);
      const dir = imagesDir(`from-${format}`);
      const i = await cli('import', '--format', format, out, '--images', dir, '--semantic-bits', '16', '--json');
      assert.equal(i.code, 0, i.out.join('\n'));
      assert.deepEqual(Array.from(pilMask(dir).data), Array.from(expected), `${format} round trip`);
    }
  });

  it('YOLO-seg and labelme export the 16-bit classes by list position and by name', async () => {
    const src = path.join(root, 'a');
    const y = await cli('export', '--format', 'yolo-seg', '--out', path.join(root, 'out-yolo'), '--json', src);
    assert.equal(y.code, 0, y.out.join('\n'));
    assert.match(fs.readFileSync(path.join(root, 'out-yolo', 'data.yaml'), 'utf8'), /three hundred[\s\S]*thousand/);
    const lines = fs.readFileSync(path.join(root, 'out-yolo', 'labels', 'img.txt'), 'utf8').trim().split('\n');
    assert.deepEqual(lines.map((l) => l.split(' ')[0]).sort(), ['0', '0', '1'], 'two objects of class 300 (index 0), one of 1000 (index 1)');
    const l = await cli('export', '--format', 'labelme', '--out', path.join(root, 'out-labelme'), '--json', src);
    assert.equal(l.code, 0, l.out.join('\n'));
    const doc = JSON.parse(fs.readFileSync(path.join(root, 'out-labelme', 'img.json'), 'utf8')) as { shapes: { label: string }[] };
    assert.deepEqual([...new Set(doc.shapes.map((x) => x.label))].sort(), ['thousand', 'three hundred']);
  });

  it('VOC, Cityscapes labelIds and gray8 refuse class ids that do not fit 8 bits, naming the id and pixel', async () => {
    const src = path.join(root, 'a');
    for (const [format, name] of [['voc', 'VOC'], ['cityscapes', 'Cityscapes labelIds'], ['gray8', 'gray8']] as const) {
      const e = await cli('export', '--format', format, '--out', path.join(root, `out-${format}`), '--json', src);
      assert.equal(e.code, 1, `${format}: ${e.out.join('\n')}`);
      const item = json(e).items[0];
      assert.equal(item.status, 'failed');
      assert.equal(item.reason, `class id 300 at pixel 4,4 does not fit ${name}'s 8-bit masks (class ids 0..${format === 'voc' ? 254 : 255}); export coco or coco-panoptic, which keep 16-bit class ids`);
    }
  });
});
