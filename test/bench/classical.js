#!/usr/bin/env node
// Classical toolkit benchmark: this project's algorithms vs opencv.js (wasm) side by side in one
// process (../shared/bench/peer/bench-peer.mjs with --module classical-peer.mjs), and native OpenCV
// (bench-cv2.py, single thread) right after, on a fixture resized to each size. Figures, not a test.
//
//   npx tsc -p . && node test/bench/classical.js [--sizes 1024,4096] [--image astronaut.png]
//        [--reps N] [--ops a,b] [--json out.json] [--no-native]
// Needs: the peer folder's npm dependencies (copied to a temp folder and `npm ci`-ed on first use)
// and, for the native column, Debian's python3-opencv run with /usr/bin/python3.
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..');
const SHARED = process.env.MASKWRIGHT_SHARED || path.resolve(REPO, '..', 'shared');

function args() {
  const a = { sizes: '1024,4096', image: 'astronaut.png', reps: '', ops: '', json: '', native: true };
  const v = process.argv.slice(2);
  for (let i = 0; i < v.length; i++) {
    const k = v[i].replace(/^--/, '');
    if (k === 'no-native') a.native = false;
    else if (k in a) a[k] = v[++i];
    else throw new Error(`unknown option ${v[i]}`);
  }
  return a;
}

function peerDir() {
  const src = path.join(SHARED, 'bench', 'peer');
  const dst = path.join(os.tmpdir(), 'maskwright-bench-peer');
  if (!fs.existsSync(path.join(dst, 'node_modules', '@techstark'))) {
    fs.rmSync(dst, { recursive: true, force: true });
    fs.cpSync(src, dst, { recursive: true });
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dst, stdio: 'inherit' });
  }
  return dst;
}

function jsonLines(text) {
  return text.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}

async function main() {
  const a = args();
  const sharp = require('sharp');
  const dir = peerDir();
  const modulePath = path.join(__dirname, 'classical-peer.mjs');
  if (!fs.existsSync(path.join(REPO, 'out', 'src', 'algorithms', 'classical', 'index.js'))) throw new Error('run `npx tsc -p .` first');
  const rows = [];
  for (const size of a.sizes.split(',').map(Number)) {
    const img = path.join(os.tmpdir(), `maskwright-bench-${path.parse(a.image).name}-${size}.png`);
    if (!fs.existsSync(img)) {
      await sharp(path.join(SHARED, 'fixtures', 'images', a.image)).removeAlpha().resize(size, size, { kernel: 'lanczos3' }).png({ compressionLevel: 1 }).toFile(img);
    }
    const extra = [...(a.reps ? ['--reps', a.reps] : []), ...(a.ops ? ['--ops', a.ops] : [])];
    const peer = spawnSync(process.execPath, ['--expose-gc', 'bench-peer.mjs', img, '--impl', 'opencvjs', '--module', modulePath, ...extra], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 26 });
    if (peer.status !== 0) throw new Error('bench-peer failed: ' + peer.stderr);
    const js = jsonLines(peer.stdout);
    let native = [];
    if (a.native) {
      const py = spawnSync('/usr/bin/python3', ['bench-cv2.py', img, '--threads', '1', ...extra], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 26 });
      if (py.status !== 0) console.error('bench-cv2.py failed (native column left empty): ' + py.stderr.slice(0, 300));
      else native = jsonLines(py.stdout);
    }
    const meta = js.find((l) => l.meta)?.meta;
    console.error(`# ${size}x${size} (${a.image} resized), node ${meta?.node}, ${meta?.cpus} cpus, load ${meta?.loadavg}`);
    for (const l of js.filter((x) => x.impl === 'maskwright')) {
      const cvjs = js.find((x) => x.impl === 'opencv.js' && x.op === l.op);
      const nat = native.find((x) => x.op === l.op);
      rows.push({ size, op: l.op, native_ms: nat?.median_ms ?? null, opencvjs_ms: cvjs?.median_ms ?? null, ours_ms: l.median_ms ?? null,
        vs_opencvjs: cvjs?.median_ms ? +(l.median_ms / cvjs.median_ms).toFixed(2) : null,
        vs_native: nat?.median_ms ? +(l.median_ms / nat.median_ms).toFixed(2) : null,
        same_result: JSON.stringify(l.result) === JSON.stringify(cvjs?.result), result: l.result, opencvjs_result: cvjs?.result, native_result: nat?.result, error: l.error });
    }
  }
  const pad = (s, n) => String(s).padStart(n);
  console.log(['size', 'op', 'native ms', 'opencv.js ms', 'ours ms', 'ours/ocvjs', 'ours/native', 'same result'].map((s, i) => (i < 2 ? String(s).padEnd(i ? 12 : 5) : pad(s, 12))).join(' '));
  for (const r of rows) {
    console.log([String(r.size).padEnd(5), r.op.padEnd(12), pad(r.native_ms ?? '-', 12), pad(r.opencvjs_ms ?? '-', 12), pad(r.ours_ms ?? '-', 12), pad(r.vs_opencvjs ?? '-', 12), pad(r.vs_native ?? '-', 12), pad(r.same_result ? 'yes' : `no (${JSON.stringify(r.result)} vs ${JSON.stringify(r.opencvjs_result)})`, 12)].join(' '));
  }
  if (a.json) fs.writeFileSync(a.json, JSON.stringify(rows, null, 1) + '\n');
}

main().catch((e) => { console.error(e); process.exit(1); });
