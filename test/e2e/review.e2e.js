// E2E of review through the real workbench (code-server in headless Chromium), on a workspace that
// is a git repository: Source Control's diff of a changed STEM.mask.png shows the label-aware
// comparison (change layer + per-class table) on both sides; the Review Queue view lists the
// images and opens them; "Next in Review Queue" opens the next; "Compare with HEAD..." in the
// editor; the Dataset Overview's charts. A screenshot of each step in test-results/review-*.png.
'use strict';
/* global describe, it, before, after, document, AbortController */
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { makeWorkspace } = require('../harness/workspace');
const w = require('./workbench');

const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' };
const git = (cwd, ...args) => execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' });

async function cli(...argv) {
  const { main } = require(path.join(w.REPO, 'out', 'src', 'cli', 'main.js'));
  const out = [], err = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), signal: new AbortController().signal });
  if (code !== 0) throw new Error(`maskwright ${argv.join(' ')} exited ${code}: ${err.join('\n')}`);
  return out;
}

describe('review through the workbench (Playwright)', function () {
  this.timeout(300000);
  let session, ws;
  let step = 0;
  const shot = (name) => session.page.screenshot({ path: path.join(w.harness().results, `review-${String(++step).padStart(2, '0')}-${name}.png`) }).catch(() => undefined);
  const palette = async (page, command) => {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15000 });
    await input.fill(`>${command}`);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: command }).first().waitFor({ timeout: 15000 });
    await page.keyboard.press('Enter');
  };
  /** Webview frames showing a comparison (body[data-compare] set by webview/compareLayer.ts). */
  const compareFrames = async (page) => {
    const out = [];
    for (const f of page.frames()) {
      if (f === page.mainFrame() || f.isDetached()) continue;
      const v = await f.evaluate(() => (document.body && document.body.dataset.state === 'ready' ? document.body.dataset.compare || '' : null)).catch(() => null);
      if (v) out.push({ frame: f, side: v });
    }
    return out;
  };

  before(async () => {
    ws = makeWorkspace(path.join(w.harness().runDir, 'ws-review'), ['text.png', 'camera.png', 'coffee.png']);
    // The harness turns git off; here Source Control is the point. Diffs of *.mask.png use the
    // extension's contributed default (workbench.diffEditorAssociations), nothing set here.
    fs.mkdirSync(path.join(ws, '.vscode'));
    fs.writeFileSync(path.join(ws, '.vscode', 'settings.json'), JSON.stringify({ 'git.enabled': true, 'git.autoRepositoryDetection': true }));
    fs.writeFileSync(path.join(ws, '.gitignore'), '.vscode/\n.maskwright/\n');
    git(ws, 'init', '-q', '-b', 'main');
    await cli('prelabel', path.join(ws, 'text.png'), path.join(ws, 'camera.png'), '--model', 'pp-ocrv4-det', '--device', 'cpu');
    git(ws, 'add', '-A');
    git(ws, 'commit', '-q', '-m', 'drafts');
    // A change to review: Otsu on the page labels the glyphs (class 1) instead of the model's boxes.
    await cli('threshold', path.join(ws, 'text.png'), '--method', 'otsu', '--invert', '--overwrite');
    session = await w.openWorkbench(ws);
  });
  after(async () => { if (session) await session.browser.close(); });

  it('Source Control\'s diff of text.mask.png shows the label-aware comparison on both sides', async () => {
    const { page } = session;
    await page.keyboard.press('Control+Shift+G');
    const row = page.locator('.scm-view .monaco-list-row', { hasText: 'text.mask.png' }).first();
    await row.waitFor({ timeout: 90000 });
    await shot('scm-changes');
    await row.click();
    const bothSides = async () => { const f = await compareFrames(page); return f.length >= 2 ? f : null; };
    // Known flake (cause not found): in about one run in five under load, one side's webview never
    // receives its init. The diff is closed and opened once more, as a user would, before failing.
    let sides = await w.until(page, bothSides, 'both sides of the diff', 45000).catch(() => null);
    if (!sides) {
      await shot('scm-diff-retry');
      await w.runCommand(page, 'View: Close Editor').catch(() => undefined);
      await page.waitForTimeout(1000);
      await row.click();
    }
    sides = sides || await w.until(page, bothSides, 'both sides of the diff to show a comparison', 90000)
      .catch(async (e) => {
        await shot('scm-diff-failed');
        const seen = [];
        for (const f of page.frames()) seen.push(await f.evaluate(() => JSON.stringify({ ...(document.body ? document.body.dataset : {}), text: document.body ? document.body.innerText.slice(0, 200) : '' })).catch(() => 'detached'));
        throw new Error(`${e.message}; frames: ${seen.join('\n')}`);
      });
    assert.deepStrictEqual(sides.map((s) => s.side).sort(), ['after', 'before'], 'the git: side shows the old classes, the file: side the new');
    for (const s of sides) {
      const rows = await s.frame.evaluate(() => [...document.querySelectorAll('.mw-compare-table tr[data-class-id]')].map((r) => r.dataset.classId));
      assert.ok(rows.includes('1'), `the per-class table lists class 1 (${rows})`);
      const summary = await s.frame.evaluate(() => document.querySelector('.mw-compare-summary').textContent);
      assert.match(summary, /[1-9][\d,]* pixel\(s\) changed class/);
    }
    await page.waitForTimeout(500);
    await shot('scm-label-diff');
  });

  it('the Review Queue lists the images with their status; clicking one opens it; Next in Review Queue opens the next', async () => {
    const { page } = session;
    await page.keyboard.press('Control+Shift+E');
    const header = page.locator('.pane-header', { hasText: 'Review Queue' }).first();
    await header.waitFor({ timeout: 30000 });
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    const pane = page.locator('.pane', { has: header });
    const item = (name) => pane.locator('.monaco-list-row', { hasText: name }).first();
    await item('camera.png').waitFor({ timeout: 60000 });
    await item('text.png').waitFor({ timeout: 60000 });
    await item('coffee.png').waitFor({ timeout: 60000 });
    assert.match(await item('camera.png').innerText(), /draft/);
    assert.match(await item('text.png').innerText(), /draft|edited/);
    assert.match(await item('coffee.png').innerText(), /unlabelled/);
    await shot('review-queue');
    await item('camera.png').click();
    await w.until(page, async () => /^camera\.png\b/.test(await page.title()), 'camera.png to open', 60000);
    await w.waitForEditorFrame(page);
    await shot('queue-opened-camera');
    await palette(page, 'Maskwright: Next in Review Queue');
    // The window title names the active editor.
    await w.until(page, async () => /^(text|coffee)\.png\b/.test(await page.title()), 'Next to open another image', 60000)
      .catch(async (e) => { await shot('next-failed'); throw e; });
    await page.waitForTimeout(1000);
    await shot('next-in-queue');
  });

  it('Compare with HEAD... in the editor draws the change layer; the toggle shows HEAD\'s classes', async () => {
    const { page } = session;
    await w.quickOpen(page, 'text.png');
    await w.until(page, async () => /^text\.png\b/.test(await page.title()), 'text.png to open', 60000);
    await page.waitForTimeout(1500);
    await palette(page, 'Maskwright: Compare with HEAD...');
    const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'the last commit' }).first();
    await pick.waitFor({ timeout: 15000 });
    await pick.click();
    const f = await w.until(page, async () => (await compareFrames(page)).find((s) => s.side === 'after' && s.frame), 'the change layer in the editor', 60000);
    await shot('compare-with-head');
    await f.frame.locator('[data-compare-show="before"]').click();
    await w.until(page, () => f.frame.evaluate(() => document.body.dataset.compare === 'before'), 'the toggle to show HEAD');
    await page.waitForTimeout(500);
    await shot('compare-show-head');
  });

  it('Dataset Overview draws class balance, instance sizes and review progress', async () => {
    const { page } = session;
    await palette(page, 'Maskwright: Dataset Overview');
    const f = await w.waitForFrame(page, (fr) => fr.evaluate(() => document.body && document.body.dataset.state === 'ready' && !!document.querySelector('svg[data-chart="classes"]')), 90000);
    const bars = await f.evaluate(() => document.querySelectorAll('svg[data-chart="classes"] g[data-class-id]').length);
    assert.ok(bars >= 2, `class balance bars: ${bars}`);
    const status = await f.evaluate(() => Object.fromEntries([...document.querySelectorAll('svg[data-chart="status"] rect[data-status]')].map((r) => [r.dataset.status, Number(r.dataset.count)])));
    assert.strictEqual((status.unlabelled || 0) + (status.draft || 0) + (status.edited || 0) + (status.reviewed || 0), 3);
    await page.waitForTimeout(500);
    await shot('dataset-overview');
    assert.deepStrictEqual(session.errors.filter((e) => /Content Security Policy|Refused/.test(e)), []);
  });
});
