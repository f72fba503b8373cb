// Starts code-server (VS Code in a browser) for tests: 127.0.0.1 on a free port, no auth, fresh
// user-data and extensions folders, telemetry/update/trust/welcome off, the extension side-loaded.
// The server runs in its own process group (detached), so stop() ends the whole tree.
'use strict';
const fs = require('fs');
const http = require('http');
const net = require('net');
const path = require('path');
const { spawn, spawnSync } = require('child_process');

const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.editor.enablePreview': false,
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  // VS Code in a browser defaults to autoSave afterDelay; the tests decide when to save.
  'files.autoSave': 'off',
  'files.hotExit': 'onExitAndWindowClose',
  'window.confirmBeforeClose': 'never',
  // The mask editor's priority is 'option'; the e2e opens images through Quick Open, so associate them.
  'workbench.editorAssociations': { '*.png': 'maskwright.maskEditor', '*.jpg': 'maskwright.maskEditor' },
};

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function healthy(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => { req.destroy(); resolve(false); });
  });
}

/** Copies what the extension needs at run time into extensionsDir/<publisher>.<name>-<version>. */
function sideload(repo, extensionsDir) {
  const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
  const dir = path.join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(repo, 'package.json'), path.join(dir, 'package.json'));
  if (!fs.existsSync(path.join(repo, 'dist'))) throw new Error('dist/ is missing: run `npm run build` first');
  for (const d of ['dist', 'media', 'models']) {
    if (fs.existsSync(path.join(repo, d))) fs.cpSync(path.join(repo, d), path.join(dir, d), { recursive: true });
  }
  // Native run-time dependencies (sharp + @img, onnxruntime-node, model packages): a symlink to the
  // repo's node_modules; Node resolves it to the real path, so N-API addons load from there.
  fs.symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return { dir, id: `${pkg.publisher}.${pkg.name}` };
}

/**
 * Starts code-server. opts: { codeServer, node24Bin, runDir, settings?, args?, sideloadFrom?, installVsix? (VSIX files to install first) }.
 * Returns { base, port, pid, userDataDir, extensionsDir, stop() }.
 */
async function startCodeServer(opts) {
  const { codeServer, node24Bin, runDir } = opts;
  const ud = path.join(runDir, 'user-data'), ext = path.join(runDir, 'extensions'), xdg = path.join(runDir, 'xdg');
  for (const d of [ud, ext, xdg]) fs.rmSync(d, { recursive: true, force: true });
  fs.mkdirSync(path.join(ud, 'User'), { recursive: true });
  fs.mkdirSync(ext, { recursive: true });
  fs.mkdirSync(xdg, { recursive: true });
  fs.writeFileSync(path.join(ud, 'User', 'settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...(opts.settings || {}) }, null, 2));
  if (opts.sideloadFrom) sideload(opts.sideloadFrom, ext);
  const config = path.join(runDir, 'config.yaml');
  fs.writeFileSync(config, '');
  const port = opts.port || await freePort();
  const logFile = path.join(runDir, 'code-server.log');
  const out = fs.openSync(logFile, 'w');
  const env = {
    ...process.env,
    PATH: `${node24Bin}${path.delimiter}${process.env.PATH}`,
    XDG_CONFIG_HOME: xdg, XDG_DATA_HOME: xdg, XDG_CACHE_HOME: xdg,
    ...(opts.env || {}),
  };
  // Packaged extensions, installed as a user does it: `code-server --install-extension FILE.vsix`.
  for (const vsix of opts.installVsix || []) {
    const r = spawnSync(codeServer, ['--user-data-dir', ud, '--extensions-dir', ext, '--install-extension', vsix], { env, encoding: 'utf8', timeout: 300000 });
    if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (exit ${r.status}${r.error ? ', ' + r.error.message : ''}):\n${r.stdout}\n${r.stderr}`);
  }
  const args = ['--config', config, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--ignore-last-opened', '--user-data-dir', ud, '--extensions-dir', ext,
    // Without the smoke-test driver the workbench ignores the test payload (extensionTestsPath).
    '--vscode-option', 'enable-smoke-test-driver', ...(opts.args || [])];
  const child = spawn(codeServer, args, { env, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  let exited = null;
  child.on('exit', (code, sig) => { exited = { code, sig }; });
  const stop = () => stopGroup(child.pid);
  process.on('exit', stop);
  for (let i = 0; i < 300; i++) {
    if (exited) break;
    if (await healthy(port)) {
      return { base: `http://127.0.0.1:${port}`, port, pid: child.pid, userDataDir: ud, extensionsDir: ext, logFile, stop };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  stop();
  const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
  throw new Error(`code-server did not come up on 127.0.0.1:${port}${exited ? ` (exited ${JSON.stringify(exited)})` : ''}:\n${tail}`);
}

/** Ends a detached process group: SIGTERM, then SIGKILL if anything is left after 3 s. */
function stopGroup(pid) {
  try { process.kill(-pid, 'SIGTERM'); } catch { return; }
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline) {
    try { process.kill(-pid, 0); } catch { return; }
    // synchronous sleep: stop() also runs from process 'exit', where nothing async runs
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  }
  try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
}

module.exports = { startCodeServer, sideload, stopGroup, BASE_SETTINGS };
