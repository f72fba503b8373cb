// The extension-host half of the editor benchmark (npm run bench:editor): VS Code calls run()
// through the harness's extensionTestsPath payload. For each case of plan.json (an image, opened
// in Maskwright, in VS Code's built-in image preview or in a reference editor of
// test/bench/trivialEditor) it says it is about
// to open (ask-N, so the Playwright half takes its memory baseline first), opens the image, times
// openWith -> the webview's 'firstPaint' perf mark, hands the drags to the Playwright half
// (test/bench/editor.js) through a request/answer file pair, times a save and closes the editor.
// Figures only, never pass/fail.
'use strict';
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');

const REPO = path.resolve(__dirname, '..', '..', '..');
const DIR = path.join(REPO, '.run', 'harness', 'bench');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(fn, timeoutMs) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) return undefined;
    await sleep(20);
  }
}

const readJson = (name) => { try { return JSON.parse(fs.readFileSync(path.join(DIR, name), 'utf8')); } catch { return undefined; } };

async function maskwrightCase(api, uri, r, t0) {
  const marks = () => (typeof api.perfMarks === 'function' ? api.perfMarks(uri) : []);
  await api.whenPanelReady(uri, 180000);
  r.readyMs = Date.now() - t0;
  const fp = await until(() => marks().find((m) => m.name === 'firstPaint'), 60000);
  r.firstPaintMs = fp ? Date.now() - t0 : null;
}

async function save(api, uri, r) {
  const doc = api.documents().find((d) => d.uri.toString() === uri.toString());
  if (!doc || !doc.isDirty) return;
  const ts = Date.now();
  await vscode.commands.executeCommand('workbench.action.files.save');
  await until(() => !doc.isDirty, 120000);
  r.saveMs = Date.now() - ts;
}

module.exports.run = async function run() {
  const { cases } = JSON.parse(fs.readFileSync(path.join(DIR, 'plan.json'), 'utf8'));
  const api = await vscode.extensions.getExtension('maskwright.maskwright').activate();
  const results = [];
  for (const [n, c] of cases.entries()) {
    const uri = vscode.Uri.file(c.path);
    const r = { n, image: path.basename(c.path), size: `${c.width}x${c.height}`, editor: c.editor };
    fs.writeFileSync(path.join(DIR, `ask-${n}.json`), JSON.stringify({ n }));
    if (!(await until(() => readJson(`go-${n}.json`), 120000))) { r.error = 'no go from the Playwright side'; results.push(r); break; }
    const t0 = Date.now();
    const viewType = { trivial: 'mwbench.trivial', trivialDraw: 'mwbench.trivialDraw', preview: 'imagePreview.previewEditor', maskwright: 'maskwright.maskEditor' }[c.editor];
    await vscode.commands.executeCommand('vscode.openWith', uri, viewType);
    if (c.editor === 'maskwright') await maskwrightCase(api, uri, r, t0);
    fs.writeFileSync(path.join(DIR, `request-${n}.json`), JSON.stringify({ n, ...c }));
    const answer = await until(() => readJson(`answer-${n}.json`), 600000);
    Object.assign(r, answer || { error: 'no answer from the Playwright side' });
    if (c.editor === 'maskwright') await save(api, uri, r);
    results.push(r);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await sleep(500);
  }
  fs.writeFileSync(path.join(DIR, 'results.json'), JSON.stringify(results, null, 2));
};
