// Test helpers: decode fixture images with sharp, hash typed arrays like make_refs.py does.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { FIXTURE_IMAGES, LOCAL_FIXTURES } from '../../paths';

export interface Refs {
  meta: Record<string, string>;
  images: Record<string, ImageRefs>;
}
// The reference file's per-image entries (see make_refs.py); loosely typed on purpose.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ImageRefs = Record<string, any>;

export const refs: Refs = JSON.parse(fs.readFileSync(path.join(LOCAL_FIXTURES, 'classical', 'refs.json'), 'utf8'));

export interface Rgb { data: Uint8Array; width: number; height: number; channels: 3 }

export async function loadRgb(name: string): Promise<Rgb> {
  const { data, info } = await sharp(path.join(FIXTURE_IMAGES, name)).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`${name}: ${info.channels} channels`);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length).slice(), width: info.width, height: info.height, channels: 3 };
}

export function sha(a: ArrayBufferView): string {
  return crypto.createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
}

/** Images whose sharp decode is byte-identical to OpenCV's (JPEG decoders may differ). */
export async function exactImages(): Promise<{ name: string; rgb: Rgb; ref: ImageRefs }[]> {
  const out = [];
  for (const [name, ref] of Object.entries(refs.images)) {
    const rgb = await loadRgb(name);
    if (sha(rgb.data) === ref.rgb) out.push({ name, rgb, ref });
  }
  return out;
}
