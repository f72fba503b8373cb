// Issue "human work is never lost", scenarios 1 and 2 as a user runs them: pre-label with the CLI,
// a person corrects the mask (in the editor's save path, or with another program), the image
// becomes newer than its masks, then every automatic writer runs again. Masks are read back with
// our decoder and Debian's PIL.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { runBatch } from '../../../src/dataset/batch';
import { afterSave, fromSidecar, humanEdit, markReviewed, metaForSave } from '../../../src/editor/provenance';
import { readLabelPng } from '../../../src/io/labelPng';
import { readMasks } from '../../../src/io/masks';
import { writeMaskSet } from '../../../src/io/maskSet';
import { defaultConfig } from '../../../src/shared/config';
import { FIXTURE_IMAGES } from '../../paths';
import { fixtureModel } from '../inference/helpers';
import { pilRead, tempDir } from '../io/oracles';

async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [], err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), signal: new AbortController().signal });
  return { code, out, err };
}

const BLOCK = { x: 10, y: 10, size: 40, cls: 7 };

/** A person paints a 40x40 block of class 7 and saves, exactly as MaskDocument.save does. */
async function personPaints(image: string): Promise<void> {
  const cfg = defaultConfig();
  const loaded = await readMasks(image, 448, 172, cfg);
  const { semantic, width } = loaded.maps;
  for (let y = BLOCK.y; y < BLOCK.y + BLOCK.size; y++) semantic.fill(BLOCK.cls, y * width + BLOCK.x, y * width + BLOCK.x + BLOCK.size);
  const patch = { layer: 'semantic' as const, x: BLOCK.x, y: BLOCK.y, w: BLOCK.size, h: BLOCK.size, before: new Uint8Array(0), after: new Uint8Array(0) };
  const prov = humanEdit(fromSidecar(loaded.sidecar), [patch]);
  const meta = metaForSave(prov, new Date().toISOString(), 'ana');
  const r = await writeMaskSet(image, loaded.maps, loaded.instanceInfo, cfg, meta, { expectGeneration: loaded.sidecar?.generation ?? null });
  assert.equal(r.status, 'written');
  assert.equal(afterSave(prov, meta).pending.length, 0);
}

function blockKept(maskFile: string): number {
  const pil = pilRead(maskFile);
  const w = pil.shape[1];
  let kept = 0;
  for (let y = BLOCK.y; y < BLOCK.y + BLOCK.size; y++) for (let x = BLOCK.x; x < BLOCK.x + BLOCK.size; x++) if (pil.data[y * w + x] === BLOCK.cls) kept++;
  return kept;
}

const touchFuture = (f: string): void => { const t = new Date(Date.now() + 3600e3); fs.utimesSync(f, t, t); };

describe('human work is never lost', function () {
  this.timeout(180000);
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => { t = tempDir('mw-human-'); });
  afterEach(() => t.cleanup());

  it('a correction survives pre-label again after touch, another model and the classical CLI; --overwrite keeps it in the trash', async () => {
    const image = path.join(t.dir, 'page.png');
    fs.copyFileSync(path.join(FIXTURE_IMAGES, 'text.png'), image);
    const mask = path.join(t.dir, 'page.mask.png');
    assert.equal((await cli('prelabel', t.dir, '--model', 'pp-ocrv4-det', '--device', 'cpu')).code, 0);
    const side0 = JSON.parse(fs.readFileSync(path.join(t.dir, 'page.mask.json'), 'utf8'));
    assert.equal(side0.prelabel.source, 'model:pp-ocrv4-det');
    assert.equal(side0.edited, undefined);

    await personPaints(image);
    assert.equal(blockKept(mask), 1600);
    const side1 = JSON.parse(fs.readFileSync(path.join(t.dir, 'page.mask.json'), 'utf8'));
    assert.deepEqual(side1.edited.layers, ['semantic']);
    assert.equal(side1.edited.by, 'ana');
    assert.equal(side1.prelabel.source, 'model:pp-ocrv4-det', 'the draft provenance is kept beside the edit record');
    touchFuture(image); // as after git clone / checkout, cp without -p, rsync without -t

    const again = await cli('prelabel', t.dir, '--model', 'pp-ocrv4-det', '--device', 'cpu');
    assert.equal(again.code, 0);
    assert.match(again.out.join('\n'), /0 done, 1 skipped[\s\S]*skipped .*page\.png: edited by hand by ana/);
    assert.equal(blockKept(mask), 1600);

    const other = fixtureModel({ id: 'sal', family: 'salient', file: 'salient_red.onnx', classes: ['red'], input: { resize: 'multiple-of', multiple: 8, limitSideLen: 4096 } });
    const s = await runBatch([image], other, { device: 'cpu', backend: 'in-process' });
    assert.deepEqual([s.done, s.skipped], [0, 1]);
    assert.equal(blockKept(mask), 1600);

    for (const argv of [['threshold', t.dir], ['edges', t.dir], ['kmeans', t.dir, '--k', '2'], ['morph', t.dir, '--op', 'dilate', '--class', '7'], ['watershed', t.dir, '--class', '7'], ['components', t.dir, '--write-instances']]) {
      const r = await cli(...argv, '--json');
      assert.equal(r.code, 0, `${argv.join(' ')}: ${r.err.join('\n')}`);
      const rec = JSON.parse(r.out[0]);
      assert.equal(rec.written, false, argv[0]);
      assert.match(rec.skipped, /edited by hand/, argv[0]);
      assert.equal(blockKept(mask), 1600, argv[0]);
    }

    const before = fs.readFileSync(mask);
    const forced = await cli('prelabel', t.dir, '--model', 'pp-ocrv4-det', '--device', 'cpu', '--overwrite', '--json');
    assert.equal(forced.code, 0);
    const summary = JSON.parse(forced.out.join('\n'));
    assert.equal(summary.done, 1);
    assert.equal(blockKept(mask), 0, 'the model draft replaced the mask');
    const trashed = path.join(t.dir, summary.items[0].trashed);
    assert.deepEqual(fs.readFileSync(path.join(trashed, 'page.mask.png')), before, 'the person\'s mask is recoverable byte for byte');
    assert.equal(blockKept(path.join(trashed, 'page.mask.png')), 1600);
    assert.match(JSON.parse(fs.readFileSync(path.join(trashed, 'trash.json'), 'utf8')).reason, /--overwrite/);
  });

  it('a mask corrected with another program (PIL) and a reviewed mask are protected too', async () => {
    const image = path.join(t.dir, 'page.png');
    fs.copyFileSync(path.join(FIXTURE_IMAGES, 'text.png'), image);
    assert.equal((await cli('prelabel', t.dir, '--device', 'cpu')).code, 0);
    const mask = path.join(t.dir, 'page.mask.png');
    // Another program rewrites the mask (no generation chunk, new bytes).
    const { execFileSync } = await import('node:child_process');
    execFileSync('/usr/bin/python3', ['-c', `
from PIL import Image
import numpy as np
im = Image.open(${JSON.stringify(mask)}); a = np.array(im); a[10:50, 10:50] = 7
out = Image.fromarray(a, mode='P'); out.putpalette(im.getpalette()); out.save(${JSON.stringify(mask)})`]);
    touchFuture(image);
    const r = await cli('prelabel', t.dir, '--device', 'cpu');
    assert.match(r.out.join('\n'), /skipped .*page\.png: page\.mask\.png was changed by another program/);
    assert.equal(blockKept(mask), 1600);
    // Reviewed: marked by a person in the editor (no pixel edits).
    const loaded = await readMasks(image, 448, 172, defaultConfig());
    const meta = metaForSave(markReviewed(fromSidecar(loaded.sidecar), { at: '2026-12-02T10:00:00.000Z', by: 'bo' }), 'x', undefined);
    assert.equal((await writeMaskSet(image, loaded.maps, loaded.instanceInfo, defaultConfig(), meta)).status, 'written');
    const th = await cli('threshold', t.dir, '--json');
    assert.match(JSON.parse(th.out[0]).skipped, /^reviewed by bo on 2026-12-02T10:00:00.000Z/);
    assert.equal(blockKept(mask), 1600);
  });

  it('a pattern that resolves to a sibling image refuses the folder, naming pattern and file; nothing is written', async () => {
    for (const n of ['a.png', 'a_m.png', 'b.png']) fs.copyFileSync(path.join(FIXTURE_IMAGES, 'coffee.png'), path.join(t.dir, n));
    fs.writeFileSync(path.join(t.dir, 'maskwright.json'), JSON.stringify({ patterns: { mask: '{stem}_m.png', instances: '{stem}_i.png', sidecar: '{stem}_m.json' } }));
    const photo = fs.readFileSync(path.join(t.dir, 'a_m.png'));
    const listing = fs.readdirSync(t.dir).sort();
    const r = await cli('threshold', t.dir);
    assert.equal(r.code, 1);
    assert.match(r.err.join('\n'), /pattern "\{stem\}_m\.png" would write over .*a_m\.png, which is an image of the dataset, not a mask; nothing was written/);
    assert.deepEqual(fs.readFileSync(path.join(t.dir, 'a_m.png')), photo);
    assert.deepEqual(fs.readdirSync(t.dir).sort(), listing, 'no file written in the refused folder, b.png included');
    const p = await cli('prelabel', t.dir, '--device', 'cpu', '--json');
    assert.equal(p.code, 1);
    assert.equal(JSON.parse(p.out.join('\n')).failed, 2);
    assert.deepEqual(fs.readdirSync(t.dir).sort(), listing);

    // A gray photo is a picture too (more distinct values than a label map has).
    fs.copyFileSync(path.join(FIXTURE_IMAGES, 'camera.png'), path.join(t.dir, 'a_m.png'));
    const gray = fs.readFileSync(path.join(t.dir, 'a_m.png'));
    const g = await cli('threshold', t.dir);
    assert.equal(g.code, 1);
    assert.match(g.err.join('\n'), /pattern "\{stem\}_m\.png" would write over .*a_m\.png, which is an image of the dataset/);
    assert.deepEqual(fs.readFileSync(path.join(t.dir, 'a_m.png')), gray);

    fs.writeFileSync(path.join(t.dir, 'maskwright.json'), JSON.stringify({ patterns: { mask: '{name}' } }));
    const n = await cli('threshold', t.dir);
    assert.equal(n.code, 1);
    assert.match(n.err.join('\n'), /patterns\.mask "\{name\}" must contain \{stem\}/);
    assert.deepEqual(fs.readFileSync(path.join(t.dir, 'a.png')), photo);
  });

  it('a tool with nothing to work on writes nothing and says why', async () => {
    fs.copyFileSync(path.join(FIXTURE_IMAGES, 'coffee.png'), path.join(t.dir, 'c.png'));
    for (const argv of [['watershed', t.dir], ['components', t.dir, '--write-instances'], ['morph', t.dir, '--op', 'open']]) {
      const r = await cli(...argv, '--json');
      assert.equal(r.code, 0);
      const rec = JSON.parse(r.out[0]);
      assert.equal(rec.written, false);
      assert.match(rec.skipped, /no (pixels of class|saved mask)/, argv[0]);
      assert.deepEqual(fs.readdirSync(t.dir), ['c.png'], argv[0]);
    }
  });

  it('the saved mask reads back the same with our decoder and PIL', async () => {
    const image = path.join(t.dir, 'page.png');
    fs.copyFileSync(path.join(FIXTURE_IMAGES, 'text.png'), image);
    await personPaints(image);
    const ours = await readLabelPng(path.join(t.dir, 'page.mask.png'));
    assert.deepEqual([...pilRead(path.join(t.dir, 'page.mask.png')).data], [...ours.data]);
  });
});
