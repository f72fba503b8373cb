// Review inside a real extension host, on a git repository made here: masks pre-labelled by the
// CLI and committed, changed through the editor's message path and by the CLI, then diffed against
// HEAD and an older commit (counts equal numpy's); "Compare with HEAD..." sends the change layer
// with the same table; the Label Diff editor opens a mask's git: and file: sides read-only; the
// review queue ranks the images, follows saves, and "Next in Review Queue" opens them.
'use strict';
/* global suite, test, suiteSetup, suiteTeardown, teardown, AbortController */
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { execFileSync } = require('child_process');
const vscode = require('vscode');
const h = require('./helpers');

const SHARED = process.env.MASKWRIGHT_SHARED || path.resolve(h.REPO, '..', 'shared');
const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' };
const git = (cwd, ...args) => execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' });
const PYTHON = process.env.MW_PYTHON || '/usr/bin/python3';

/** The CLI in this process (compiled to out/ by the harness). */
async function cli(...argv) {
  const { main } = require(path.join(h.REPO, 'out', 'src', 'cli', 'main.js'));
  const out = [], err = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), signal: new AbortController().signal });
  return { code, out, err };
}

/** numpy's diff (test/unit/review/diff_oracle.py) of stem's masks at rev against the files on disk. */
function oracle(dir, stem, rev) {
  const at = (name) => {
    try {
      const bytes = execFileSync('git', ['show', `${rev}:${name}`], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
      const f = path.join(dir, '..', `.oracle-${rev.replace(/[^A-Za-z0-9]/g, '_')}-${name}`);
      fs.writeFileSync(f, bytes);
      return f;
    } catch { return '-'; }
  };
  const disk = (name) => (fs.existsSync(path.join(dir, name)) ? path.join(dir, name) : '-');
  const out = execFileSync(PYTHON, [path.join(h.REPO, 'test', 'unit', 'review', 'diff_oracle.py'), at(`${stem}.mask.png`), at(`${stem}.instances.png`), disk(`${stem}.mask.png`), disk(`${stem}.instances.png`)], { encoding: 'utf8' });
  return JSON.parse(out);
}

function assertSame(ours, theirs, what) {
  assert.strictEqual(ours.changedPixels, theirs.changedPixels, `${what}: changedPixels`);
  assert.deepStrictEqual(Object.keys(ours.classes), Object.keys(theirs.classes), `${what}: classes`);
  for (const [c, t] of Object.entries(theirs.classes)) {
    const o = ours.classes[c];
    assert.deepStrictEqual([o.before, o.after, o.intersection], [t.before, t.after, t.intersection], `${what}: class ${c}`);
    assert.ok(Math.abs(o.iou - t.iou) < 1e-6, `${what}: class ${c} iou`);
  }
  assert.deepStrictEqual(ours.instances.added, theirs.instances.added, `${what}: added`);
  assert.deepStrictEqual(ours.instances.removed, theirs.instances.removed, `${what}: removed`);
  assert.deepStrictEqual(ours.instances.changed.map((x) => x.id), theirs.instances.changed.map((x) => x.id), `${what}: changed`);
}

suite('review: label-aware diff, comparison layer, review queue (extension host)', function () {
  this.timeout(300000);
  let a;
  let dir;
  suiteSetup(async () => {
    a = await h.api();
    dir = path.join(h.wsDir(), 'rq');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir);
    for (const n of ['text.png', 'camera.png', 'coffee.png']) {
      fs.copyFileSync(path.join(SHARED, 'fixtures', 'images', n), path.join(dir, n));
      fs.chmodSync(path.join(dir, n), 0o644);
    }
    fs.copyFileSync(path.join(h.wsDir(), 'maskwright.json'), path.join(dir, 'maskwright.json'));
    git(dir, 'init', '-q', '-b', 'main');
    const r = await cli('prelabel', path.join(dir, 'text.png'), path.join(dir, 'camera.png'), '--model', 'pp-ocrv4-det', '--device', 'cpu');
    assert.strictEqual(r.code, 0, r.err.join('\n'));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'drafts');
  });
  suiteTeardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  teardown(() => h.closeAll());

  test('a stroke through the editor\'s message path and a CLI change: diff against HEAD and against the older commit equal numpy\'s; Compare with HEAD shows the same table', async () => {
    const uri = vscode.Uri.file(path.join(dir, 'text.png'));
    const doc = await h.openEditor(a, uri);
    assert.strictEqual((await a.receiveFromWebview(uri, h.fillEdit(doc, 20, 30, 60, 40, 2))).ok, true);
    await h.untilTabsDirty(uri);
    await vscode.commands.executeCommand('workbench.action.files.save');
    await h.until(() => !doc.isDirty, 'save of the stroke');
    let r = await cli('diff', path.join(dir, 'text.png'), '--json');
    assert.strictEqual(r.code, 0, r.err.join('\n'));
    const head = JSON.parse(r.out[0]);
    assert.strictEqual(head.classes['2'].after, 60 * 40);
    assertSame(head, oracle(dir, 'text', 'HEAD'), 'editor stroke vs HEAD');

    // The editor's own comparison: same counts, and the change layer reached the panel.
    const shown = await vscode.commands.executeCommand('maskwright.compareWith', { rev: 'HEAD' });
    assert.ok(shown, 'compareWith returned the layer it showed');
    assert.strictEqual(shown.changedPixels, head.changedPixels);
    for (const row of shown.rows) {
      const c = head.classes[String(row.id)];
      assert.deepStrictEqual([row.before, row.after, row.intersection], [c.before, c.after, c.intersection], `row ${row.id}`);
    }
    const sent = a.sentToWebview(uri).filter((m) => m.type === 'compare');
    // The old map travels deflated; the test probe keeps small arrays and only the length of large ones.
    assert.ok(sent.length > 0, 'a compare message');
    const before = sent[sent.length - 1].compare.before;
    assert.strictEqual(before.packed, 'deflate');
    assert.strictEqual(before.bits, 8);
    const n = doc.maps.width * doc.maps.height;
    const packedLength = before.data.length;
    assert.ok(packedLength > 0 && packedLength < n / 4, `the old map packed into ${packedLength} bytes for ${n} pixels`);
    if (before.data instanceof Uint8Array) {
      // Small enough to be kept: inflated, it differs from the masks in exactly the changed pixels.
      const old = zlib.inflateSync(before.data);
      assert.strictEqual(old.length, n);
      let changed = 0;
      for (let i = 0; i < n; i++) if (old[i] !== doc.maps.semantic[i]) changed++;
      assert.strictEqual(changed, shown.changedPixels);
    }

    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'stroke');
    r = await cli('components', path.join(dir, 'text.png'), '--write-instances', '--overwrite');
    assert.strictEqual(r.code, 0, r.err.join('\n'));
    r = await cli('diff', path.join(dir, 'text.png'), '--against', 'HEAD~1', '--json');
    assert.strictEqual(r.code, 0, r.err.join('\n'));
    assertSame(JSON.parse(r.out[0]), oracle(dir, 'text', 'HEAD~1'), 'CLI components vs HEAD~1');
    r = await cli('diff', path.join(dir, 'text.png'), '--json');
    assertSame(JSON.parse(r.out[0]), oracle(dir, 'text', 'HEAD'), 'CLI components vs HEAD');
  });

  test('the Label Diff editor opens both sides of a mask\'s diff read-only with the label-aware comparison', async () => {
    const mask = path.join(dir, 'text.mask.png');
    const fileUri = vscode.Uri.file(mask);
    const gitUri = fileUri.with({ scheme: 'git', query: JSON.stringify({ path: mask, ref: 'HEAD~1' }) });
    const stamp = () => ['text.mask.png', 'text.instances.png', 'text.mask.json'].map((n) => fs.statSync(path.join(dir, n)).mtimeMs).join(',');
    const before = stamp();
    await vscode.commands.executeCommand('vscode.openWith', fileUri, 'maskwright.maskDiff');
    const right = await h.until(() => vscode.commands.executeCommand('maskwright.review.lastComparison', fileUri.toString()), 'the file: side to compare with HEAD', 60000);
    const r = await cli('diff', path.join(dir, 'text.png'), '--json');
    const cliDiff = JSON.parse(r.out[0]);
    assert.strictEqual(right.changedPixels, cliDiff.changedPixels);
    assert.strictEqual(right.beforeLabel, 'HEAD');
    // The git: side, as Source Control's diff opens it (read through the git extension's file system).
    await vscode.commands.executeCommand('vscode.openWith', gitUri, 'maskwright.maskDiff');
    const left = await h.until(() => vscode.commands.executeCommand('maskwright.review.lastComparison', gitUri.toString()), 'the git: side', 60000);
    assert.strictEqual(left.showBefore, true);
    assert.strictEqual(left.beforeLabel, 'HEAD~1');
    const older = JSON.parse((await cli('diff', path.join(dir, 'text.png'), '--against', 'HEAD~1', '--json')).out[0]);
    assert.ok(older.changedPixels > 0);
    assert.strictEqual(left.changedPixels, older.changedPixels, `the git: side read HEAD~1's mask: ${JSON.stringify(left)}`);
    for (const row of left.rows) assert.deepStrictEqual([row.before, row.after, row.intersection], [older.classes[row.id].before, older.classes[row.id].after, older.classes[row.id].intersection]);
    assert.strictEqual(stamp(), before, 'neither side wrote anything');
  });

  test('the review queue ranks the images, follows saves, and Next in Review Queue opens the next one', async () => {
    const ranked = await vscode.commands.executeCommand('maskwright.refreshReviewQueue');
    const mine = ranked.filter((q) => q.image.startsWith(dir + path.sep));
    assert.deepStrictEqual(mine.map((q) => path.basename(q.image)).sort(), ['camera.png', 'coffee.png', 'text.png']);
    const byName = Object.fromEntries(mine.map((q) => [path.basename(q.image), q]));
    assert.strictEqual(byName['coffee.png'].status, 'unlabelled');
    assert.strictEqual(byName['camera.png'].status, 'draft');
    assert.match(byName['camera.png'].reason, /uncertainty/);

    // Mark camera reviewed in the editor and save: the queue follows without a refresh command.
    const cam = vscode.Uri.file(path.join(dir, 'camera.png'));
    const doc = await h.openEditor(a, cam);
    await vscode.commands.executeCommand('maskwright.markReviewed');
    await h.untilTabsDirty(cam);
    await vscode.commands.executeCommand('workbench.action.files.save');
    await h.until(() => !doc.isDirty, 'save of the review');
    const opened = await vscode.commands.executeCommand('maskwright.nextInReviewQueue');
    assert.ok(opened && opened !== cam.fsPath, `Next opened ${opened}`);
    const after = (await vscode.commands.executeCommand('maskwright.refreshReviewQueue')).filter((q) => q.image.startsWith(dir + path.sep));
    const camItem = after.find((q) => path.basename(q.image) === 'camera.png');
    assert.strictEqual(camItem.status, 'reviewed');
    const firstOpen = after.find((q) => q.status !== 'reviewed' && q.image !== cam.fsPath);
    await h.until(() => a.activeDocument() && a.activeDocument().imagePath === opened, 'Next to open the image in the mask editor', 60000);
    assert.ok(after.indexOf(camItem) > after.findIndex((q) => q.status !== 'reviewed'), 'reviewed images rank after the others');
    assert.ok(firstOpen, 'an image is left to review');
  });
});
