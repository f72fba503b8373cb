// Decoding the image: from its webview URL (fetch + createImageBitmap, EXIF orientation ignored so
// pixels line up with the masks), or from RGBA bytes the host sends when that fails.
import type { ImageSource } from '../src/shared/protocol';

export interface LoadedImage {
  readonly bitmap: ImageBitmap;
  /**
   * RGBA bytes for the pixel tools (wand, threshold), handed over: the caller owns them (the pixel
   * worker takes them by transfer) and this image keeps no copy. Read back from the bitmap when
   * they did not come with the image, or were taken already.
   */
  takePixels(): Uint8ClampedArray;
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

function readBack(bitmap: ImageBitmap): Uint8ClampedArray {
  const c = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = c.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D canvas to read the image back');
  ctx.drawImage(bitmap, 0, 0);
  return ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
}

/**
 * Decodes the image. `requestRgba` asks the host for RGBA bytes; it is used when the URL cannot be
 * decoded here (e.g. TIFF) or comes back at the wrong size.
 */
export async function loadImage(src: ImageSource, width: number, height: number, requestRgba: () => Promise<Uint8Array>): Promise<LoadedImage> {
  let bitmap: ImageBitmap;
  let rgba: Uint8Array | null = null;
  if (src.kind === 'rgba') {
    rgba = src.data;
    bitmap = await fromRgba(src.data, width, height);
  } else {
    try {
      bitmap = await fromUrl(src.url, width, height);
    } catch {
      rgba = await requestRgba();
      bitmap = await fromRgba(rgba, width, height);
    }
  }
  let held: Uint8ClampedArray | null = rgba ? new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, rgba.length) : null;
  return {
    bitmap,
    takePixels: () => {
      const p = held ?? readBack(bitmap);
      held = null;
      return p;
    },
  };
}
