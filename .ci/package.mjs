#!/usr/bin/env node
// Per-platform VSIX packages (`npm run package`): one `vsce package --target T` per target, each
// from its own staging folder, so the repo's dist/ and node_modules/ are never touched.
//
//   node .ci/package.mjs [--target linux-x64,linux-arm64,darwin-arm64,win32-x64] [--out DIR]
//
// For every target the staging folder gets: a production build (no maps), media/, the model
// manifest and licences, README/LICENSE/CHANGELOG, and node_modules installed by `npm ci --omit=dev
// --os --cpu` from the project's lockfile (npm picks that platform's sharp and libvips packages
// from the npm registry; install scripts are not run). What is not needed at run time is left out
// through .vscodeignore plus rules computed here: other platforms' onnxruntime-node binaries,
// model files the manifest does not use, packages esbuild already bundled into dist/, and the
// install-only helpers of onnxruntime-node. THIRD-PARTY-NOTICES.txt is generated from the licence
// files of exactly the packages that go in (.ci/notices.mjs). vsce needs Node >= 22: it runs on the
// Node 24 that the test harness installs (test/harness/tools.js), from .ci/tools/vsce.
// Prints each VSIX's size and contents; writes DIR/summary.json. Default DIR: .run/vsix.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledPackages, writeNotices } from './notices.mjs';

const require = createRequire(import.meta.url);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { ensureNode24, isInstalled, npmCi, cleanEnv } = require('../test/harness/tools.js');

/** vsce target -> npm's --os / --cpu and onnxruntime-node's bin folder. */
export const TARGETS = {
  'linux-x64': { os: 'linux', cpu: 'x64' },
  'linux-arm64': { os: 'linux', cpu: 'arm64' },
  'darwin-arm64': { os: 'darwin', cpu: 'arm64' },
  'win32-x64': { os: 'win32', cpu: 'x64' },
};
/** The linux-x64 package must stay under this many bytes. */
export const LINUX_X64_LIMIT = 40 * 1024 * 1024;
/** Dependencies that only a package's install script uses (never required at run time). */
const INSTALL_ONLY = { 'onnxruntime-node': ['adm-zip', 'global-agent'] };
/** Entry points esbuild bundles (esbuild.js); their inputs under node_modules are in dist/ already. */
const ENTRIES = [
  ['src/extension.ts', 'node'], ['src/cli/main.ts', 'node'], ['src/inference/worker.ts', 'node'],
  ['src/workers/classical.ts', 'node'], ['webview/main.ts', 'browser'], ['webview/worker.ts', 'browser'],
];
const EXTERNAL = ['vscode', 'sharp', 'onnxruntime-node'];
/** Packages whose files esbuild.js copies into dist/ as they are. */
const COPIED = [['@vscode/codicons', 'copied into dist/ (codicon.css, codicon.ttf)']];

function packageAt(root, name) {
  const dir = path.join(root, 'node_modules', ...name.split('/'));
  const p = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  return { name: p.name, version: p.version, dir };
}

const T0 = Date.now();
const log = (...a) => console.log(`[package ${((Date.now() - T0) / 1000).toFixed(1)}s]`, ...a);

function args() {
  const a = { target: Object.keys(TARGETS).join(','), out: path.join(REPO, '.run', 'vsix') };
  const v = process.argv.slice(2);
  for (let i = 0; i < v.length; i++) {
    const k = v[i].replace(/^--/, '');
    if (!(k in a) || v[i + 1] === undefined) throw new Error(`usage: node .ci/package.mjs [--target ${Object.keys(TARGETS).join(',')}] [--out DIR]`);
    a[k] = v[++i];
  }
  const targets = a.target.split(',').filter(Boolean);
  for (const t of targets) if (!TARGETS[t]) throw new Error(`unknown target '${t}'; known: ${Object.keys(TARGETS).join(', ')}`);
  return { targets, out: path.resolve(a.out) };
}

function run(cmd, argv, opts) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 26, ...opts });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${argv.join(' ')} failed (exit ${r.status}${r.error ? ', ' + r.error.message : ''}):\n${(r.stdout || '').slice(-3000)}\n${(r.stderr || '').slice(-3000)}`);
  }
  return r.stdout;
}

/** A production build into work/build/dist (esbuild.js run from a folder that links to src and webview). */
function build(work) {
  const dir = path.join(work, 'build');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const d of ['src', 'webview']) fs.symlinkSync(path.join(REPO, d), path.join(dir, d), 'dir');
  run(process.execPath, [path.join(REPO, 'esbuild.js'), '--production'], { cwd: dir, stdio: 'inherit' });
  const dist = path.join(dir, 'dist');
  for (const f of ['extension.js', 'cli.js', 'inferenceWorker.js', 'classicalWorker.js', 'webview.js', 'webviewWorker.js', 'codicon.css', 'codicon.ttf']) {
    if (!fs.existsSync(path.join(dist, f))) throw new Error(`the production build has no dist/${f}`);
  }
  return dist;
}

/** vsce from .ci/tools/vsce, installed with Node 24's npm on first use (or when its lockfile changed). */
function vsceTool() {
  const nodeBin = ensureNode24(log);
  const dir = path.join(REPO, '.ci', 'tools', 'vsce');
  const bin = path.join(dir, 'node_modules', '@vscode', 'vsce', 'vsce');
  const env = cleanEnv({ PATH: `${nodeBin}${path.delimiter}${process.env.PATH}` });
  if (!isInstalled(dir, bin)) npmCi(dir, env, log);
  return { node: path.join(nodeBin, 'node'), vsce: bin, env };
}

/** Node's lookup of package `name` required from folder `from`: the nearest node_modules/name upwards, up to root. */
function resolvePackage(name, from, root) {
  let d = from;
  for (;;) {
    const c = path.join(d, 'node_modules', ...name.split('/'));
    if (fs.existsSync(path.join(c, 'package.json'))) return c;
    if (d === root) return null;
    d = path.dirname(d); // .../node_modules/[@scope/]pkg -> the folder that holds that node_modules
    if (path.basename(d).startsWith('@')) d = path.dirname(d);
    if (path.basename(d) === 'node_modules') d = path.dirname(d);
  }
}

/** Package folders that the extension loads at run time, from the node_modules of `root`. */
function runtimeClosure(root, bundled) {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const found = new Map();
  const visit = (name, from) => {
    const dir = resolvePackage(name, from, root);
    if (!dir) return; // not installed: an optional dependency for another platform
    if (found.has(dir)) return;
    const p = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    found.set(dir, { name: p.name, version: p.version, dir });
    const skip = INSTALL_ONLY[p.name] || [];
    for (const d of Object.keys({ ...p.dependencies, ...p.optionalDependencies })) if (!skip.includes(d)) visit(d, dir);
  };
  for (const d of Object.keys(pkg.dependencies || {})) if (!bundled.has(d)) visit(d, root);
  return [...found.values()];
}

/** All package folders under node_modules (scoped and nested), relative to root. */
function installedPackages(root) {
  const out = [];
  const walk = (nm) => {
    if (!fs.existsSync(nm)) return;
    for (const e of fs.readdirSync(nm, { withFileTypes: true })) {
      if (!e.isDirectory() || e.name.startsWith('.')) continue;
      const p = path.join(nm, e.name);
      if (e.name.startsWith('@')) { walk(p); continue; }
      if (fs.existsSync(path.join(p, 'package.json'))) out.push(p);
      walk(path.join(p, 'node_modules'));
    }
  };
  walk(path.join(root, 'node_modules'));
  return out;
}

function modelFilesUsed() {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'models', 'manifest.json'), 'utf8'));
  const refs = [];
  const add = (f) => { if (f && typeof f === 'object' && typeof f.package === 'string') refs.push(f); };
  for (const m of manifest.models) {
    add(m.file);
    if (m.file && typeof m.file === 'object') { add(m.file.encoder); add(m.file.decoder); }
  }
  return { manifest, refs };
}

/** The ignore rules computed for one staging folder (appended to its copy of .vscodeignore). */
function computedIgnores(stage, target, keep, refs) {
  const rel = (p) => path.relative(stage, p).split(path.sep).join('/');
  const lines = ['', '# --- computed by .ci/package.mjs for ' + target + ' ---'];
  const keepDirs = new Set(keep.map((k) => k.dir));
  lines.push('# packages not loaded at run time (bundled into dist/ by esbuild, or install-only)');
  for (const p of installedPackages(stage)) if (!keepDirs.has(p)) lines.push(`${rel(p)}/**`);
  const { os: tos, cpu } = TARGETS[target];
  lines.push('# onnxruntime-node: only this platform\'s binaries');
  const ort = path.join(stage, 'node_modules', 'onnxruntime-node', 'bin', 'napi-v6');
  for (const o of fs.existsSync(ort) ? fs.readdirSync(ort) : []) {
    for (const c of fs.readdirSync(path.join(ort, o))) if (o !== tos || c !== cpu) lines.push(`${rel(path.join(ort, o, c))}/**`);
  }
  // npm flattens the upstream symlink libonnxruntime.1.dylib -> libonnxruntime.1.30.0.dylib into two
  // equal files; the binding loads only the name it was linked against (@rpath/libonnxruntime.1.dylib).
  const own = path.join(ort, tos, cpu);
  const binding = fs.readFileSync(path.join(own, 'onnxruntime_binding.node')).toString('latin1');
  const files = fs.readdirSync(own).filter((f) => fs.statSync(path.join(own, f)).isFile());
  for (const f of files) {
    if (binding.includes(f)) continue;
    const twin = files.find((g) => g !== f && binding.includes(g) && fs.statSync(path.join(own, g)).size === fs.statSync(path.join(own, f)).size
      && fs.readFileSync(path.join(own, g)).equals(fs.readFileSync(path.join(own, f))));
    if (twin) lines.push(`# same bytes as ${twin}, the name the binding loads`, rel(path.join(own, f)));
  }
  lines.push('# model packages: only the files models/manifest.json uses');
  for (const pkgName of new Set(refs.map((r) => r.package))) {
    const dir = path.join(stage, 'node_modules', ...pkgName.split('/'));
    const used = new Set(refs.filter((r) => r.package === pkgName).map((r) => path.normalize(r.path)));
    const usedDirs = new Set([...used].map((u) => path.dirname(u)));
    for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (!e.isFile()) continue;
      const r = path.relative(dir, path.join(e.parentPath || e.path, e.name));
      // the other files beside the used ones (package.json and the entry files stay: the manifest finds the folder through them)
      if (!used.has(r) && usedDirs.has(path.dirname(r)) && r !== 'package.json') lines.push(rel(path.join(dir, r)));
    }
  }
  return lines.join('\n') + '\n';
}

function stage(work, target, distDir, bundled, refs) {
  const dir = path.join(work, target);
  const { os: tos, cpu } = TARGETS[target];
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const f of ['package-lock.json', '.npmrc']) fs.copyFileSync(path.join(REPO, f), path.join(dir, f));
  // vsce refuses a package.json with "files" next to a .vscodeignore: the staging copy drops "files"
  // (it is the npm package's list, for the CLI) and the scripts (nothing runs at vsce time).
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  delete pkg.files;
  delete pkg.scripts;
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  log(`${target}: npm ci --omit=dev --os=${tos} --cpu=${cpu}`);
  run('npm', ['ci', '--omit=dev', '--ignore-scripts', `--os=${tos}`, `--cpu=${cpu}`, '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, env: cleanEnv() });
  fs.cpSync(distDir, path.join(dir, 'dist'), { recursive: true });
  fs.cpSync(path.join(REPO, 'media'), path.join(dir, 'media'), { recursive: true });
  fs.cpSync(path.join(REPO, 'models'), path.join(dir, 'models'), { recursive: true });
  for (const f of ['README.md', 'LICENSE', 'CHANGELOG.md']) fs.copyFileSync(path.join(REPO, f), path.join(dir, f));
  const keep = runtimeClosure(dir, bundled);
  const names = keep.map((k) => k.name);
  for (const need of ['sharp', 'onnxruntime-node', `@img/sharp-${tos}-${cpu}`]) {
    if (!names.includes(need)) throw new Error(`${target}: ${need} was not installed in the staging folder`);
  }
  fs.writeFileSync(path.join(dir, '.vscodeignore'), fs.readFileSync(path.join(REPO, '.vscodeignore'), 'utf8') + computedIgnores(dir, target, keep, refs));
  return { dir, keep };
}

/** Entries of a zip file: [{ name, size, csize }], from its central directory. */
export function zipEntries(file) {
  const b = fs.readFileSync(file);
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 65557); i--) if (b.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  if (eocd < 0) throw new Error(`${file}: not a zip file`);
  const n = b.readUInt16LE(eocd + 10);
  let p = b.readUInt32LE(eocd + 16);
  const out = [];
  for (let k = 0; k < n; k++) {
    if (b.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory`);
    const csize = b.readUInt32LE(p + 20), size = b.readUInt32LE(p + 24);
    const nl = b.readUInt16LE(p + 28), el = b.readUInt16LE(p + 30), cl = b.readUInt16LE(p + 32);
    out.push({ name: b.toString('utf8', p + 46, p + 46 + nl), size, csize });
    p += 46 + nl + el + cl;
  }
  return out;
}

const mb = (n) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** Groups a VSIX's entries for the report: top-level folders, node_modules packages, native files. */
function describe(entries) {
  const groups = new Map();
  for (const e of entries) {
    const p = e.name.replace(/^extension\//, '');
    let key;
    const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(p);
    if (m) key = `node_modules/${m[1]}`;
    else key = p.includes('/') ? p.split('/')[0] + '/' : p;
    const g = groups.get(key) || { files: 0, size: 0, csize: 0 };
    g.files++; g.size += e.size; g.csize += e.csize;
    groups.set(key, g);
  }
  const native = entries.filter((e) => /\.(node|so(\.\d+)*|dylib|dll)$/.test(e.name)).map((e) => `${e.name.replace(/^extension\//, '')} (${mb(e.size)})`);
  const models = entries.filter((e) => /\.onnx$/.test(e.name)).map((e) => `${e.name.replace(/^extension\//, '')} (${mb(e.size)})`);
  return { groups: [...groups.entries()].sort((a, b) => b[1].csize - a[1].csize), native, models };
}

async function main() {
  const { targets, out } = args();
  const work = path.join(REPO, '.run', 'package');
  fs.mkdirSync(work, { recursive: true });
  fs.mkdirSync(out, { recursive: true });
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  log('production build');
  const distDir = build(work);
  const bundled = await bundledPackages(REPO, ENTRIES, EXTERNAL);
  const copied = COPIED.map(([name, how]) => ({ ...packageAt(REPO, name), how }));
  const { refs } = modelFilesUsed();
  const tool = vsceTool();
  const summary = [];
  for (const target of targets) {
    const { dir, keep } = stage(work, target, distDir, new Set(bundled.map((b) => b.name)), refs);
    const notices = writeNotices({ file: path.join(dir, 'THIRD-PARTY-NOTICES.txt'), product: `${pkg.displayName} ${pkg.version} (${target})`, packages: keep, bundled: [...bundled, ...copied], modelsDir: path.join(dir, 'models') });
    const vsix = path.join(out, `${pkg.name}-${pkg.version}-${target}.vsix`);
    fs.rmSync(vsix, { force: true });
    log(`${target}: vsce package (${keep.length} runtime packages, notices for ${notices.count} components)`);
    const said = run(tool.node, [tool.vsce, 'package', '--target', target, '--out', vsix], { cwd: dir, env: tool.env });
    for (const l of said.split('\n')) if (/WARNING|ERROR/i.test(l)) log(`${target}: vsce: ${l.trim()}`);
    const entries = zipEntries(vsix);
    const size = fs.statSync(vsix).size;
    const d = describe(entries);
    console.log(`\n${path.relative(REPO, vsix)}: ${mb(size)} (${size} bytes), ${entries.length} files, ${mb(entries.reduce((s, e) => s + e.size, 0))} unpacked`);
    for (const [k, g] of d.groups) console.log(`  ${k.padEnd(44)} ${String(g.files).padStart(4)} files ${mb(g.size).padStart(9)} -> ${mb(g.csize).padStart(8)}`);
    console.log(`  native: ${d.native.join(', ')}`);
    console.log(`  models: ${d.models.join(', ')}\n`);
    summary.push({ target, file: vsix, size, files: entries.length, native: d.native, models: d.models });
    if (target === 'linux-x64' && size >= LINUX_X64_LIMIT) throw new Error(`${vsix} is ${mb(size)}; the linux-x64 package must stay under ${mb(LINUX_X64_LIMIT)}`);
  }
  fs.writeFileSync(path.join(out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  console.log('size per target:');
  for (const s of summary) console.log(`  ${s.target.padEnd(14)} ${mb(s.size).padStart(9)}  ${path.relative(REPO, s.file)}`);
  log('done');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => { console.error(String((e && e.stack) || e)); process.exit(1); });
}
