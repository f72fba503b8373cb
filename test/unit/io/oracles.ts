// Independent readers used as oracles: Debian's PIL (through /usr/bin/python3) and temp folders.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const PYTHON = '/usr/bin/python3';

const PIL_SCRIPT = `
import sys, json, base64
try:
    from PIL import Image
    import numpy as np
except ImportError as e:
    print(json.dumps({"missing": str(e)})); sys.exit(0)
def read(f):
    try:
        im = Image.open(f)
        a = np.array(im)
    except Exception as e:
        return {"error": type(e).__name__ + ": " + str(e)}
    out = {"mode": im.mode, "size": list(im.size), "dtype": str(a.dtype), "shape": list(a.shape)}
    if a.dtype == np.bool_: a = a.astype(np.uint8)
    out["data"] = base64.b64encode(np.ascontiguousarray(a.astype("<u2") if a.dtype.itemsize > 1 else a).tobytes()).decode()
    pal = im.getpalette()
    if pal is not None: out["palette"] = pal[:768]
    return out
print(json.dumps([read(f) for f in sys.argv[1:]]))
`;

export interface PilResult { mode: string; size: [number, number]; dtype: string; shape: number[]; data: Uint8Array | Uint16Array; palette?: number[] }

interface RawPil { missing?: string; error?: string; mode: string; size: [number, number]; dtype: string; shape: number[]; data: string; palette?: number[] }

/**
 * Reads images with PIL + numpy (np.array(Image.open(file))) in one python process. A file PIL
 * cannot read gives an Error in its slot. Throws (so the test FAILS) when Debian's python3-pil /
 * python3-numpy are not installed.
 */
export function pilReadMany(files: readonly string[]): (PilResult | Error)[] {
  if (!fs.existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: install Debian python3, python3-pil, python3-numpy`);
  const text = execFileSync(PYTHON, ['-c', PIL_SCRIPT, ...files], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const parsed = JSON.parse(text) as RawPil | RawPil[];
  if (!Array.isArray(parsed)) throw new Error(`PIL oracle unavailable (${parsed.missing}): apt-get install -y python3-pil python3-numpy`);
  return parsed.map((raw) => {
    if (raw.error) return new Error(raw.error);
    const bytes = Buffer.from(raw.data, 'base64');
    const wide = raw.dtype !== 'uint8' && raw.dtype !== 'bool';
    const data = wide ? new Uint16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) : new Uint8Array(bytes);
    return { mode: raw.mode, size: raw.size, dtype: raw.dtype, shape: raw.shape, data, palette: raw.palette };
  });
}

/** One image through PIL; throws when PIL cannot read it. */
export function pilRead(file: string): PilResult {
  const r = pilReadMany([file])[0];
  if (r instanceof Error) throw r;
  return r;
}

/** A fresh temp folder, removed by the returned cleanup. */
export function tempDir(prefix = 'mw-io-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Deterministic pseudo-random generator: the toolkit's own (mulberry32). */
export { prng as rng } from '../../../src/algorithms/classical/kmeans';
