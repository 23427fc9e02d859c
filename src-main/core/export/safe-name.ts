// Labels and source file names become folder and file names on whatever disk the user exports
// to (often FAT/NTFS media): one rule that is safe on Windows, macOS and Linux alike.
import { createHash } from 'node:crypto';

export const MAX_NAME_BYTES = 100;
export const UNLABELLED_FOLDER = '_unlabelled';
export const EMPTY_NAME = '_empty';

// Windows reserves these device names with any extension ("CON.txt"), case-insensitively; the
// superscript digits are reserved too since Windows 10.
const RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$/i;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const ILLEGAL = /[/\\:*?"<>|]/g;

/** A folder name for a label: never a path, never reserved, at most ~100 bytes of UTF-8. */
export function safeFolderName(label: string): string {
  return safeName(label, '');
}

/** A file name: like a folder name, but the extension is kept through truncation. */
export function safeFileName(name: string): string {
  const dot = name.lastIndexOf('.');
  // Only a short, plain extension is worth preserving; "a.b c d" has no extension.
  if (dot > 0 && /^\.[A-Za-z0-9]{1,8}$/.test(name.slice(dot))) return safeName(name.slice(0, dot), name.slice(dot));
  return safeName(name, '');
}

function safeName(raw: string, ext: string): string {
  let s = raw.normalize('NFC').replace(CONTROL, '_').replace(ILLEGAL, '_');
  // A leading dot hides the folder (and "." / ".." are not names at all).
  if (s.startsWith('.')) s = `_${s.slice(1)}`;
  s = trimEnds(s);
  if (s === '') s = EMPTY_NAME;
  if (RESERVED.test(s.split('.')[0]!.trimEnd())) s = `_${s}`;
  const limit = MAX_NAME_BYTES - Buffer.byteLength(ext);
  if (Buffer.byteLength(s) > limit) {
    // Keep long names that share a prefix apart, independent of the order they are seen in.
    const tag = `~${createHash('sha256').update(raw).digest('hex').slice(0, 8)}`;
    s = `${trimEnds(truncateUtf8(s, limit - tag.length))}${tag}`;
  }
  return s + ext;
}

/** Windows drops trailing dots and spaces, so "a." and "a" would be the same folder. */
function trimEnds(s: string): string {
  return s.trim().replace(/[. ]+$/, '');
}

/** The longest prefix of whole code points that fits in `bytes` bytes of UTF-8. */
export function truncateUtf8(s: string, bytes: number): string {
  let used = 0;
  let out = '';
  for (const ch of s) {
    const n = Buffer.byteLength(ch);
    if (used + n > bytes) break;
    used += n;
    out += ch;
  }
  return out;
}

/** How two names compare on a case-insensitive, normalising file system (macOS, Windows). */
export function nameKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

/**
 * Hands out unique names inside one folder: the first claimant of a name keeps it, later ones
 * get `~2`, `~3`, … before the extension. Callers claim in a deterministic order.
 */
export class NameAllocator {
  private readonly taken = new Set<string>();

  constructor(reserved: Iterable<string> = []) {
    for (const r of reserved) this.taken.add(nameKey(r));
  }

  has(name: string): boolean {
    return this.taken.has(nameKey(name));
  }

  claim(wanted: string, ext = ''): string {
    let name = wanted + ext;
    for (let n = 2; this.taken.has(nameKey(name)); n++) name = `${wanted}~${n}${ext}`;
    this.taken.add(nameKey(name));
    return name;
  }
}
