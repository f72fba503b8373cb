// `npm run demo`: the main job for a newcomer. Builds (npm script), installs Node 24 + code-server
// from the npm registry on first use, copies the sample dataset to .run/demo/sample-dataset (kept
// between runs so your masks stay; --fresh starts over), and serves VS Code with the extension on
// 127.0.0.1. Open the printed address in a browser; Ctrl+C stops it.
// usage: node test/harness/demo.js [--fresh] [--port N]   (env PORT also works)
'use strict';
const fs = require('fs');
const path = require('path');
const { ensureTools } = require('./tools');
const { startCodeServer } = require('./codeServer');

const REPO = path.resolve(__dirname, '..', '..');
const RUN = path.join(REPO, '.run', 'demo');
const WS = path.join(RUN, 'sample-dataset');

async function main() {
  const args = process.argv.slice(2);
  const portArg = args.includes('--port') ? Number(args[args.indexOf('--port') + 1]) : Number(process.env.PORT || 8080);
  if (args.includes('--fresh')) fs.rmSync(WS, { recursive: true, force: true });
  if (!fs.existsSync(WS)) {
    fs.mkdirSync(RUN, { recursive: true });
    fs.cpSync(path.join(REPO, 'test', 'fixtures', 'sample-dataset'), WS, { recursive: true });
  }
  console.log('Installing / checking Node 24 and code-server (first run: a few minutes)...');
  const tools = ensureTools((s) => console.log(s));
  const cs = await startCodeServer({
    ...tools, runDir: path.join(RUN, 'server'), sideloadFrom: REPO, port: portArg,
    settings: { 'workbench.editorAssociations': { '*.png': 'maskwright.maskEditor', '*.jpg': 'maskwright.maskEditor' }, 'files.autoSave': 'off' },
    args: [WS],
  });
  console.log(`\nMaskwright demo: open ${cs.base}/?folder=${encodeURIComponent(WS)}`);
  console.log('Click an image in the Explorer: it opens in the mask editor. Drag to paint, Ctrl+S saves');
  console.log(`STEM.mask.png beside it (${path.relative(process.cwd(), WS)}). Ctrl+C stops the server.`);
  const stop = () => { cs.stop(); process.exit(0); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await new Promise(() => undefined);
}

main().catch((e) => {
  console.error(`demo failed: ${e.message}`);
  process.exit(1);
});
