// Imports of files written by other tools: a labelme file saved by labelme's own LabelFile (compared
// with labelme's shapes_to_label), YOLO lines written the way ultralytics' converter writes them
// (x / width, 6 decimals; compared with its polygon2mask), a COCO file with overlapping polygons,
// an uncompressed crowd RLE and no instance ids; nested folders; cancellation.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { readMasks } from '../../../src/io/masks';
import { parseConfig } from '../../../src/shared/config';
import { exportDataset } from '../../../src/interchange/exportDataset';
import { importDataset } from '../../../src/interchange/importDataset';
import { frPoly } from '../../../src/formats/polygonRaster';
import { decodeCounts } from '../../../src/formats/rle';
import { FIXTURE_IMAGES } from '../../paths';
import { CONFIG, imagesOnly, makeDataset, nearBoundary, oracle, u16 } from './dataset';

interface Run { code: number; out: string[]; err: string[] }
async function cli(...argv: string[]): Promise<Run> {
  const out: string[] = [], err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), signal: new AbortController().signal });
  return { code, out, err };
}

function tmp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

describe('import: files written by other tools', function () {
  this.timeout(300000);
  let dir = '';
  beforeEach(() => {
    dir = tmp('mw-foreign-');
    fs.mkdirSync(path.join(dir, 'images'));
    fs.copyFileSync(path.join(FIXTURE_IMAGES, 'camera.png'), path.join(dir, 'images', 'camera.png'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const images = (): string => path.join(dir, 'images');

  it('labelme: a file saved by labelme itself imports as labelme\'s shapes_to_label draws it (within one pixel of the outlines)', async () => {
    const lm = path.join(dir, 'labelme');
    fs.mkdirSync(lm);
    const shapes = [
      { label: 'person', points: [[40.2, 30.7], [200.5, 44.1], [180.9, 210.3], [60.4, 190.6]], group_id: 1, shape_type: 'polygon' },
      { label: 'person', points: [[300, 300], [340.5, 300], [320.2, 350.8]], group_id: 1, shape_type: 'polygon' },
      { label: 'car', points: [[250.4, 60.6], [400.3, 140.2]], group_id: null, shape_type: 'rectangle' },
      { label: 'car', points: [[100, 300], [160, 290], [170, 380], [90.5, 400]], group_id: 7, shape_type: 'polygon' },
    ];
    const names = { _background_: 0, person: 1, car: 2 };
    const ref = oracle<{ cls: string; ins: string }>('labelme_write', path.join(images(), 'camera.png'), path.join(lm, 'camera.json'), JSON.stringify(shapes), JSON.stringify(names));
    const r = await cli('import', '--format', 'labelme', lm, '--images', images(), '--json');
    assert.equal(r.code, 0, r.out.join('\n') + r.err.join('\n'));
    const config = parseConfig(fs.readFileSync(path.join(images(), 'maskwright.json'), 'utf8'));
    const id = (n: string): number => config.classes.find((c) => c.name === n)!.id;
    const m = await readMasks(path.join(images(), 'camera.png'), 512, 512, config);
    const cls = u16(ref.cls), ins = u16(ref.ins);
    const want = cls.map((v) => (v === 1 ? id('person') : v === 2 ? id('car') : 0));
    const edge = nearBoundary(want, 512, 512);
    let far = 0, near = 0;
    const farAt: string[] = [];
    for (let i = 0; i < want.length; i++) if (m.maps.semantic[i] !== want[i]) { if (edge[i]) near++; else { far++; farAt.push(`${i % 512},${Math.floor(i / 512)}: ${m.maps.semantic[i]} vs ${want[i]}`); } }
    assert.equal(far, 0, `${far} pixels differ away from the outlines: ${farAt.slice(0, 5).join('; ')}`);
    assert.ok(near <= 20, `${near} outline pixels differ`);
    // Shapes of one label and group_id are one instance (labelme's rule); group ids are kept.
    assert.deepEqual(m.instanceInfo.map((i) => i.id).sort((a, b) => a - b), [1, 2, 7]);
    assert.equal(m.maps.instances[320 * 512 + 320], 1);
    assert.equal(m.maps.instances[100 * 512 + 100], 1);
    let same = 0;
    for (let i = 0; i < ins.length; i++) if ((ins[i] !== 0) === (m.maps.instances[i] !== 0)) same++;
    assert.ok(same >= ins.length - near - 10);
  });

  it('yolo-seg: lines written like ultralytics\' converter (x / width, 6 decimals) import as its polygon2mask draws them', async () => {
    const yolo = path.join(dir, 'yolo');
    fs.mkdirSync(path.join(yolo, 'labels'), { recursive: true });
    fs.writeFileSync(path.join(yolo, 'data.yaml'), 'path: .\ntrain: images\nval: images\nnames:\n  0: person\n  1: car\n');
    const polys = [[0, [40, 30, 200, 44, 180, 210, 60, 190]], [1, [250, 60, 400, 60, 400, 140, 250, 140]], [0, [300, 300, 340, 300, 320, 350]]] as const;
    fs.writeFileSync(path.join(yolo, 'labels', 'camera.txt'), polys.map(([c, p]) => `${c} ${p.map((v) => (v / 512).toFixed(6)).join(' ')}`).join('\n') + '\n');
    const r = await cli('import', '--format', 'yolo-seg', yolo, '--images', images(), '--json');
    assert.equal(r.code, 0, r.out.join('\n'));
    const ref = oracle<{ cls: number; mask: string }[]>('yolo', path.join(yolo, 'labels', 'camera.txt'), '512', '512');
    const config = parseConfig(fs.readFileSync(path.join(images(), 'maskwright.json'), 'utf8'));
    const m = await readMasks(path.join(images(), 'camera.png'), 512, 512, config);
    assert.equal(m.instanceInfo.length, 3);
    ref.forEach((line, k) => {
      const mask = u16(line.mask);
      const id = m.maps.instances[[112 * 512 + 120, 100 * 512 + 320, 310 * 512 + 320][k]];
      assert.ok(id > 0);
      let diff = 0;
      for (let i = 0; i < mask.length; i++) if ((mask[i] !== 0) !== (m.maps.instances[i] === id)) diff++;
      assert.ok(diff <= 4, `line ${k + 1}: ${diff} pixels differ from ultralytics' polygon2mask`);
    });
  });

  it('coco from elsewhere: overlapping polygons (the smaller stays on top), an uncompressed crowd RLE -> ignore, no instance ids, a new maskwright.json', async () => {
    const w = 512, h = 512;
    const crowd = new Uint8Array(w * h);
    for (let y = 400; y < 450; y++) for (let x = 10; x < 60; x++) crowd[y * w + x] = 1;
    const counts: number[] = [];
    let prev = 0, run = 0;
    for (let x = 0; x < w; x++) for (let y = 0; y < h; y++) { const v = crowd[y * w + x]; if (v !== prev) { counts.push(run); run = 0; prev = v; } run++; }
    counts.push(run);
    const small = [110, 110, 150, 110, 150, 150, 110, 150], big = [50, 50, 300, 50, 300, 300, 50, 300];
    const doc = {
      images: [{ id: 42, file_name: 'camera.png', width: w, height: h }],
      categories: [{ id: 1, name: 'person', supercategory: 'person' }, { id: 5, name: 'kite', supercategory: 'kite' }],
      annotations: [
        { id: 1, image_id: 42, category_id: 5, segmentation: [small], area: 1600, bbox: [110, 110, 40, 40], iscrowd: 0 },
        { id: 2, image_id: 42, category_id: 1, segmentation: [big], area: 62500, bbox: [50, 50, 250, 250], iscrowd: 0 },
        { id: 3, image_id: 42, category_id: 1, segmentation: { size: [h, w], counts }, area: 2500, bbox: [10, 400, 50, 50], iscrowd: 1 },
      ],
    };
    const file = path.join(dir, 'instances.json');
    fs.writeFileSync(file, JSON.stringify(doc));
    const r = await cli('import', '--format', 'coco', file, '--images', images(), '--json');
    assert.equal(r.code, 0, r.out.join('\n'));
    const config = parseConfig(fs.readFileSync(path.join(images(), 'maskwright.json'), 'utf8'));
    assert.deepEqual(config.classes.map((c) => [c.id, c.name]), [[0, 'background'], [1, 'person'], [5, 'kite']]);
    const m = await readMasks(path.join(images(), 'camera.png'), w, h, config);
    const smallPx = decodeCounts(frPoly(small, h, w), w, h), bigPx = decodeCounts(frPoly(big, h, w), w, h);
    for (let i = 0; i < w * h; i++) {
      const want = smallPx[i] ? 5 : bigPx[i] ? 1 : crowd[i] ? 255 : 0;
      if (m.maps.semantic[i] !== want) assert.fail(`pixel ${i % w},${Math.floor(i / w)}: class ${m.maps.semantic[i]}, expected ${want}`);
    }
    assert.deepEqual(m.instanceInfo.map((i) => [i.id, i.class, i.source]), [[1, 5, 'import:coco'], [2, 1, 'import:coco']]);
  });

  it('nested folders: COCO file_name keeps the sub-folder and the import finds the image by it', async () => {
    const ds = await makeDataset();
    try {
      const sub = path.join(ds.dir, 'sub');
      fs.mkdirSync(sub);
      fs.renameSync(path.join(ds.dir, 'coins.png'), path.join(sub, 'coins.png'));
      for (const n of ['coins.mask.png', 'coins.instances.png', 'coins.mask.json']) fs.renameSync(path.join(ds.dir, n), path.join(sub, n));
      const out = ds.dir + '-nested.json';
      const e = await cli('export', '--format', 'coco', '--out', out, '--recursive', '--json', ds.dir);
      assert.equal(e.code, 0, e.out.join('\n'));
      const doc = JSON.parse(fs.readFileSync(out, 'utf8'));
      assert.deepEqual(doc.images.map((i: { file_name: string }) => i.file_name).sort(), ['camera.png', 'sub/coins.png']);
      const im = { dir: tmp('mw-nested-'), cleanup: () => fs.rmSync(im.dir, { recursive: true, force: true }) };
      fs.mkdirSync(path.join(im.dir, 'sub'));
      fs.copyFileSync(path.join(ds.dir, 'camera.png'), path.join(im.dir, 'camera.png'));
      fs.copyFileSync(path.join(sub, 'coins.png'), path.join(im.dir, 'sub', 'coins.png'));
      fs.copyFileSync(path.join(ds.dir, 'maskwright.json'), path.join(im.dir, 'maskwright.json'));
      try {
        const r = await cli('import', '--format', 'coco', out, '--images', im.dir, '--json');
        assert.equal(r.code, 0, r.out.join('\n'));
        const coins = ds.labelled.find((l) => l.file.endsWith('coins.png'))!;
        const m = await readMasks(path.join(im.dir, 'sub', 'coins.png'), 320, 240, CONFIG);
        assert.deepEqual([...m.maps.instances], [...coins.maps.instances]);
      } finally { im.cleanup(); fs.rmSync(out, { force: true }); }
    } finally { ds.cleanup(); }
  });

  it('cancel: an export stopped before its end writes no COCO file; an import stopped writes nothing more', async () => {
    const ds = await makeDataset();
    try {
      const ac = new AbortController();
      const out = ds.dir + '-cancel.json';
      const s = await exportDataset({ format: 'coco', out, inputs: [ds.dir], signal: ac.signal, onProgress: (p) => { if (p.finished === 0) ac.abort(); } });
      assert.equal(s.cancelled, true);
      assert.equal(s.images, 1);
      assert.equal(fs.existsSync(out), false);
      const full = await exportDataset({ format: 'coco', out, inputs: [ds.dir] });
      assert.equal(full.images, 2);
      const im = imagesOnly(ds.dir, true);
      try {
        const ac2 = new AbortController();
        ac2.abort();
        const r = await importDataset({ format: 'coco', src: out, images: im.dir, signal: ac2.signal });
        assert.equal(r.cancelled, true);
        assert.equal(r.images, 0);
        assert.deepEqual(fs.readdirSync(im.dir).sort(), ['camera.png', 'coins.png', 'maskwright.json']);
      } finally { im.cleanup(); fs.rmSync(out, { force: true }); }
    } finally { ds.cleanup(); }
  });
});
