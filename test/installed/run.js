// The installed-VSIX tier: the linux-x64 VSIX that `npm run package` writes is installed into a fresh
// code-server with `code-server --install-extension` (nothing side-loaded, no development path, no
// link to this repo's node_modules), and the specs in this folder drive the workbench as a user
// would. A package that lacks a native binary, a model file or a bundled script fails here.
// usage: node test/installed/run.js [--vsix FILE]
//   default FILE: .run/vsix/maskwright-<version>-linux-x64.vsix, packaged first when missing or older
//   than the sources (MW_INSTALLED_REPACKAGE=1 packages it again in any case).
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { ensureTools } = require('../harness/tools');
const { startCodeServer } = require('../harness/codeServer');

const REPO = path.resolve(__dirname, '..', '..');
const RUN_DIR = path.join(REPO, '.run', 'installed');
const RESULTS = path.join(REPO, 'test-results', 'installed');
const T0 = Date.now();
const log = (...a) => console.log(`[installed ${((Date.now() - T0) / 1000).toFixed(1)}s]`, ...a);

/** Newest modification time of what goes into the package. */
function newestInput() {
  let t = 0;
  for (const p of ['src', 'webview', 'media', 'models', 'package.json', 'package-lock.json', '.vscodeignore', '.ci/package.mjs', '.ci/notices.mjs', 'esbuild.js']) {
    const abs = path.join(REPO, p);
    if (!fs.existsSync(abs)) continue;
    const st = fs.statSync(abs);
    if (st.isFile()) { t = Math.max(t, st.mtimeMs); continue; }
    for (const e of fs.readdirSync(abs, { recursive: true, withFileTypes: true })) {
      if (e.isFile()) t = Math.max(t, fs.statSync(path.join(e.parentPath || e.path, e.name)).mtimeMs);
    }
  }
  return t;
}

function vsixPath() {
  const i = process.argv.indexOf('--vsix');
  if (i > 0) return path.resolve(process.argv[i + 1]);
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  const file = path.join(REPO, '.run', 'vsix', `${pkg.name}-${pkg.version}-linux-x64.vsix`);
  const stale = fs.existsSync(file) && newestInput() > fs.statSync(file).mtimeMs;
  if (!fs.existsSync(file) || stale || process.env.MW_INSTALLED_REPACKAGE === '1') {
    log(`packaging linux-x64 (node .ci/package.mjs --target linux-x64)${stale ? ': sources changed since the VSIX was made' : ''}`);
    const r = spawnSync(process.execPath, [path.join(REPO, '.ci', 'package.mjs'), '--target', 'linux-x64'], { cwd: REPO, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('packaging failed');
  }
  return file;
}

async function main() {
  let cs;
  for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => { if (cs) cs.stop(); console.log(`interrupted (${sig})`); process.exit(1); });
  let passed = 0, failed = 0;
  try {
    const vsix = vsixPath();
    const tools = ensureTools(log);
    fs.rmSync(RUN_DIR, { recursive: true, force: true });
    fs.mkdirSync(RUN_DIR, { recursive: true });
    fs.mkdirSync(RESULTS, { recursive: true });
    log(`code-server --install-extension ${path.relative(REPO, vsix)} (${(fs.statSync(vsix).size / 1048576).toFixed(1)} MB)`);
    // No editor association: a user opens images with the mask editor from the Explorer's menu.
    cs = await startCodeServer({ ...tools, runDir: RUN_DIR, installVsix: [vsix], settings: { 'workbench.editorAssociations': {} } });
    log(`code-server ${cs.base} (pid ${cs.pid}, log ${path.relative(REPO, cs.logFile)})`);
    const Mocha = require('mocha');
    const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 240000, reporter: 'spec' });
    if (process.env.MW_INSTALLED_GREP) mocha.grep(process.env.MW_INSTALLED_GREP);
    // the same shape as test/harness/run.js's, so the e2e helpers (test/e2e/workbench.js) work here
    globalThis.__maskwrightHarness = { base: cs.base, runDir: RUN_DIR, userDataDir: cs.userDataDir, extensionsDir: cs.extensionsDir, results: RESULTS, log, vsix };
    for (const f of fs.readdirSync(__dirname).filter((n) => n.endsWith('.test.js')).sort()) mocha.addFile(path.join(__dirname, f));
    failed = await new Promise((resolve) => {
      const runner = mocha.run(resolve);
      runner.on('pass', () => passed++);
    });
  } catch (e) {
    console.error(String((e && e.stack) || e));
    failed++;
  } finally {
    if (cs) cs.stop();
  }
  log(`done; screenshots in ${path.relative(REPO, RESULTS)}/`);
  console.log(`installed: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

main();
