// Fresh workspace folders for a test run: copies of the shared fixture images and a dataset config.
'use strict';
const fs = require('fs');
const path = require('path');

const REPO = path.resolve(__dirname, '..', '..');
const SHARED = process.env.MASKWRIGHT_SHARED || path.resolve(REPO, '..', 'shared');
const FIXTURE_IMAGES = path.join(SHARED, 'fixtures', 'images');

/** Three classes: background (0) and two foreground classes; 255 is the ignore index. */
const CONFIG = {
  version: 1,
  classes: [
    { id: 0, name: 'background', color: '#000000', kind: 'stuff' },
    { id: 1, name: 'object', color: '#800000', kind: 'thing' },
    { id: 2, name: 'sky', color: '#008000', kind: 'stuff' },
  ],
  ignoreIndex: 255,
  backgroundId: 0,
  patterns: { mask: '{stem}.mask.png', instances: '{stem}.instances.png', sidecar: '{stem}.mask.json' },
  models: [],
};

/** Creates dir (emptied first) with the given fixture images and maskwright.json. */
function makeWorkspace(dir, images = ['camera.png', 'coffee.png', 'rocket.jpg']) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const name of images) {
    const src = path.join(FIXTURE_IMAGES, name);
    if (!fs.existsSync(src)) throw new Error(`fixture image ${src} is missing (../shared beside the repo?)`);
    fs.copyFileSync(src, path.join(dir, name));
    fs.chmodSync(path.join(dir, name), 0o644); // the shared fixtures are read-only; a user's images are not
  }
  fs.writeFileSync(path.join(dir, 'maskwright.json'), JSON.stringify(CONFIG, null, 2) + '\n');
  return dir;
}

module.exports = { makeWorkspace, CONFIG, REPO, SHARED, FIXTURE_IMAGES };
