// camera.png from the shared fixtures, decoded with sharp, for the classical job tests.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import sharp from 'sharp';
import { FIXTURE_IMAGES } from '../../paths';

/** camera.png as RGB via sharp, optionally resized (nearest) to size x size. */
export async function cameraRgb(size?: number): Promise<{ width: number; height: number; data: Uint8Array }> {
  let img = sharp(path.join(FIXTURE_IMAGES, 'camera.png')).toColourspace('srgb').removeAlpha();
  if (size) img = img.resize(size, size, { kernel: 'nearest' });
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.channels, 3);
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}
