// Builds the scene harness, serves it on 127.0.0.1 and opens it in Debian's Chromium, headless,
// with WebGL2 through SwiftShader (the GPU is emulated on the CPU).
import { build, preview } from 'vite';
import { chromium, type Browser, type Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import type { HarnessApi } from '../../src-renderer/scene/dev/harnessApi';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--use-gl=angle',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const CONFIG = fileURLToPath(new URL('./vite.config.mts', import.meta.url));

export interface HarnessSession {
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

export async function openHarness(): Promise<HarnessSession> {
  await build({ configFile: CONFIG, logLevel: 'warn' });
  const server = await preview({ configFile: CONFIG, preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'warn' });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  const page = await browser.newPage({ viewport: { width: 800, height: 600 }, deviceScaleFactor: 1 });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') console.log(`[page ${m.type()}] ${m.text()}`);
  });
  await page.goto(`${url}harness.html`);
  await page.waitForFunction("document.title === 'scene harness ready'", null, { timeout: 30_000 }).catch(() => {
    throw new Error(`harness did not start: ${problems.join('; ') || 'no page error'}`);
  });
  return {
    browser,
    page,
    close: async () => {
      await browser.close();
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    },
  };
}

/** Calls window.harness[name](...args) in the page. */
export function call<K extends keyof HarnessApi>(
  page: Page,
  name: K,
  ...args: Parameters<HarnessApi[K]>
): Promise<Awaited<ReturnType<HarnessApi[K]>>> {
  return page.evaluate(
    ([n, a]) => {
      const h = (globalThis as unknown as { harness: Record<string, (...x: unknown[]) => unknown> }).harness;
      return h[n as string](...(a as unknown[]));
    },
    [name, args] as const,
  ) as Promise<Awaited<ReturnType<HarnessApi[K]>>>;
}
