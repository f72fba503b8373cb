// The extension-host half of the editor benchmark (npm run bench:editor): VS Code calls run()
// through the harness's extensionTestsPath payload. For each image it times openWith -> the
// webview's 'firstPaint' perf mark, asks the Playwright half (test/bench/editor.js) for a mouse
// stroke through a request/answer file pair, collects the webview's 'strokeFrame' marks, and
// times a save. Figures only, never pass/fail.
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

function pct(values, p) {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

module.exports.run = async function run() {
  const { images } = JSON.parse(fs.readFileSync(path.join(DIR, 'plan.json'), 'utf8'));
  const api = await vscode.extensions.getExtension('maskwright.maskwright').activate();
  const marks = (uri) => (typeof api.perfMarks === 'function' ? api.perfMarks(uri) : []);
  const results = [];
  for (const [n, img] of images.entries()) {
    const uri = vscode.Uri.file(img.path);
    const r = { image: path.basename(img.path), size: `${img.width}x${img.height}` };
    const t0 = Date.now();
    await vscode.commands.executeCommand('vscode.openWith', uri, 'maskwright.maskEditor');
    await api.whenPanelReady(uri, 120000);
    r.readyMs = Date.now() - t0;
    const fp = await until(() => marks(uri).find((m) => m.name === 'firstPaint'), 60000);
    r.firstPaintMs = fp ? Date.now() - t0 : null;
    r.firstPaintMarkMs = fp ? fp.ms : null;
    r.marks = marks(uri).filter((m) => m.name !== 'strokeFrame').map((m) => `${m.name}=${Math.round(m.ms)}`).join(' ');

    fs.writeFileSync(path.join(DIR, `request-${n}.json`), JSON.stringify({ n, ...img }));
    const answer = await until(() => {
      try { return JSON.parse(fs.readFileSync(path.join(DIR, `answer-${n}.json`), 'utf8')); } catch { return undefined; }
    }, 180000);
    Object.assign(r, answer || { strokeError: 'no answer from the Playwright side' });
    await sleep(300);
    const frames = marks(uri).filter((m) => m.name === 'strokeFrame').map((m) => m.ms);
    r.strokeFrames = frames.length;
    r.strokeFrameP50 = pct(frames, 50);
    r.strokeFrameP95 = pct(frames, 95);

    const doc = api.documents().find((d) => d.uri.toString() === uri.toString());
    if (doc && !doc.isDirty) {
      // no stroke arrived: make it dirty with a 256x256 edit so the save is still measured
      const side = Math.min(256, img.width, img.height);
      const after = new Uint8Array(side * side).fill(2);
      await api.receiveFromWebview(uri, { type: 'edit', id: 1, edit: { label: 'bench', patches: [{ layer: 'semantic', x: 0, y: 0, w: side, h: side, before: new Uint8Array(side * side), after }] } });
    }
    const ts = Date.now();
    await vscode.commands.executeCommand('workbench.action.files.save');
    await until(() => doc && !doc.isDirty, 60000);
    r.saveMs = Date.now() - ts;
    results.push(r);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  }
  fs.writeFileSync(path.join(DIR, 'results.json'), JSON.stringify(results, null, 2));
};
