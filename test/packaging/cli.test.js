// The CLI as an npm package: `npm pack` in the repo, then `npm install ./maskwright-X.tgz` in an empty
// folder (npm registry only; onnxruntime-node's install script told to skip its NuGet download, as
// on a machine without internet) and the installed `maskwright` bin run through npx: doctor, an Otsu
// threshold checked against OpenCV's reference value with PIL reading the written PNG, and a
// pre-label with the embedded model that the package's dependencies bring.
'use strict';
/* global describe, it, before, after */
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');

const REPO = path.resolve(__dirname, '..', '..');
const SHARED = process.env.MASKWRIGHT_SHARED || path.resolve(REPO, '..', 'shared');
const IMAGES = path.join(SHARED, 'fixtures', 'images');
const PY = '/usr/bin/python3';

/** The environment without an outer `npm run`'s npm_* variables (a nested npm would take them as its config). */
function env(extra = {}) {
  const e = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) e[k] = v;
  return { ...e, ...extra };
}

const sh = (cmd, args, cwd, opts = {}) => execFileSync(cmd, args, { cwd, env: env(), encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'pipe'], ...opts });

describe('the CLI as an npm package (npm pack, npm install in an empty folder, npx maskwright)', function () {
  this.timeout(300000);
  let tmp, tgz, packed, app;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-cli-pack-'));
    // prepack builds dist/ (node esbuild.js) before npm collects the files
    packed = JSON.parse(sh('npm', ['pack', '--json', '--pack-destination', tmp], REPO))[0];
    tgz = path.join(tmp, packed.filename);
    app = path.join(tmp, 'app');
    fs.mkdirSync(app);
  });
  after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

  it('the tarball holds the CLI bundle, its workers, the model manifest and licences; no sources, tests or maps', () => {
    const files = packed.files.map((f) => f.path).sort();
    for (const f of ['package.json', 'README.md', 'LICENSE', 'dist/cli.js', 'dist/inferenceWorker.js', 'dist/classicalWorker.js', 'models/manifest.json', 'models/LICENSE-PaddleOCR.txt']) {
      assert.ok(files.includes(f), `${f} is in the tarball (${files.join(', ')})`);
    }
    assert.deepStrictEqual(files.filter((f) => /\.(map|ts)$/.test(f) || /^(src|test|webview|out|media|node_modules)\//.test(f)), []);
    assert.ok(packed.size < 1024 * 1024, `tarball is ${packed.size} bytes`);
  });

  it('installs in an empty folder from the tarball', () => {
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }) + '\n');
    sh('npm', ['install', '--no-audit', '--no-fund', '--onnxruntime-node-install=skip', tgz], app);
    const installed = JSON.parse(fs.readFileSync(path.join(app, 'node_modules', 'maskwright', 'package.json'), 'utf8'));
    assert.strictEqual(installed.version, packed.version);
    assert.ok(fs.existsSync(path.join(app, 'node_modules', '.bin', 'maskwright')), 'the maskwright bin is linked');
  });

  it('npx maskwright doctor --json: onnxruntime loads and the CPU provider works', () => {
    const d = JSON.parse(sh('npx', ['--no-install', 'maskwright', 'doctor', '--json'], app));
    assert.strictEqual(d.platform, `${process.platform}-${process.arch}`);
    const cpu = d.providers.find((p) => p.provider === 'cpu');
    assert.ok(cpu && cpu.ok, `cpu provider: ${JSON.stringify(cpu)}`);
    assert.ok(d.binDir.startsWith(path.join(app, 'node_modules')), `onnxruntime-node from the installed package (${d.binDir})`);
  });

  it('npx maskwright threshold --method otsu: OpenCV\'s threshold for camera.png, and the PNG PIL reads agrees', () => {
    const data = path.join(app, 'data');
    fs.mkdirSync(data);
    fs.copyFileSync(path.join(IMAGES, 'camera.png'), path.join(data, 'camera.png'));
    const out = sh('npx', ['--no-install', 'maskwright', 'threshold', '--method', 'otsu', '--json', data], app);
    const r = JSON.parse(out.trim().split('\n').filter((l) => l.startsWith('{')).pop());
    const refs = JSON.parse(fs.readFileSync(path.join(REPO, 'test', 'fixtures', 'classical', 'refs.json'), 'utf8'));
    assert.strictEqual(r.threshold, refs.images['camera.png'].otsu, `Otsu threshold ${r.threshold} (OpenCV: ${refs.images['camera.png'].otsu})`);
    // PIL: the class pixels of the mask are exactly the gray pixels above the threshold
    const code = [
      'import json, sys',
      'from PIL import Image',
      'img = list(Image.open(sys.argv[1]).convert("L").getdata())',
      'm = Image.open(sys.argv[2]); ids = list(m.getdata())',
      't = int(sys.argv[3])',
      'print(json.dumps({"mode": m.mode, "size": m.size, "classes": sorted(set(ids)), "mismatch": sum(1 for a, b in zip(img, ids) if (a > t) != (b != 0)), "fg": sum(1 for b in ids if b != 0)}))',
    ].join('\n');
    const p = JSON.parse(sh(PY, ['-c', code, path.join(data, 'camera.png'), path.join(data, 'camera.mask.png'), String(r.threshold)], app));
    assert.strictEqual(p.mode, 'P');
    assert.deepStrictEqual(p.size, [512, 512]);
    assert.strictEqual(p.classes.length, 2, `two classes in the mask: ${p.classes}`);
    assert.strictEqual(p.mismatch, 0, 'mask = gray > threshold at every pixel');
    assert.ok(p.fg > 0.2 * 512 * 512 && p.fg < 0.8 * 512 * 512, `${p.fg} foreground pixels`);
  });

  it('npx maskwright prelabel with the embedded text detector writes masks', () => {
    const data = path.join(app, 'text');
    fs.mkdirSync(data);
    fs.copyFileSync(path.join(IMAGES, 'text.png'), path.join(data, 'text.png'));
    sh('npx', ['--no-install', 'maskwright', 'prelabel', data, '--model', 'pp-ocrv4-det', '--device', 'cpu', '--json'], app);
    const side = JSON.parse(fs.readFileSync(path.join(data, 'text.mask.json'), 'utf8'));
    assert.strictEqual(side.prelabel.source, 'model:pp-ocrv4-det');
    assert.ok(side.instances.length >= 5, `${side.instances.length} text regions`);
  });
});
