// Every file of the shared PNG corpus through both loaders: decode with the manifest's size, or
// throw a clear Error; never crash or hang. Valid PngSuite files must decode, and our exact
// reader must agree with PIL's values.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PNG_CORPUS } from '../../paths';
import { decodeImage, readImageInfo } from '../../../src/io/image';
import { readLabelPng } from '../../../src/io/labelPng';
import { pilReadMany, type PilResult } from './oracles';

interface Row { source: string; file: string; w: number; h: number; pilOk: boolean; pil: string }

function manifest(): Row[] {
  const lines = fs.readFileSync(path.join(PNG_CORPUS, 'manifest.tsv'), 'utf8').trim().split('\n').slice(1);
  return lines.map((l) => {
    const c = l.split('\t');
    const m = /^(\d+)x(\d+)/.exec(c[4]);
    if (!m) throw new Error(`manifest row without a size: ${l}`);
    return { source: c[0], file: c[1], w: Number(m[1]), h: Number(m[2]), pilOk: c[5].startsWith('ok'), pil: c[5] };
  });
}

describe('io: PNG corpus', function () {
  const rows = manifest();
  const pil = new Map<string, PilResult | Error>();
  before(() => {
    const files = rows.map((r) => path.join(PNG_CORPUS, r.source, r.file));
    pilReadMany(files).forEach((v, i) => pil.set(files[i], v));
  });
  it('lists the corpus files', () => assert.ok(rows.length >= 70, `only ${rows.length} rows`));

  for (const r of rows) {
    const file = path.join(PNG_CORPUS, r.source, r.file);
    const invalid = r.file.startsWith('invalid-');
    it(`${r.source}/${r.file}`, async () => {
      let sharpOk = false;
      try {
        const info = await readImageInfo(file);
        assert.deepEqual([info.width, info.height], [r.w, r.h]);
        const img = await decodeImage(file);
        assert.deepEqual([img.width, img.height], [r.w, r.h]);
        assert.equal(img.data.length, r.w * r.h * img.channels);
        sharpOk = true;
      } catch (e) {
        if (e instanceof assert.AssertionError) throw e;
        assert.ok(e instanceof Error && e.message.includes(file) && e.message.length > file.length + 20, `unclear error: ${String(e)}`);
        if (!invalid) throw e;
      }
      let oursOk = false;
      try {
        const png = await readLabelPng(file);
        assert.deepEqual([png.header.width, png.header.height], [r.w, r.h]);
        assert.equal(png.data.length, r.w * r.h * png.channels);
        oursOk = true;
        if (r.pilOk) {
          const p = pil.get(file);
          assert.ok(p && !(p instanceof Error), `PIL failed on a file the manifest says it reads: ${String(p)}`);
          assert.deepEqual(p.size, [r.w, r.h]);
          // Compare stored samples where PIL keeps them unscaled: palette indices, 8-bit gray / RGB(A), 16-bit gray, 1-bit.
          const { colorType, bitDepth } = png.header;
          const same = (colorType === 3) || (bitDepth === 8 && colorType !== 4) || (colorType === 0 && (bitDepth === 16 || bitDepth === 1));
          if (same) assert.deepEqual([...p.data], [...png.data], 'samples differ from PIL');
        }
      } catch (e) {
        if (e instanceof assert.AssertionError) throw e;
        assert.ok(e instanceof Error && e.message.includes(file), `unclear error: ${String(e)}`);
        if (!invalid) throw e;
      }
      if (!invalid) assert.ok(sharpOk && oursOk);
      else console.log(`      ${r.file}: sharp ${sharpOk ? 'decodes' : 'refuses'}, label reader ${oursOk ? 'decodes' : 'refuses'}, PIL ${r.pil.slice(0, 40)}`);
    });
  }
});
