// Paths named by users (labels files) must stay inside the dataset folder.
import { isAbsolute, normalize, sep } from 'node:path';

export type RelPathCheck = { ok: true; path: string } | { ok: false; reason: string };

export function safeRelativePath(raw: string): RelPathCheck {
  if (/[\u0000-\u001f]/.test(raw)) return { ok: false, reason: 'path contains control characters' };
  const unified = raw.replace(/\\/g, '/');
  if (isAbsolute(unified) || /^[a-zA-Z]:/.test(unified)) return { ok: false, reason: 'path must be relative to the dataset folder' };
  const norm = normalize(unified).split(sep).join('/');
  if (norm === '..' || norm.startsWith('../') || norm === '.' || norm === '') return { ok: false, reason: 'path escapes the dataset folder' };
  return { ok: true, path: norm };
}
