// The page's Content-Security-Policy (src-renderer/index.html) is strict: no inline script or
// style, no connection but to its own origin. Vite's dev server needs inline scripts (React
// refresh), injected <style> elements and its HMR socket, so only `vite serve` relaxes it;
// every build keeps the strict policy.
import type { Plugin } from 'vite';

export function devCsp(): Plugin {
  return {
    name: 'winnow-dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace(/(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")/, (_m, open: string, policy: string, close: string) =>
        open + policy
          .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
          .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
          .replace("connect-src 'self'", "connect-src 'self' ws://localhost:* ws://127.0.0.1:*") + close);
    },
  };
}
