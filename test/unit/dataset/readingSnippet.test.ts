// The README's reading snippet, run as written with Debian's PIL and OpenCV on masks saved by
// Maskwright (and the gray8 export it names): every reader it recommends gets the ids; the trap it
// warns about (OpenCV on the palette PNG) really loses them.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { writeMaskSet } from '../../../src/io/maskSet';
import { defaultConfig } from '../../../src/shared/config';
import { createLabelMaps } from '../../../src/shared/maskModel';
import { FIXTURE_IMAGES, REPO } from '../../paths';
import { PYTHON, tempDir } from '../io/oracles';

function readmeSnippet(): string {
  const text = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const m = /<!-- reading-snippet:start -->\s*```python\n([\s\S]*?)```\s*<!-- reading-snippet:end -->/.exec(text);
  assert.ok(m, 'README has the reading snippet between its markers');
  return m[1];
}

describe('README reading snippet (PIL and OpenCV)', function () {
  this.timeout(60000);
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => { t = tempDir('mw-readme-'); });
  afterEach(() => t.cleanup());

  it('gives the saved class and instance ids to PIL and to OpenCV (via the gray8 export); OpenCV on the palette PNG does not', async () => {
    const data = path.join(t.dir, 'data');
    fs.mkdirSync(data);
    const img = path.join(data, 'img.png');
    fs.copyFileSync(path.join(FIXTURE_IMAGES, 'camera.png'), img);
    const maps = createLabelMaps(512, 512);
    for (let y = 100; y < 200; y++) { maps.semantic.fill(1, y * 512 + 50, y * 512 + 250); maps.instances.fill(300, y * 512 + 50, y * 512 + 250); }
    const r = await writeMaskSet(img, maps, [{ id: 300, class: 1, source: 'manual' }], defaultConfig(), {});
    assert.equal(r.status, 'written');
    const out: string[] = [], err: string[] = [];
    const code = await main(['export', '--format', 'gray8', '--out', path.join(t.dir, 'ids'), data], { out: (l) => out.push(l), err: (l) => err.push(l), signal: new AbortController().signal });
    assert.equal(code, 0, err.join('\n'));
    const script = `${readmeSnippet()}
import json
def stats(a): return {"dtype": str(a.dtype), "shape": list(a.shape), "values": sorted(int(v) for v in np.unique(a)), "at": int(a[150, 100]) if a.ndim == 2 else None}
trap = cv2.imread("data/img.mask.png", cv2.IMREAD_GRAYSCALE)
print(json.dumps({"classes": stats(classes), "instances": stats(instances), "instances_cv": stats(instances_cv), "classes_cv": stats(classes_cv), "trap": stats(trap)}))`;
    const res = JSON.parse(execFileSync(PYTHON, ['-c', script], { cwd: t.dir, encoding: 'utf8' }));
    assert.deepEqual(res.classes, { dtype: 'uint8', shape: [512, 512], values: [0, 1], at: 1 });
    assert.deepEqual(res.classes_cv, { dtype: 'uint8', shape: [512, 512], values: [0, 1], at: 1 });
    assert.deepEqual(res.instances, { dtype: 'uint16', shape: [512, 512], values: [0, 300], at: 300 });
    assert.deepEqual(res.instances_cv, { dtype: 'uint16', shape: [512, 512], values: [0, 300], at: 300 });
    assert.deepEqual(res.trap.values, [0, 38], 'OpenCV reads the palette PNG as luminance, as the README warns');
  });
});
