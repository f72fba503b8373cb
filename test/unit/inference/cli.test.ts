// The CLI's prelabel / models / doctor through main([...], io), on real files.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/command';
import { FIXTURE_IMAGES } from '../../paths';

function io(): CliIO & { outs: string[]; errs: string[] } {
  const outs: string[] = [], errs: string[] = [];
  return { outs, errs, out: (l) => outs.push(l), err: (l) => errs.push(l), signal: new AbortController().signal };
}

describe('CLI: prelabel, models, doctor', function () {
  this.timeout(180000);

  it('models --json lists the embedded model with its licence and file present', async () => {
    const x = io();
    assert.equal(await main(['models', '--json'], x), 0);
    const r = JSON.parse(x.outs.join('\n'));
    const m = r.models.find((e: { id: string }) => e.id === 'pp-ocrv4-det');
    assert.deepEqual([m.family, m.license, m.present, m.classes], ['text', 'Apache-2.0', true, ['text']]);
  });

  it('doctor --json: CPU loads; every provider has a verdict', async () => {
    const x = io();
    assert.equal(await main(['doctor', '--json'], x), 0);
    const d = JSON.parse(x.outs.join('\n'));
    assert.deepEqual(d.providers.map((p: { provider: string }) => p.provider), ['cuda', 'webgpu', 'cpu']);
    assert.equal(d.providers[2].ok, true);
  });

  it('prelabel with --shard splits deterministically; --json summary; resume on rerun', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-cli-'));
    fs.writeFileSync(path.join(dir, 'maskwright.json'), JSON.stringify({ classes: [{ id: 0, name: 'background' }, { id: 2, name: 'text' }] }));
    for (const n of ['camera.png', 'coffee.png', 'horse.png']) fs.copyFileSync(path.join(FIXTURE_IMAGES, n), path.join(dir, n));
    const a = io();
    assert.equal(await main(['prelabel', dir, '--model', 'pp-ocrv4-det', '--device', 'cpu', '--shard', '1/2', '--json'], a), 0);
    const s = JSON.parse(a.outs.join('\n'));
    assert.deepEqual(s.items.map((i: { image: string }) => path.basename(i.image)), ['coffee.png']);
    assert.ok(fs.existsSync(path.join(dir, 'coffee.mask.png')) && !fs.existsSync(path.join(dir, 'camera.mask.png')));
    const b = io();
    assert.equal(await main(['prelabel', dir, '--shard', '0/2', '--device', 'cpu'], b), 0);
    assert.match(b.outs[0], /^2 done, 0 skipped, 0 failed of 2/);
    const c = io();
    assert.equal(await main(['prelabel', dir, '--device', 'cpu'], c), 0);
    assert.match(c.outs.join('\n'), /0 done, 3 skipped, 0 failed of 3[\s\S]*skipped 3 already done by this model \(up to date\)/);
  });

  it('bad arguments exit 2 with the cause named', async () => {
    const cases: [string[], RegExp][] = [
      [['prelabel', '.', '--device', 'tpu'], /device 'tpu' is unknown/],
      [['prelabel', '.', '--shard', '3/2'], /shard "3\/2"/],
      [['prelabel'], /at least one folder or image/],
    ];
    for (const [argv, re] of cases) {
      const x = io();
      assert.equal(await main(argv, x), 2, argv.join(' '));
      assert.match(x.errs.join('\n'), re);
    }
    const y = io();
    assert.equal(await main(['prelabel', FIXTURE_IMAGES, '--model', 'nope'], y), 1);
    assert.match(y.errs.join('\n'), /model 'nope' is unknown; known: pp-ocrv4-det/);
  });
});
