// The hook over the thumbnail service, and its twin for one full-size image: how a view gets
// object URLs for samples without fetching, converting or revoking anything itself.
import { useEffect, useReducer, useState } from 'react';
import type { ImagePayload } from '../../src-shared/model/sample';
import { payloadToUrl } from './image-url';
import { thumbnails } from './thumbnails';

/** Fetches thumbnails for `ids` (keep the array stable between renders) and re-renders as they arrive. */
export function useThumbnails(ids: readonly number[]): (id: number) => string | undefined {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => thumbnails.subscribe(bump), []);
  useEffect(() => {
    if (ids.length) void thumbnails.request(ids).catch(() => {});
  }, [ids]);
  return (id) => thumbnails.get(id);
}

/**
 * An object URL for one full image, loaded by `load` (an action) whenever `key` changes and
 * revoked when the view moves on. `onError` gets the failure; the URL stays null.
 */
export function useImageUrl(load: (() => Promise<ImagePayload>) | null, key: unknown, onError?: (err: Error) => void): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!load) return;
    let live = true;
    let made: string | null = null;
    load().then(payloadToUrl).then((u) => { made = u; if (live) setUrl(u); else URL.revokeObjectURL(u); }).catch((e: Error) => { if (live) onError?.(e); });
    return () => { live = false; if (made) URL.revokeObjectURL(made); };
  }, [key]);
  return url;
}
