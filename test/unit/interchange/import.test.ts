// Import: round trips (export, then import into a fresh copy of the images) exact for COCO RLE,
// COCO polygons, COCO panoptic, VOC, Cityscapes and gray8, within the boundary tolerance for the
// polygon formats; categories into maskwright.json; protection of human work; bad input reported
// per file and annotation with the other images still imported and nothing half-written.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { readMasks } from '../../../src/io/masks';
import { parseConfig } from '../../../src/shared/config';
import { encodeBrushRle } from '../../../src/formats/labelStudio';
import { CONFIG, imagesOnly, makeDataset, nearBoundary, type Labelled } from './dataset';

interface Run { code: number; out: string[]; err: string[] }
async function cli(...argv: string[]): Promise<Run> {
  const out: string[] = [], err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), signal: new AbortController().signal });
  return { code, out, err };
}
const json = (r: Run): Record<string, unknown> & { items: { image: string; status: string; reason?: string }[] } => JSON.parse(r.out[0]);

async function maps(dir: string, l: Labelled): Promise<{ semantic: Uint8Array | Uint16Array; instances: Uint16Array; sources: string[] }> {
  const m = await readMasks(path.join(dir, path.basename(l.file)), l.maps.width, l.maps.height, CONFIG);
  return { semantic: m.maps.semantic, instances: m.maps.instances, sources: [...new Set(m.instanceInfo.map((i) => i.source))] };
}

function diff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

/** Instance maps equal up to renaming ids; returns differing pixels. */
function partitionDiff(a: Uint16Array, b: Uint16Array): number {
  const map = new Map<number, number>();
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    if (!map.has(a[i])) map.set(a[i], b[i]);
    if (map.get(a[i]) !== b[i]) n++;
  }
  return n;
}

describe('import: round trips and categories', function () {
  this.timeout(300000);
  let ds: Awaited<ReturnType<typeof makeDataset>>;
  let out = '';
  before(async () => { ds = await makeDataset(); out = ds.dir + '-out'; });
  after(() => { ds.cleanup(); fs.rmSync(out, { recursive: true, force: true }); });

  const exact: [string, string, string[]][] = [
    ['coco', 'coco.json', []], ['coco', 'poly.json', ['--polygons']], ['coco-panoptic', 'panoptic.json', []],
    ['voc', 'voc', []], ['cityscapes', 'cityscapes', []],
  ];
  for (const [format, target, extra] of exact) {
    it(`${format}${extra.length ? ' ' + extra.join(' ') : ''}: export then import gives the same maps pixel for pixel, source import:${format}`, async () => {
      const e = await cli('export', '--format', format, '--out', path.join(out, target), ...extra, '--json', ds.dir);
      assert.equal(e.code, 0, e.out.join('\n'));
      if (extra.includes('--polygons')) {
        const s = json(e);
        assert.ok((s.polygons as number) > 0 && (s.rleForHoles as number) > 0, 'some objects as polygons, those with holes as RLE');
      }
      const im = imagesOnly(ds.dir, true);
      try {
        const r = await cli('import', '--format', format, path.join(out, target), '--images', im.dir, '--json');
        assert.equal(r.code, 0, r.out.join('\n') + r.err.join('\n'));
        assert.equal(json(r).images, 2);
        for (const l of ds.labelled) {
          const m = await maps(im.dir, l);
          assert.equal(diff(m.semantic, l.maps.semantic), 0, `${path.basename(l.file)} semantic`);
          assert.equal(diff(m.instances, l.maps.instances), 0, `${path.basename(l.file)} instances`);
          assert.deepEqual(m.sources, [`import:${format}`]);
        }
      } finally { im.cleanup(); }
    });
  }

  it('gray8: the semantic map comes back exactly (the format has no instances)', async () => {
    assert.equal((await cli('export', '--format', 'gray8', '--out', path.join(out, 'gray8'), ds.dir)).code, 0);
    const im = imagesOnly(ds.dir, true);
    try {
      assert.equal((await cli('import', '--format', 'gray8', path.join(out, 'gray8'), '--images', im.dir)).code, 0);
      for (const l of ds.labelled) assert.equal(diff((await maps(im.dir, l)).semantic, l.maps.semantic), 0);
    } finally { im.cleanup(); }
  });

  it('labelme: labels and instances within one pixel of the boundaries; yolo-seg: instances (ids renumbered) likewise, plus bridge lines', async () => {
    for (const format of ['labelme', 'yolo-seg']) {
      assert.equal((await cli('export', '--format', format, '--out', path.join(out, format), ds.dir)).code, 0);
      const im = imagesOnly(ds.dir, true);
      try {
        const r = await cli('import', '--format', format, path.join(out, format), '--images', im.dir, '--json');
        assert.equal(r.code, 0, r.out.join('\n'));
        for (const l of ds.labelled) {
          const m = await maps(im.dir, l);
          const { width: w, height: h } = l.maps;
          const edge = nearBoundary(l.maps.instances, w, h), sedge = nearBoundary(l.maps.semantic, w, h);
          let far = 0;
          if (format === 'labelme') {
            for (let i = 0; i < w * h; i++) if ((m.semantic[i] !== l.maps.semantic[i] || m.instances[i] !== l.maps.instances[i]) && !edge[i] && !sedge[i]) far++;
            assert.equal(far, 0, `labelme ${path.basename(l.file)}: ${far} pixels differ away from boundaries`);
          } else {
            // YOLO keeps no ids and no class regions: compare the instance partition; bridges are 1-pixel lines.
            const renamed = new Map<number, number>();
            for (let i = 0; i < w * h; i++) {
              const a = l.maps.instances[i], b = m.instances[i];
              if (a && b && !renamed.has(b)) renamed.set(b, a);
            }
            for (let i = 0; i < w * h; i++) if ((renamed.get(m.instances[i]) ?? 0) !== l.maps.instances[i] && !edge[i]) far++;
            assert.ok(far <= 0.002 * w * h, `yolo ${path.basename(l.file)}: ${far} pixels differ away from boundaries`);
          }
        }
      } finally { im.cleanup(); }
    }
  });

  it('into a folder without maskwright.json: creates it with the categories (COCO ids kept) and isthing -> kind', async () => {
    const im = imagesOnly(ds.dir, false);
    try {
      const r = await cli('import', '--format', 'coco', path.join(out, 'coco.json'), '--images', im.dir, '--json');
      assert.equal(r.code, 0, r.out.join('\n'));
      const cfg = parseConfig(fs.readFileSync(path.join(im.dir, 'maskwright.json'), 'utf8'));
      assert.deepEqual(cfg.classes.map((c) => [c.id, c.name, c.kind]), [[0, 'background', 'stuff'], [1, 'bright', 'thing'], [2, 'dark', 'stuff'], [3, 'coin', 'thing']]);
      assert.ok((json(r).files as string[]).includes(path.join(im.dir, 'maskwright.json')));
    } finally { im.cleanup(); }
  });

  it('label-studio brush export: each brush result one object, the file name matched without the upload prefix', async () => {
    const l = ds.labelled.find((x) => path.basename(x.file) === 'coins.png')!;
    const { width: w, height: h } = l.maps;
    const results = l.info.map((i) => ({
      type: 'brushlabels', from_name: 'tag', to_name: 'image', original_width: w, original_height: h,
      value: { format: 'rle', rle: encodeBrushRle(l.maps.instances.map((v) => (v === i.id ? 1 : 0))), brushlabels: ['coin'] },
    }));
    const file = path.join(out, 'ls.json');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(file, JSON.stringify([{ id: 1, data: { image: '/data/upload/1/0a1b2c3d-coins.png' }, annotations: [{ result: results }] }]));
    const im = imagesOnly(ds.dir, true);
    try {
      const r = await cli('import', '--format', 'label-studio', file, '--images', im.dir, '--json');
      assert.equal(r.code, 0, r.out.join('\n'));
      const m = await maps(im.dir, l);
      assert.equal(partitionDiff(l.maps.instances, m.instances), 0);
      assert.equal(diff(m.semantic, l.maps.instances.map((v) => (v ? 3 : 0))), 0);
    } finally { im.cleanup(); }
  });
});

describe('import: protection and bad input', function () {
  this.timeout(300000);
  let ds: Awaited<ReturnType<typeof makeDataset>>;
  let coco = '';
  before(async () => {
    ds = await makeDataset();
    coco = ds.dir + '-coco.json';
    assert.equal((await cli('export', '--format', 'coco', '--out', coco, ds.dir)).code, 0);
  });
  after(() => { ds.cleanup(); fs.rmSync(coco, { force: true }); });

  const variant = (edit: (doc: { images: Record<string, unknown>[]; annotations: Record<string, unknown>[]; categories: Record<string, unknown>[] }) => void): string => {
    const doc = JSON.parse(fs.readFileSync(coco, 'utf8'));
    edit(doc);
    const f = coco.replace(/\.json$/, `-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(f, JSON.stringify(doc));
    return f;
  };
  const imageOf = (doc: { images: Record<string, unknown>[] }, name: string): Record<string, unknown> => doc.images.find((i) => i.file_name === name)!;
  const noMasks = (dir: string, stem: string): boolean => !fs.existsSync(path.join(dir, `${stem}.mask.png`)) && !fs.existsSync(path.join(dir, `${stem}.mask.json`));

  const bad: [string, (d: Parameters<Parameters<typeof variant>[0]>[0]) => void, RegExp][] = [
    ['a polygon outside the image', (d) => { const a = d.annotations.find((x) => x.image_id === imageOf(d, 'coins.png').id)!; a.segmentation = [[10, 10, 900, 10, 10, 40]]; }, /annotations\[\d+\] \(id \d+\): polygon 0 point \(900, 10\) is outside the 320x240 image/],
    ['an RLE whose size disagrees with the image', (d) => { const a = d.annotations.find((x) => x.image_id === imageOf(d, 'coins.png').id)! as { segmentation: { size: number[] } }; a.segmentation.size = [100, 100]; }, /annotations\[\d+\] \(id \d+\): RLE size \[100, 100\] does not match the 320x240 image/],
    ['duplicate annotation ids', (d) => { const a = d.annotations.filter((x) => x.image_id === imageOf(d, 'coins.png').id); a[1].id = a[0].id; }, /annotations\[\d+\] \(id \d+\) and annotations\[\d+\] share id/],
  ];
  for (const [what, edit, message] of bad) {
    it(`${what}: the image fails with a message naming the file and the annotation; the other image is imported; nothing half-written`, async () => {
      const f = variant(edit);
      const im = imagesOnly(ds.dir, true);
      try {
        const r = await cli('import', '--format', 'coco', f, '--images', im.dir, '--json');
        assert.equal(r.code, 1);
        const s = json(r);
        const failed = s.items.find((i) => i.status === 'failed')!;
        assert.ok(failed.reason!.includes(f), failed.reason);
        assert.match(failed.reason!, message);
        assert.equal(s.images, 1);
        assert.ok(noMasks(im.dir, 'coins'));
        assert.ok(fs.existsSync(path.join(im.dir, 'camera.mask.png')));
      } finally { im.cleanup(); fs.rmSync(f, { force: true }); }
    });
  }

  it('an unknown image file: that entry fails naming it; the others are imported', async () => {
    const f = variant((d) => { d.images.push({ id: 99, file_name: 'missing.jpg', width: 10, height: 10 }); });
    const im = imagesOnly(ds.dir, true);
    try {
      const r = await cli('import', '--format', 'coco', f, '--images', im.dir, '--json');
      assert.equal(r.code, 1);
      const s = json(r);
      assert.equal(s.images, 2);
      assert.match(s.items.find((i) => i.status === 'failed')!.reason!, /"missing\.jpg" is not an image under/);
    } finally { im.cleanup(); fs.rmSync(f, { force: true }); }
  });

  it('a truncated JSON: exit 2, the file and the position named, nothing written (no masks, no config)', async () => {
    const f = coco.replace(/\.json$/, '-cut.json');
    const text = fs.readFileSync(coco, 'utf8');
    fs.writeFileSync(f, text.slice(0, Math.floor(text.length / 2)));
    const im = imagesOnly(ds.dir, false);
    try {
      const r = await cli('import', '--format', 'coco', f, '--images', im.dir);
      assert.equal(r.code, 2);
      assert.match(r.err.join('\n'), new RegExp(`${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON: .*truncated`));
      assert.deepEqual(fs.readdirSync(im.dir).sort(), ['camera.png', 'coins.png']);
    } finally { im.cleanup(); fs.rmSync(f, { force: true }); }
  });

  it('labelme files with imageData only: a clear message naming the file; the other file imported', async () => {
    const lm = ds.dir + '-lm';
    assert.equal((await cli('export', '--format', 'labelme', '--out', lm, ds.dir)).code, 0);
    const cam = path.join(lm, 'camera.json');
    const doc = JSON.parse(fs.readFileSync(cam, 'utf8'));
    doc.imagePath = null;
    doc.imageData = 'iVBORw0KGgo=';
    fs.writeFileSync(cam, JSON.stringify(doc));
    const im = imagesOnly(ds.dir, true);
    try {
      const r = await cli('import', '--format', 'labelme', lm, '--images', im.dir, '--json');
      assert.equal(r.code, 1);
      const s = json(r);
      assert.match(s.items.find((i) => i.status === 'failed')!.reason!, /camera\.json has only imageData \(no imagePath\)/);
      assert.equal(s.images, 1);
    } finally { im.cleanup(); fs.rmSync(lm, { recursive: true, force: true }); }
  });

  it('reviewed or hand-edited masks are skipped with the reason; --dry-run writes nothing; --overwrite replaces and keeps the old files in the trash', async () => {
    const im = imagesOnly(ds.dir, true);
    try {
      assert.equal((await cli('import', '--format', 'coco', coco, '--images', im.dir)).code, 0);
      const side = path.join(im.dir, 'camera.mask.json');
      const s0 = JSON.parse(fs.readFileSync(side, 'utf8'));
      assert.equal(s0.prelabel.source, 'import:coco');
      // A person edits the camera masks (the editor records it in the sidecar).
      s0.edited = { at: new Date().toISOString(), by: 'tester', layers: ['semantic'] };
      fs.writeFileSync(side, JSON.stringify(s0));
      const before = fs.readFileSync(path.join(im.dir, 'camera.mask.png'));
      const again = await cli('import', '--format', 'coco', coco, '--images', im.dir, '--json');
      const item = json(again).items.find((i) => i.image.endsWith('camera.png'))!;
      assert.equal(item.status, 'skipped');
      assert.match(item.reason!, /edited by hand by tester/);
      assert.deepEqual(fs.readFileSync(path.join(im.dir, 'camera.mask.png')), before);
      const dry = await cli('import', '--format', 'coco', coco, '--images', im.dir, '--overwrite', '--dry-run', '--json');
      assert.equal(dry.code, 0);
      assert.deepEqual(fs.readFileSync(path.join(im.dir, 'camera.mask.png')), before);
      assert.equal(JSON.parse(fs.readFileSync(side, 'utf8')).edited.by, 'tester');
      const over = await cli('import', '--format', 'coco', coco, '--images', im.dir, '--overwrite', '--json');
      assert.equal(json(over).items.find((i) => i.image.endsWith('camera.png'))!.status, 'done');
      assert.equal(JSON.parse(fs.readFileSync(side, 'utf8')).edited, undefined);
      assert.ok(fs.existsSync(path.join(im.dir, '.maskwright', 'trash')));
    } finally { im.cleanup(); }
  });

  it('category ids that do not fit are remapped, added to maskwright.json and recorded in each sidecar', async () => {
    const f = variant((d) => {
      for (const c of d.categories) if (c.id === 3) { c.id = 300; c.name = 'kite'; }
      for (const a of d.annotations) if (a.category_id === 3) a.category_id = 300;
    });
    const im = imagesOnly(ds.dir, true);
    try {
      const r = await cli('import', '--format', 'coco', f, '--images', im.dir, '--json');
      assert.equal(r.code, 0, r.out.join('\n'));
      const s = json(r);
      assert.deepEqual(s.categoryMap, { 300: 4 });
      const cfg = parseConfig(fs.readFileSync(path.join(im.dir, 'maskwright.json'), 'utf8'));
      assert.deepEqual(cfg.classes.find((c) => c.id === 4), { id: 4, name: 'kite', color: '#00ff00', kind: 'thing' });
      const side = JSON.parse(fs.readFileSync(path.join(im.dir, 'coins.mask.json'), 'utf8'));
      assert.deepEqual(side.prelabel.params.categoryMap, { 300: 4 });
    } finally { im.cleanup(); fs.rmSync(f, { force: true }); }
  });
});
