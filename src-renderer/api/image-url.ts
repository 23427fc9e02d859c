// Turns an image payload from the main process into something an <img> can show. Grey
// pixels (built-in datasets) are encoded to PNG here, in the page, to keep the wire small.
import type { ImagePayload } from '../../src-shared/model/sample';

const MIME: Record<string, string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };

export async function payloadToUrl(p: ImagePayload): Promise<string> {
  if (p.format === 'gray8') {
    const canvas = new OffscreenCanvas(p.width, p.height);
    const ctx = canvas.getContext('2d')!;
    const img = ctx.createImageData(p.width, p.height);
    for (let i = 0; i < p.width * p.height; i++) {
      const v = p.data[i]!;
      img.data[i * 4] = v; img.data[i * 4 + 1] = v; img.data[i * 4 + 2] = v; img.data[i * 4 + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
    return URL.createObjectURL(await canvas.convertToBlob({ type: 'image/png' }));
  }
  return URL.createObjectURL(new Blob([p.data as Uint8Array<ArrayBuffer>], { type: MIME[p.format] ?? 'application/octet-stream' }));
}
