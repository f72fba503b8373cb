// `maskwright diff` on a real git repository made here: masks pre-labelled and committed, changed
// with the CLI (morph, threshold, components), diffed against HEAD and an older commit; every count
// equals numpy's on the same PNGs (read by PIL from `git show` and from disk).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURE_IMAGES } from '../../paths';
import { assertSameDiff, cli, commitAll, git, oracleDiff, tempRepo } from './helpers';

describe('maskwright diff against git revisions', function () {
  this.timeout(180000);
  let dir = '';
  let cwd = '';
  before(async () => {
    dir = tempRepo([path.join(FIXTURE_IMAGES, 'text.png'), path.join(FIXTURE_IMAGES, 'camera.png')]);
    cwd = process.cwd();
    process.chdir(dir);
    const r = await cli('prelabel', dir, '--model', 'pp-ocrv4-det', '--device', 'cpu');
    assert.equal(r.code, 0, r.err.join('\n'));
    commitAll(dir, 'pre-labelled');
  });
  after(() => {
    process.chdir(cwd);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const diffJson = async (...args: string[]): Promise<ReturnType<typeof oracleDiff> & { image: string; against: string }> => {
    const r = await cli('diff', ...args, '--json');
    assert.equal(r.code, 0, r.err.join('\n'));
    return JSON.parse(r.out[0]);
  };

  it('an unchanged set diffs to nothing; the JSON has exactly the documented fields', async () => {
    const d = await diffJson(path.join(dir, 'text.png'));
    assert.deepEqual(Object.keys(d).sort(), ['against', 'changedPixels', 'classes', 'image', 'instances']);
    assert.deepEqual(Object.keys(d.instances).sort(), ['added', 'changed', 'removed']);
    assert.equal(d.image, 'text.png');
    assert.equal(d.against, 'HEAD');
    assert.equal(d.changedPixels, 0);
    for (const c of Object.values(d.classes)) {
      assert.deepEqual(Object.keys(c).sort(), ['after', 'before', 'intersection', 'iou']);
      assert.equal(c.iou, 1);
    }
    assertSameDiff(d, oracleDiff(dir, 'text', 'HEAD'));
  });

  it('after CLI changes (morph dilate, Otsu threshold) the diff against HEAD equals numpy\'s', async () => {
    // The CLI's pre-label added the model's class 'text' to the config it created; dilate that class.
    const text = String(JSON.parse(fs.readFileSync(path.join(dir, 'maskwright.json'), 'utf8')).classes.find((c: { name: string }) => c.name === 'text').id);
    let r = await cli('morph', path.join(dir, 'text.png'), '--op', 'dilate', '--radius', '2', '--class', text, '--overwrite');
    assert.equal(r.code, 0, r.err.join('\n'));
    r = await cli('threshold', path.join(dir, 'camera.png'), '--method', 'otsu', '--overwrite');
    assert.equal(r.code, 0, r.err.join('\n'));
    const t = await diffJson(path.join(dir, 'text.png'));
    assert.ok(t.changedPixels > 1000, `dilation changed ${t.changedPixels} pixels`);
    assert.ok(t.classes[text].after > t.classes[text].before);
    assertSameDiff(t, oracleDiff(dir, 'text', 'HEAD'));
    const c = await diffJson(path.join(dir, 'camera.png'), '--against', 'HEAD');
    assert.ok(c.changedPixels > 10000);
    assertSameDiff(c, oracleDiff(dir, 'camera', 'HEAD'));
    commitAll(dir, 'cleaned up');
  });

  it('instances split by components: added, removed and changed ids against HEAD and against the older commit equal numpy\'s', async () => {
    const r = await cli('components', path.join(dir, 'text.png'), '--write-instances', '--overwrite');
    assert.equal(r.code, 0, r.err.join('\n'));
    const head = await diffJson(path.join(dir, 'text.png'));
    assertSameDiff(head, oracleDiff(dir, 'text', 'HEAD'));
    const older = await diffJson(path.join(dir, 'text.png'), '--against', 'HEAD~1');
    assert.equal(older.against, 'HEAD~1');
    assertSameDiff(older, oracleDiff(dir, 'text', 'HEAD~1'));
    const first = git(dir, 'rev-list', '--max-parents=0', 'HEAD').trim();
    const byHash = await diffJson(path.join(dir, 'text.mask.png'), '--against', first);
    assert.equal(byHash.image, 'text.png', 'a mask file names its image');
    assertSameDiff(byHash, oracleDiff(dir, 'text', first));
    const i = older.instances;
    assert.ok(i.added.length + i.removed.length + i.changed.length > 0, 'the instance ids moved');
  });

  it('--with another mask file compares with that file (and the instance map beside it)', async () => {
    const other = path.join(dir, 'other');
    fs.mkdirSync(other);
    // Binary-safe copy of the older version through git itself.
    fs.writeFileSync(path.join(other, 'x.mask.png'), execFileSync('git', ['show', 'HEAD~1:text.mask.png'], { cwd: dir }));
    fs.writeFileSync(path.join(other, 'x.instances.png'), execFileSync('git', ['show', 'HEAD~1:text.instances.png'], { cwd: dir }));
    const w = await diffJson(path.join(dir, 'text.png'), '--with', path.join(other, 'x.mask.png'));
    assert.equal(w.against, path.join('other', 'x.mask.png'));
    assertSameDiff(w, oracleDiff(dir, 'text', 'HEAD~1'));
  });

  it('an image whose masks did not exist at the revision diffs against all background', async () => {
    fs.copyFileSync(path.join(FIXTURE_IMAGES, 'text.png'), path.join(dir, 'late.png'));
    const r = await cli('threshold', path.join(dir, 'late.png'), '--method', 'otsu');
    assert.equal(r.code, 0, r.err.join('\n'));
    const d = await diffJson(path.join(dir, 'late.png'));
    assertSameDiff(d, oracleDiff(dir, 'late', 'HEAD'));
    assert.equal(d.classes['0'].before, 448 * 172);
  });

  it('errors: unknown revision (exit 1, named), option-like revision and both sources (exit 2), outside a repository', async () => {
    let r = await cli('diff', path.join(dir, 'text.png'), '--against', 'no-such-branch');
    assert.equal(r.code, 1);
    assert.match(r.err.join('\n'), /unknown revision "no-such-branch"/);
    r = await cli('diff', path.join(dir, 'text.png'), '--against=--output=x');
    assert.equal(r.code, 2);
    r = await cli('diff', path.join(dir, 'text.png'), '--against', 'HEAD', '--with', 'x.mask.png');
    assert.equal(r.code, 2);
    const bare = fs.mkdtempSync(path.join(path.dirname(dir), 'mw-norepo-'));
    try {
      fs.copyFileSync(path.join(FIXTURE_IMAGES, 'text.png'), path.join(bare, 'text.png'));
      r = await cli('diff', path.join(bare, 'text.png'));
      assert.equal(r.code, 1);
      assert.match(r.err.join('\n'), /not inside a git repository/);
    } finally {
      fs.rmSync(bare, { recursive: true, force: true });
    }
  });
});
