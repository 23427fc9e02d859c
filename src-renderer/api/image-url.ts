// Turns an image payload from the main process into something an <img> can show. Grey
// pixels (built-in datasets) cross raw, to keep the wire small, and become a BMP here (gray-bmp.ts).
import type { ImagePayload } from '../../src-shared/model/sample';
import { grayBmp } from './gray-bmp';

const MIME: Record<string, string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };

export async function payloadToUrl(p: ImagePayload): Promise<string> {
  if (p.format === 'gray8') return URL.createObjectURL(new Blob([grayBmp(p.width, p.height, p.data)], { type: 'image/bmp' }));
  return URL.createObjectURL(new Blob([p.data as Uint8Array<ArrayBuffer>], { type: MIME[p.format] ?? 'application/octet-stream' }));
}
