// 16-bit images whose values do not fill their range (a 16-bit TIFF holding 0..255, a 12-bit PNG)
// are decoded through their window, min..max -> 0..255, in every face; checked against numpy.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { decodeImage, readImageInfo } from '../../../src/io/image';
import { otsu, toGray } from '../../../src/algorithms/classical';
import { FIXTURE_IMAGES } from '../../paths';
import { PYTHON, tempDir } from './oracles';

describe('io/image: 16-bit images through their display window', function () {
  this.timeout(60000);
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => { t = tempDir('mw-16-'); });
  afterEach(() => t.cleanup());

  it('a 16-bit TIFF holding camera.png (0..255) and a 12-bit PNG decode to numpy\'s min..max stretch; Otsu is no longer 0', async () => {
    const tif = path.join(t.dir, 'cam16.tif'), png = path.join(t.dir, 'cam12.png');
    // numpy writes the files and the expected stretch: round((v - lo) * 255 / (hi - lo)).
    const want = JSON.parse(execFileSync(PYTHON, ['-c', `
import json, numpy as np
from PIL import Image
a = np.array(Image.open(${JSON.stringify(path.join(FIXTURE_IMAGES, 'camera.png'))}).convert('L')).astype(np.uint16)
Image.fromarray(a).save(${JSON.stringify(tif)})
b = (a * 16 + 5).astype(np.uint16)   # 12-bit values 5..4085
Image.fromarray(b).save(${JSON.stringify(png)})
def stretch(x):
    lo, hi = int(x.min()), int(x.max())
    return [lo, hi, np.floor((x.astype(np.float64) - lo) * 255 / (hi - lo) + 0.5).astype(np.uint8).ravel().tolist()[:4096]]
print(json.dumps([stretch(a), stretch(b)]))`], { encoding: 'utf8', maxBuffer: 1 << 26 })) as [number, number, number[]][];
    for (const [file, [lo, hi, head]] of [[tif, want[0]], [png, want[1]]] as const) {
      const info = await readImageInfo(file);
      assert.equal(info.bits, 16, file);
      const d = await decodeImage(file, { channels: 3 });
      assert.deepEqual(d.window, [lo, hi]);
      const gray = toGray(d);
      assert.deepEqual([...gray.subarray(0, head.length)], head, `${path.basename(file)}: the first 4096 pixels equal numpy's stretch`);
      const o = otsu({ data: gray, width: d.width, height: d.height });
      assert.ok(o.threshold > 50 && o.threshold < 200, `${path.basename(file)}: Otsu ${o.threshold}`);
    }
  });
});
