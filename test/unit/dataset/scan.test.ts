import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE } from '../../../src/shared/config';
import { listFolderImages, parseShard, scanDataset, scanDatasetDetailed, shardOf } from '../../../src/dataset/scan';
import { tempDir } from '../io/oracles';

describe('dataset/scan', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => { t = tempDir('mw-scan-'); });
  afterEach(() => t.cleanup());
  const touch = (...p: string[]): void => { fs.mkdirSync(path.dirname(path.join(t.dir, ...p)), { recursive: true }); fs.writeFileSync(path.join(t.dir, ...p), ''); };

  it('lists images in natural order, skips masks and non-images, reports stem conflicts', async () => {
    for (const n of ['img10.png', 'img2.png', 'img1.jpg', 'img1.png', 'img2.mask.png', 'img2.instances.png', 'img2.mask.json', 'notes.txt', 'x.TIFF']) touch(n);
    fs.mkdirSync(path.join(t.dir, 'sub.png'));
    const r = await listFolderImages(t.dir);
    assert.deepEqual(r.images.map((f) => path.basename(f)), ['img1.jpg', 'img1.png', 'img2.png', 'img10.png', 'x.TIFF']);
    assert.ok(r.images.every((f) => path.isAbsolute(f)));
    assert.deepEqual(r.conflicts.map((g) => g.map((f) => path.basename(f))), [['img1.jpg', 'img1.png']]);
  });

  it('uses each folder\'s config patterns; recursive scan skips hidden folders', async () => {
    touch('a', CONFIG_FILE);
    fs.writeFileSync(path.join(t.dir, 'a', CONFIG_FILE), JSON.stringify({ patterns: { mask: '{stem}_seg.png', instances: '{stem}_inst.png', sidecar: '{stem}_meta.json' } }));
    for (const n of ['a/p.png', 'a/p_seg.png', 'a/p_inst.png', 'a/deep/q.jpg', 'a/deep/q_seg.png', 'b/r.png', 'b/r.mask.png', 'b/r_seg.png', '.hidden/h.png']) touch(...n.split('/'));
    const flat = await scanDataset([t.dir]);
    assert.deepEqual(flat, []);
    // Config discovery stops at the dataset root given (the CLI's folder or repository root).
    const all = await scanDataset([t.dir], { recursive: true, stopAt: () => t.dir });
    assert.deepEqual(all.map((f) => path.relative(t.dir, f).split(path.sep).join('/')), ['a/deep/q.jpg', 'a/p.png', 'b/r_seg.png', 'b/r.png'] /* localeCompare order, as listImages */);
    const files = await scanDataset([path.join(t.dir, 'a', 'p_seg.png'), path.join(t.dir, 'b', 'r.png'), path.join(t.dir, 'b', 'r.png')], { stopAt: () => t.dir });
    assert.deepEqual(files, [path.join(t.dir, 'b', 'r.png')]);
    const forced = await scanDatasetDetailed([path.join(t.dir, 'a')], { patterns: { mask: '{stem}.mask.png', instances: '{stem}.instances.png', sidecar: '{stem}.mask.json' } });
    assert.deepEqual(forced.images.map((f) => path.basename(f)), ['p_inst.png', 'p_seg.png', 'p.png']);
    await assert.rejects(scanDataset([path.join(t.dir, 'missing')]), /cannot read .*missing/);
  });

  it('shards deterministically and parses i/n', () => {
    const items = Array.from({ length: 10 }, (_, i) => i);
    assert.deepEqual(shardOf(items, { index: 1, count: 3 }), [1, 4, 7]);
    const union = [0, 1, 2].flatMap((index) => shardOf(items, { index, count: 3 })).sort((a, b) => a - b);
    assert.deepEqual(union, items);
    assert.deepEqual(parseShard('2/4'), { index: 2, count: 4 });
    assert.throws(() => parseShard('4/4'), /shard "4\/4"/);
    assert.throws(() => parseShard('a/b'), /shard "a\/b" must look like i\/n/);
    assert.throws(() => parseShard('0/0'), /shard "0\/0"/);
    assert.throws(() => shardOf(items, { index: -1, count: 2 }), /shard index -1/);
  });
});
