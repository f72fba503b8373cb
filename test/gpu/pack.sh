#!/usr/bin/env bash
# Prepares .run/gpu/ (git-ignored, ~52 MB) with everything test/gpu/run.sh needs on a GPU machine
# that cannot download anything: a slim onnxruntime-node (linux-x64 only) + onnxruntime-common,
# the embedded model, the pure pre-processing (compiled) and real images as raw RGB.
# Run here (repo root): bash test/gpu/pack.sh ; then carry ".run/gpu" to the GPU machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
npx tsc -p . >/dev/null || true   # emits out/ even when unrelated files have type errors
D=.run/gpu
rm -rf "$D" && mkdir -p "$D/node_modules/onnxruntime-node/bin/napi-v6/linux" "$D/lib" "$D/images"
cp -r node_modules/onnxruntime-common "$D/node_modules/"
cp -r node_modules/onnxruntime-node/dist node_modules/onnxruntime-node/package.json "$D/node_modules/onnxruntime-node/"
cp -r node_modules/onnxruntime-node/bin/napi-v6/linux/x64 "$D/node_modules/onnxruntime-node/bin/napi-v6/linux/"
cp out/src/algorithms/models/preprocess.js out/src/algorithms/models/geometry.js "$D/lib/"
node -e "
const m = require('./out/src/inference/manifest').loadManifest()[0];
require('fs').copyFileSync(m.file, '$D/text_det.onnx');
require('fs').writeFileSync('$D/text_det.json', JSON.stringify(m.entry.input));
const { decodeImage } = require('./out/src/io/image');
const { FIXTURE_IMAGES } = require('./out/test/paths');
(async () => {
  const list = [];
  for (const n of ['text.png', 'astronaut.png', 'rocket.jpg']) {
    const d = await decodeImage(require('path').join(FIXTURE_IMAGES, n), { channels: 3 });
    require('fs').writeFileSync('$D/images/' + n + '.rgb', d.data);
    list.push({ name: n, width: d.width, height: d.height });
  }
  require('fs').writeFileSync('$D/images/index.json', JSON.stringify(list));
})();
"
du -sh "$D"
