import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE, ConfigError, defaultConfig, parseConfig, stableStringify } from '../../../src/shared/config';
import { findConfig, writeDefaultConfig } from '../../../src/dataset/config';
import { REPO } from '../../paths';
import { tempDir } from '../io/oracles';

describe('dataset/config', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => { t = tempDir('mw-ds-'); });
  afterEach(() => t.cleanup());

  it('finds the nearest config in the folder or its ancestors', async () => {
    const deep = path.join(t.dir, 'a', 'b', 'c');
    fs.mkdirSync(deep, { recursive: true });
    fs.writeFileSync(path.join(t.dir, CONFIG_FILE), JSON.stringify({ classes: [{ id: 4, name: 'top' }] }));
    fs.writeFileSync(path.join(t.dir, 'a', CONFIG_FILE), JSON.stringify({ classes: [{ id: 7, name: 'mid' }] }));
    const r = await findConfig(deep, { stopAt: t.dir });
    assert.equal(r.file, path.join(t.dir, 'a', CONFIG_FILE));
    assert.deepEqual(r.config.classes.map((c) => c.name), ['mid']);
    assert.equal((await findConfig(t.dir)).config.classes[0].name, 'top');
  });

  it('discovery stops at the boundary: the given folder, or the repository root by default', async () => {
    const deep = path.join(t.dir, 'repo', 'data', 'train');
    fs.mkdirSync(deep, { recursive: true });
    fs.writeFileSync(path.join(t.dir, CONFIG_FILE), JSON.stringify({ classes: [{ id: 4, name: 'outside' }] }));
    // Outside a repository and without a boundary, only the folder itself is searched.
    assert.equal((await findConfig(deep)).file, null);
    assert.equal((await findConfig(deep, { stopAt: path.join(t.dir, 'repo') })).file, null, 'the config above the boundary is never read');
    assert.equal((await findConfig(deep, { stopAt: t.dir })).file, path.join(t.dir, CONFIG_FILE));
    // Inside a repository the default boundary is its root.
    fs.mkdirSync(path.join(t.dir, 'repo', '.git'));
    assert.equal((await findConfig(deep)).file, null);
    fs.writeFileSync(path.join(t.dir, 'repo', CONFIG_FILE), JSON.stringify({ classes: [{ id: 5, name: 'root' }] }));
    assert.equal((await findConfig(deep)).config.classes[0].name, 'root');
    // A boundary that is not an ancestor searches the folder alone.
    assert.equal((await findConfig(deep, { stopAt: path.join(t.dir, 'elsewhere') })).file, null);
  });

  it('no config anywhere gives the default with file null', async () => {
    // The temp folder's ancestors (the OS temp dir, /) hold no maskwright.json.
    const r = await findConfig(t.dir);
    assert.equal(r.file, null);
    assert.deepEqual(r.config, defaultConfig());
  });

  it('a broken config throws ConfigError naming the file and every problem', async () => {
    const f = path.join(t.dir, CONFIG_FILE);
    fs.writeFileSync(f, JSON.stringify({ ignoreIndex: 300, classes: [{ id: 1 }, { id: 1 }, { id: 2, color: 'red' }] }));
    await assert.rejects(findConfig(t.dir), (e: Error) => e instanceof ConfigError && e.message.startsWith(f)
      && /ignoreIndex must be an integer 0\.\.255/.test(e.message) && /classes\[1\]\.id 1 is listed twice/.test(e.message) && /classes\[2\]\.color/.test(e.message));
    fs.writeFileSync(f, '{ "classes": [ ');
    await assert.rejects(findConfig(t.dir), (e: Error) => e instanceof ConfigError && /not valid JSON/.test(e.message));
    fs.rmSync(f);
    fs.mkdirSync(f);
    await assert.rejects(findConfig(t.dir), (e: Error) => e instanceof ConfigError && /is not a file/.test(e.message));
  });

  it('writeDefaultConfig creates once and never overwrites', async () => {
    const f = await writeDefaultConfig(t.dir);
    assert.equal(f, path.join(t.dir, CONFIG_FILE));
    assert.equal(fs.readFileSync(f, 'utf8'), stableStringify(defaultConfig()));
    fs.writeFileSync(f, '{"classes": []}\n');
    assert.equal(await writeDefaultConfig(t.dir), f);
    assert.equal(fs.readFileSync(f, 'utf8'), '{"classes": []}\n');
    assert.deepEqual(fs.readdirSync(t.dir), [CONFIG_FILE]);
  });
});

describe('media/maskwright.schema.json', () => {
  // ajv (draft-07) comes with eslint, a dev dependency.
  const Ajv = require('ajv') as new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } };
  const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'media', 'maskwright.schema.json'), 'utf8')) as Record<string, unknown>;
  const validate = new Ajv({ allErrors: true }).compile(schema);

  it('accepts the default config and a full example', () => {
    assert.ok(validate(JSON.parse(stableStringify(defaultConfig()))), JSON.stringify(validate.errors));
    const full = { version: 1, ignoreIndex: 255, backgroundId: 0, classes: [{ id: 0, name: 'bg', color: '#000000', kind: 'stuff' }, { id: 3, name: 'car', color: '#AbCdEf', kind: 'thing' }], patterns: { mask: '{stem}_m.png', instances: '{stem}_i.png', sidecar: '{stem}.json' }, models: ['ppocr-det', { id: 'm', options: { t: 0.5 } }] };
    assert.ok(validate(full), JSON.stringify(validate.errors));
  });

  it('rejects what parseConfig rejects: bad ids, colours, kinds, patterns', () => {
    for (const bad of [{ classes: [{ id: 255 }] }, { classes: [{ id: 1, color: 'red' }] }, { classes: [{ id: 1, kind: 'blob' }] }, { ignoreIndex: 256 }, { patterns: { mask: 'mask.png' } }, { patterns: { mask: '{name}' } }, { patterns: { mask: '../{stem}.png' } }, { patterns: { mask: 'c:{stem}.png' } }, { patterns: { mask: 'sub/{stem}.png' } }, { version: 2 }, { models: [3] }]) {
      assert.equal(validate(bad), false, JSON.stringify(bad));
    }
  });

  it('bounds ids by semanticBits as parseConfig does: 0..254 by default, 0..65534 with 16', () => {
    for (const good of [{ semanticBits: 16, classes: [{ id: 300 }, { id: 65534 }], ignoreIndex: 65535 }, { semanticBits: 16, ignoreIndex: 256, backgroundId: 1000 }, { semanticBits: 8, classes: [{ id: 254 }] }]) {
      assert.ok(validate(good), `${JSON.stringify(good)}: ${JSON.stringify(validate.errors)}`);
      assert.doesNotThrow(() => parseConfig(JSON.stringify(good)));
    }
    for (const bad of [{ classes: [{ id: 300 }] }, { semanticBits: 8, ignoreIndex: 256 }, { backgroundId: 300 }, { semanticBits: 16, classes: [{ id: 65535 }] }, { semanticBits: 12 }]) {
      assert.equal(validate(bad), false, JSON.stringify(bad));
      assert.throws(() => parseConfig(JSON.stringify(bad)), ConfigError, JSON.stringify(bad));
    }
  });

  it('documents its defaults as defaultConfig() has them', () => {
    const props = schema.properties as Record<string, { default?: unknown; properties?: Record<string, { default?: unknown }> }>;
    const d = defaultConfig();
    assert.equal(props.ignoreIndex.default, d.ignoreIndex);
    assert.equal(props.semanticBits.default, d.semanticBits);
    assert.equal(props.backgroundId.default, d.backgroundId);
    assert.deepEqual(props.classes.default, d.classes);
    for (const k of ['mask', 'instances', 'sidecar'] as const) assert.equal(props.patterns.properties?.[k].default, d.patterns[k]);
  });
});
