// Runs the integration suite inside code-server's extension host: the workbench is opened in headless
// Chromium with the test payload (extensionDevelopmentPath + extensionTestsPath), VS Code calls the
// suite's run() in the extension host, and the exit code comes back through codeAutomationExit.
'use strict';
const util = require('util');
const { launch, workbenchUrl, remoteUri } = require('./browser');

/** Returns the exit code VS Code reports (0 = all passed) or 'timeout'. */
async function runExtensionTests({ base, folder, devPath, testsPath, timeoutMs = 600000, log = console.log, shot }) {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    let done;
    const exited = new Promise((r) => (done = r));
    await page.exposeFunction('codeAutomationExit', (code) => done(code));
    // The extension host's console (mocha's reporter) reaches the page console as ['%c INFO', css, fmt, ...args].
    page.on('console', async (m) => {
      let args;
      try { args = await Promise.all(m.args().map((a) => a.jsonValue())); } catch { args = [m.text()]; }
      if (typeof args[0] === 'string' && args[0].startsWith('%c')) args = args.slice(2);
      const t = util.format(...args);
      if (process.env.VERBOSE || t.startsWith('[mw-int] ')) log(t.replace(/^\[mw-int\] /, ''));
    });
    const payload = [['extensionDevelopmentPath', remoteUri(base, devPath)], ['extensionTestsPath', remoteUri(base, testsPath)], ['skipWelcome', 'true']];
    const resp = await page.goto(workbenchUrl(base, folder, payload));
    if (!resp || !resp.ok()) throw new Error(`workbench page failed: HTTP ${resp && resp.status()}`);
    let timer;
    const code = await Promise.race([exited, new Promise((r) => { timer = setTimeout(() => r('timeout'), timeoutMs); })]);
    clearTimeout(timer);
    if (shot) await page.screenshot({ path: shot }).catch(() => undefined);
    return code;
  } finally {
    await browser.close();
  }
}

module.exports = { runExtensionTests };
