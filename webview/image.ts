// Decoding the image: from its webview URL (fetch + createImageBitmap, EXIF orientation ignored so
// pixels line up with the masks), or from RGBA bytes the host sends when that fails.
import type { ImageSource } from '../src/shared/protocol';

export interface LoadedImage {
  /** The decoded image; the pixel tools read its bytes in their worker (worker.ts). */
  readonly bitmap: ImageBitmap;
}

async function fromUrl(url: string, width: number, height: number): Promise<ImageBitmap> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`fetching the image failed (${res.status})`);
  const bmp = await createImageBitmap(await res.blob(), { imageOrientation: 'none', premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
  if (bmp.width !== width || bmp.height !== height) {
    bmp.close();
    throw new Error(`the browser decoded ${bmp.width}x${bmp.height}, the masks are ${width}x${height}`);
  }
  return bmp;
}

function fromRgba(data: Uint8Array, width: number, height: number): Promise<ImageBitmap> {
  if (data.length !== width * height * 4) throw new Error(`image bytes: ${data.length}, expected ${width * height * 4} for ${width}x${height} RGBA`);
  const clamped = new Uint8ClampedArray(data.buffer as ArrayBuffer, data.byteOffset, data.length);
  return createImageBitmap(new ImageData(clamped, width, height), { premultiplyAlpha: 'none' });
}

/**
 * Decodes the image. `requestRgba` asks the host for RGBA bytes; it is used when the URL cannot be
 * decoded here (e.g. TIFF) or comes back at the wrong size.
 */
export async function loadImage(src: ImageSource, width: number, height: number, requestRgba: () => Promise<Uint8Array>): Promise<LoadedImage> {
  if (src.kind === 'rgba') return { bitmap: await fromRgba(src.data, width, height) };
  try {
    return { bitmap: await fromUrl(src.url, width, height) };
  } catch {
    return { bitmap: await fromRgba(await requestRgba(), width, height) };
  }
}
