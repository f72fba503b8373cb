#!/usr/bin/env node
// Classical toolkit benchmark: this project's algorithms on the TS kernels and on the wasm SIMD
// kernels vs opencv.js (wasm) side by side in one process, interleaved rep by rep
// (../shared/bench/peer/bench-peer.mjs with --module classical-peer-ts.mjs and classical-peer.mjs),
// and native OpenCV (bench-cv2.py, single thread) right after, on a fixture resized to each size.
// Figures, not a test.
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
  const modules = ['classical-peer-ts.mjs', 'classical-peer.mjs'].flatMap((m) => ['--module', path.join(__dirname, m)]);
  if (!fs.existsSync(path.join(REPO, 'out', 'src', 'algorithms', 'classical', 'index.js'))) throw new Error('run `npx tsc -p .` first');
  const rows = [];
  for (const size of a.sizes.split(',').map(Number)) {
    const img = path.join(os.tmpdir(), `maskwright-bench-${path.parse(a.image).name}-${size}.png`);
    if (!fs.existsSync(img)) {
      await sharp(path.join(SHARED, 'fixtures', 'images', a.image)).removeAlpha().resize(size, size, { kernel: 'lanczos3' }).png({ compressionLevel: 1 }).toFile(img);
    }
    const extra = [...(a.reps ? ['--reps', a.reps] : []), ...(a.ops ? ['--ops', a.ops] : [])];
    const peer = spawnSync(process.execPath, ['--expose-gc', 'bench-peer.mjs', img, '--impl', 'opencvjs', ...modules, ...extra], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 26 });
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
    const ratio = (p, q) => (p != null && q ? +(p / q).toFixed(2) : null);
    for (const cvjs of js.filter((x) => x.impl === 'opencv.js' && x.median_ms != null)) {
      const ts = js.find((x) => x.impl === 'maskwright-ts' && x.op === cvjs.op);
      const wasm = js.find((x) => x.impl === 'maskwright-wasm' && x.op === cvjs.op);
      const nat = native.find((x) => x.op === cvjs.op);
      if (!ts && !wasm) continue;
      const same = (l) => JSON.stringify(l?.result) === JSON.stringify(cvjs.result);
      rows.push({ size, op: cvjs.op, native_ms: nat?.median_ms ?? null, opencvjs_ms: cvjs.median_ms, ts_ms: ts?.median_ms ?? null, wasm_ms: wasm?.median_ms ?? null,
        ts_vs_opencvjs: ratio(ts?.median_ms, cvjs.median_ms), wasm_vs_opencvjs: ratio(wasm?.median_ms, cvjs.median_ms), wasm_vs_native: ratio(wasm?.median_ms, nat?.median_ms),
        same_result: same(ts) && same(wasm), results: { ts: ts?.result, wasm: wasm?.result, opencvjs: cvjs.result, native: nat?.result }, errors: [ts?.error, wasm?.error].filter(Boolean) });
    }
  }
  const head = ['size', 'op', 'native ms', 'opencv.js ms', 'ts ms', 'wasm ms', 'ts/ocvjs', 'wasm/ocvjs', 'wasm/native', 'same result'];
  const cell = (v, i) => (i < 2 ? String(v).padEnd(i ? 12 : 5) : String(v ?? '-').padStart(12));
  console.log(head.map(cell).join(' '));
  for (const r of rows) {
    const same = r.same_result ? 'yes' : `no ${JSON.stringify(r.results)}`;
    console.log([r.size, r.op, r.native_ms, r.opencvjs_ms, r.ts_ms, r.wasm_ms, r.ts_vs_opencvjs, r.wasm_vs_opencvjs, r.wasm_vs_native, same].map(cell).join(' ') + (r.errors.length ? ' ' + r.errors.join('; ') : ''));
  }
  if (a.json) fs.writeFileSync(a.json, JSON.stringify(rows, null, 1) + '\n');
}

main().catch((e) => { console.error(e); process.exit(1); });
