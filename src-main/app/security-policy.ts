// The desktop shell's security decisions, as plain functions: desktop.ts wires them to Electron,
// and they are unit-tested here, where no Electron binary exists. Nothing in this file may import
// `electron`. The page is treated as untrusted: a bug in it must not reach the shell, the file
// system or another origin.
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where the window's page comes from: the built index.html, or the dev server in development. */
export type RendererSource = { kind: 'file'; indexFile: string } | { kind: 'dev'; url: string };

/**
 * The dev server URL is honoured only in a development (unpackaged) build, and only when it is
 * plain http on this machine: a packaged app never loads a page named by its environment.
 */
export function rendererSource(opts: { isPackaged: boolean; devUrl: string | undefined; indexFile: string }): RendererSource {
  const file: RendererSource = { kind: 'file', indexFile: opts.indexFile };
  if (opts.isPackaged || !opts.devUrl) return file;
  const url = parseUrl(opts.devUrl);
  if (!url || url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) return file;
  return { kind: 'dev', url: url.href };
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** True for the app's own page (any hash or query), false for anything else, including other local files. */
export function isAppUrl(raw: string, source: RendererSource): boolean {
  const url = parseUrl(raw);
  if (!url) return false;
  if (source.kind === 'dev') return url.origin === new URL(source.url).origin;
  if (url.protocol !== 'file:') return false;
  const own = pathToFileURL(source.indexFile);
  return url.host === own.host && url.pathname === own.pathname;
}

/** `will-navigate` / `will-redirect`: the window never leaves the app's own page. */
export function allowNavigation(url: string, source: RendererSource): boolean {
  return isAppUrl(url, source);
}

/**
 * `setWindowOpenHandler`: no new Electron windows ever; a web link (https) or a mail address
 * opens in the user's own programs. Everything else — file:, javascript:, custom schemes that
 * launch programs, http:, links with credentials — is dropped. Returns the URL to hand to
 * `shell.openExternal`, or null.
 */
export function externalUrlToOpen(raw: string): string | null {
  const url = parseUrl(raw);
  if (!url) return null;
  if (url.protocol === 'mailto:') return url.href;
  if (url.protocol !== 'https:' || !url.hostname || url.username || url.password) return null;
  return url.href;
}

/** Session permission requests and checks: the app needs none (no camera, notifications, ...). */
export function allowPermission(_permission: string): boolean {
  return false;
}

/**
 * IPC is accepted only from the main frame of the window, showing the app's own page: not from
 * a sub-frame, nor after the frame has navigated elsewhere (the frame may also be gone: null).
 */
export function isTrustedSender(frame: { url: string; isMainFrame: boolean } | null, source: RendererSource): boolean {
  return frame !== null && frame.isMainFrame && isAppUrl(frame.url, source);
}

/**
 * `app.showFolder`: only a folder the app itself knows (the project's folder, a folder it
 * exported to) is shown, compared by real path so a symlink or `..` cannot name another one.
 * Returns the real path to show, or null.
 */
export function folderToShow(requested: string, allowed: Iterable<string>): string | null {
  if (!isAbsolute(requested)) return null;
  const target = realDir(requested);
  if (!target) return null;
  for (const a of allowed) {
    if (isAbsolute(a) && realDir(a) === target) return target;
  }
  return null;
}

function realDir(path: string): string | null {
  try {
    const real = realpathSync(resolve(path));
    return statSync(real).isDirectory() ? real : null;
  } catch {
    return null;
  }
}

function parseUrl(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}
