// Where tests find the repo and the shared fixtures (../shared beside the repo's root), whether
// they run from TypeScript sources or from the compiled copies under out/.
import * as fs from 'node:fs';
import * as path from 'node:path';

function findRoot(start: string): string {
  let d = start;
  while (!fs.existsSync(path.join(d, 'package.json'))) {
    const up = path.dirname(d);
    if (up === d) throw new Error('repo root not found from ' + start);
    d = up;
  }
  return d;
}

export const REPO = findRoot(__dirname);
export const SHARED = process.env.MASKWRIGHT_SHARED ?? path.resolve(REPO, '..', 'shared');
export const FIXTURE_IMAGES = path.join(SHARED, 'fixtures', 'images');
export const PNG_CORPUS = path.join(SHARED, 'fixtures', 'png-corpus');
/** Fixtures committed in this repo. */
export const LOCAL_FIXTURES = path.join(REPO, 'test', 'fixtures');
