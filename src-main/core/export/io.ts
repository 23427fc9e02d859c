// The file-system calls that write the export, behind one small interface: tests swap in a
// writer that fails like a full disk where no small volume can be mounted.
import { link, mkdir, readFile, rename, writeFile } from 'node:fs/promises';

export interface ExportIo {
  readFile(path: string): Promise<Buffer>;
  /** Chunks from an iterable are written as they come, so a big manifest is never one string. */
  writeFile(path: string, data: Uint8Array | string | Iterable<string>): Promise<void>;
  link(existing: string, path: string): Promise<void>;
  mkdir(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
}

export const nodeIo: ExportIo = {
  readFile: (p) => readFile(p),
  // 'wx': a name we did not just choose ourselves is never overwritten.
  writeFile: (p, d) => writeFile(p, d, { flag: 'wx' }),
  link: (a, b) => link(a, b),
  mkdir: async (p) => { await mkdir(p, { recursive: true }); },
  rename: (a, b) => rename(a, b),
};
