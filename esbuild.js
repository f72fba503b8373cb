// One build script, several targets: the extension host and the CLI (node, CommonJS) and the
// webview (browser, IIFE). Native modules stay external and load from node_modules at run time.
// usage: node esbuild.js [--watch] [--production]
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const external = ['vscode', 'sharp', 'onnxruntime-node'];

const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', legalComments: 'none' };
const targets = [
  { entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node20', external },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node20', external, banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['src/inference/worker.ts'], outfile: 'dist/inferenceWorker.js', platform: 'node', format: 'cjs', target: 'node20', external },
  { entryPoints: ['src/workers/classical.ts'], outfile: 'dist/classicalWorker.js', platform: 'node', format: 'cjs', target: 'node20', external },
  { entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'chrome114' },
  { entryPoints: ['webview/worker.ts'], outfile: 'dist/webviewWorker.js', platform: 'browser', format: 'iife', target: 'chrome114' },
  { entryPoints: ['webview/overview/main.ts'], outfile: 'dist/overview.js', platform: 'browser', format: 'iife', target: 'chrome114' },
].filter((t) => fs.existsSync(t.entryPoints[0]));

async function main() {
  fs.mkdirSync('dist', { recursive: true });
  fs.copyFileSync(require.resolve('@vscode/codicons/dist/codicon.css'), path.join('dist', 'codicon.css'));
  fs.copyFileSync(require.resolve('@vscode/codicons/dist/codicon.ttf'), path.join('dist', 'codicon.ttf'));
  const contexts = await Promise.all(targets.map((t) => esbuild.context({ ...common, ...t })));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  if (fs.existsSync('dist/cli.js')) fs.chmodSync('dist/cli.js', 0o755);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
