// Runs inside the (remote) extension host: VS Code calls run() because of the payload's
// extensionTestsPath. Mocha (CommonJS, tdd UI) runs every *.test.js in this folder; each line of the
// report is logged with a '[mw-int] ' prefix, which the harness picks out of the workbench console.
'use strict';
const fs = require('fs');
const path = require('path');

const REPO = path.resolve(__dirname, '..', '..');

module.exports.run = async function run() {
  const Mocha = require('mocha');
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60000, reporter: 'base' });
  const grep = process.env.MW_INT_GREP;
  if (grep) mocha.grep(grep);
  for (const f of fs.readdirSync(__dirname).filter((n) => n.endsWith('.test.js')).sort()) mocha.addFile(path.join(__dirname, f));
  const out = (s) => console.log('[mw-int] ' + s);
  const results = [];
  await new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const passed = results.filter((r) => r.state === 'passed').length;
      out('');
      out(`  ${passed} passing`);
      if (failures) out(`  ${failures} failing`);
      results.filter((r) => r.state === 'failed').forEach((r, i) => out(`\n  ${i + 1}) ${r.title}:\n${r.err}`));
      fs.mkdirSync(path.join(REPO, 'test-results'), { recursive: true });
      fs.writeFileSync(path.join(REPO, 'test-results', 'integration.json'), JSON.stringify({ passed, failed: failures, results }, null, 2));
      if (failures) reject(new Error(`${failures} tests failed.`));
      else resolve();
    });
    runner.on('suite', (s) => { if (s.title) out(`  ${s.title}`); });
    runner.on('pass', (t) => { results.push({ title: t.fullTitle(), state: 'passed', ms: t.duration }); out(`    ✔ ${t.title} (${t.duration} ms)`); });
    runner.on('fail', (t, err) => {
      results.push({ title: t.fullTitle(), state: 'failed', err: String((err && err.stack) || err) });
      out(`    ✗ ${t.title}`);
    });
  });
};
