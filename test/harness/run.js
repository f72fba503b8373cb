// The real-VS-Code test tier: installs the tools if needed, starts code-server with the extension
// side-loaded, runs the integration suite inside its extension host, then the Playwright e2e specs
// through the workbench into the webview, prints the results and always stops code-server.
// usage: node test/harness/run.js [--integration-only | --e2e-only]   (npm run test:vscode builds first)
// env: MW_INT_GREP / MW_E2E_GREP (mocha grep), MW_INT_TIMEOUT_MS (default 300000), VERBOSE=1 (all workbench console output)
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { ensureTools } = require('./tools');
const { startCodeServer } = require('./codeServer');
const { runExtensionTests } = require('./extTests');
const { makeWorkspace, REPO } = require('./workspace');

const RESULTS = path.join(REPO, 'test-results');
const RUN_DIR = path.join(REPO, '.run', 'harness');
const T0 = Date.now();
const log = (...a) => console.log(`[harness ${((Date.now() - T0) / 1000).toFixed(1)}s]`, ...a);

/** Compiles src + test to out/ (the integration tests read PNGs with the project's own decoder from there). */
function compileOut() {
  const tsc = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', REPO], { cwd: REPO, encoding: 'utf8' });
  // tsc emits even when some file has type errors; those are the typecheck tier's to report.
  if (r.status !== 0) log(`tsc -p . reported type errors (JS emitted anyway):\n${(r.stdout || '').split('\n').filter((l) => /error TS/.test(l)).slice(0, 5).map((l) => l.slice(0, 160)).join('\n')}`);
}

/** Tools, build outputs, a fresh run folder and a started code-server with the extension side-loaded. */
async function startHarness() {
  const tools = ensureTools(log);
  if (!fs.existsSync(path.join(REPO, 'dist', 'extension.js'))) {
    log('dist/extension.js missing: building');
    const r = spawnSync(process.execPath, [path.join(REPO, 'esbuild.js')], { cwd: REPO, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('build failed');
  }
  compileOut();
  fs.rmSync(RUN_DIR, { recursive: true, force: true });
  fs.mkdirSync(RUN_DIR, { recursive: true });
  fs.mkdirSync(RESULTS, { recursive: true });
  const cs = await startCodeServer({ ...tools, runDir: RUN_DIR, sideloadFrom: REPO });
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  const extDir = path.join(cs.extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  log(`code-server ${cs.base} (pid ${cs.pid}, log ${path.relative(REPO, cs.logFile)})`);
  return { cs, extDir, runDir: RUN_DIR };
}

async function integration(h) {
  const folder = makeWorkspace(path.join(h.runDir, 'ws-int'));
  const resultsFile = path.join(RESULTS, 'integration.json');
  fs.rmSync(resultsFile, { force: true });
  log('integration suite (inside the extension host)');
  const code = await runExtensionTests({
    base: h.cs.base, folder, devPath: h.extDir, testsPath: path.join(REPO, 'test', 'integration'),
    timeoutMs: Number(process.env.MW_INT_TIMEOUT_MS) || 300000,
    shot: path.join(RESULTS, 'integration-workbench.png'), log: (s) => console.log(s),
  });
  let r = { passed: 0, failed: 0 };
  try { r = JSON.parse(fs.readFileSync(resultsFile, 'utf8')); } catch { /* suite never ran */ }
  if (code !== 0 && r.failed === 0) {
    log(`extension host exit code ${code} without a failing test (suite did not load or timed out); see ${path.relative(REPO, h.cs.logFile)}`);
    r.failed = 1;
  }
  return { passed: r.passed, failed: r.failed };
}

async function e2e(h) {
  const dir = path.join(REPO, 'test', 'e2e');
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.e2e.js')).sort() : [];
  if (files.length === 0) return { passed: 0, failed: 0 };
  log(`e2e (Playwright): ${files.join(', ')}`);
  const Mocha = require('mocha');
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 180000, reporter: 'spec' });
  if (process.env.MW_E2E_GREP) mocha.grep(process.env.MW_E2E_GREP);
  globalThis.__maskwrightHarness = { base: h.cs.base, runDir: h.runDir, userDataDir: h.cs.userDataDir, results: RESULTS, log };
  for (const f of files) mocha.addFile(path.join(dir, f));
  let passed = 0;
  const failed = await new Promise((resolve) => {
    const runner = mocha.run(resolve);
    runner.on('pass', () => passed++);
  });
  return { passed, failed };
}

async function main() {
  const only = process.argv[2];
  let h;
  const total = { passed: 0, failed: 0 };
  const add = (r) => { total.passed += r.passed; total.failed += r.failed; };
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.once(sig, () => { if (h) h.cs.stop(); console.log(`interrupted (${sig})`); process.exit(1); });
  }
  try {
    h = await startHarness();
    if (only !== '--e2e-only') add(await integration(h));
    if (only !== '--integration-only') add(await e2e(h));
  } catch (e) {
    console.error(String((e && e.stack) || e));
    total.failed++;
  } finally {
    if (h) h.cs.stop();
  }
  log(`done; artifacts in ${path.relative(REPO, RESULTS)}/`);
  console.log(`${total.passed} passed, ${total.failed} failed`);
  process.exit(total.failed === 0 && total.passed > 0 ? 0 : 1);
}

module.exports = { startHarness, RESULTS, REPO };
if (require.main === module) main();
