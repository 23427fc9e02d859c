// The desktop shell's security decisions, tested without Electron (which cannot run here).
// desktop.ts passes every Electron callback straight to these functions.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { tempDir } from '../testing/temp';
import { allowNavigation, allowPermission, externalUrlToOpen, folderToShow, isAppUrl, isTrustedSender, rendererSource, type RendererSource } from './security-policy';

const indexFile = '/opt/Winnow/resources/app/out/renderer/index.html';
const built: RendererSource = { kind: 'file', indexFile };
const appUrl = pathToFileURL(indexFile).href;

describe('renderer source', () => {
  it('loads the built page in a packaged app, whatever the environment says', () => {
    assert.deepEqual(rendererSource({ isPackaged: true, devUrl: 'http://localhost:5173/', indexFile }), built);
  });

  it('uses the dev server only in a development build and only on loopback http', () => {
    assert.deepEqual(rendererSource({ isPackaged: false, devUrl: 'http://localhost:5173/', indexFile }), { kind: 'dev', url: 'http://localhost:5173/' });
    assert.deepEqual(rendererSource({ isPackaged: false, devUrl: 'http://127.0.0.1:5173', indexFile }), { kind: 'dev', url: 'http://127.0.0.1:5173/' });
    for (const devUrl of ['https://evil.example/', 'http://evil.example:5173/', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url', '', undefined]) {
      assert.deepEqual(rendererSource({ isPackaged: false, devUrl, indexFile }), built, String(devUrl));
    }
  });
});

describe('navigation', () => {
  it('stays on the app page (reloads, hashes and queries included)', () => {
    assert.ok(allowNavigation(appUrl, built));
    assert.ok(allowNavigation(`${appUrl}#/map`, built));
    assert.ok(allowNavigation(`${appUrl}?x=1`, built));
  });

  it('refuses every other page, local or remote', () => {
    for (const url of ['https://evil.example/', 'http://127.0.0.1:8080/', 'file:///etc/passwd', pathToFileURL('/opt/Winnow/resources/app/out/renderer/other.html').href,
      'file://remote-host/opt/Winnow/resources/app/out/renderer/index.html', 'javascript:alert(1)', 'data:text/html,<script>1</script>', 'about:blank', 'garbage']) {
      assert.equal(allowNavigation(url, built), false, url);
    }
  });

  it('in development, allows the dev server origin only', () => {
    const dev: RendererSource = { kind: 'dev', url: 'http://localhost:5173/' };
    assert.ok(allowNavigation('http://localhost:5173/src/index.html', dev));
    assert.equal(allowNavigation('http://localhost:5174/', dev), false);
    assert.equal(allowNavigation('http://127.0.0.1:5173/', dev), false);
    assert.equal(allowNavigation(appUrl, dev), false);
  });
});

describe('links that try to open a window', () => {
  it('hands https and mailto links to the system, nothing else', () => {
    assert.equal(externalUrlToOpen('https://github.com/winnow/winnow#readme'), 'https://github.com/winnow/winnow#readme');
    assert.equal(externalUrlToOpen('mailto:team@example.org'), 'mailto:team@example.org');
    for (const url of ['http://example.org/', 'file:///bin/sh', 'file:///C:/Windows/System32/calc.exe', 'smb://host/share/x.exe', 'ms-msdt:/id PCWDiagnostic',
      'javascript:alert(1)', 'data:text/html,hi', 'vscode://file/x', 'https://user:pass@example.org/', 'not a url', '']) {
      assert.equal(externalUrlToOpen(url), null, url);
    }
  });
});

describe('permissions', () => {
  it('denies every permission the page could ask for', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'clipboard-sanitized-write', 'fullscreen', 'pointerLock', 'hid', 'usb', 'serial', 'unknown']) {
      assert.equal(allowPermission(p), false, p);
    }
  });
});

describe('IPC senders', () => {
  it('trusts the main frame showing the app page', () => {
    assert.ok(isTrustedSender({ url: `${appUrl}#/x`, isMainFrame: true }, built));
  });

  it('refuses sub-frames, other pages and frames that are gone', () => {
    assert.equal(isTrustedSender({ url: appUrl, isMainFrame: false }, built), false);
    assert.equal(isTrustedSender({ url: 'https://evil.example/', isMainFrame: true }, built), false);
    assert.equal(isTrustedSender({ url: 'file:///tmp/evil.html', isMainFrame: true }, built), false);
    assert.equal(isTrustedSender(null, built), false);
  });
});

describe('folders the page may ask to show', () => {
  const dir = tempDir();
  const project = join(dir, 'projects');
  const exported = join(dir, 'out', 'digits');
  const elsewhere = join(dir, 'elsewhere');
  for (const d of [project, exported, elsewhere]) mkdirSync(d, { recursive: true });
  symlinkSync(elsewhere, join(exported, 'link'));
  const allowed = [project, exported];

  it('shows a known folder, named directly or through dots', () => {
    assert.equal(folderToShow(exported, allowed), exported);
    assert.equal(folderToShow(join(exported, '..', 'digits'), allowed), exported);
    assert.equal(folderToShow(`${project}/`, allowed), project);
  });

  it('refuses anything else: other folders, files, symlinks out, relative paths, missing paths', () => {
    assert.equal(folderToShow(elsewhere, allowed), null);
    assert.equal(folderToShow(join(exported, 'link'), allowed), null);
    assert.equal(folderToShow(join(exported, '..'), allowed), null);
    assert.equal(folderToShow('/bin', allowed), null);
    assert.equal(folderToShow('/bin/sh', [...allowed, '/bin/sh']), null);
    assert.equal(folderToShow('projects', [...allowed, 'projects']), null);
    assert.equal(folderToShow(join(dir, 'missing'), [...allowed, join(dir, 'missing')]), null);
  });
});

describe('content security policy of the page', () => {
  const html = readFileSync(new URL('../../src-renderer/index.html', import.meta.url), 'utf8');
  const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';
  const directives = new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name!, values]));

  it('is present and allows no inline code, eval, wildcard or other host', () => {
    assert.ok(directives.size > 0, 'index.html has a CSP meta tag');
    for (const [name, values] of directives) {
      for (const v of values) {
        assert.ok(!["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", '*'].includes(v), `${name} ${v}`);
        assert.ok(!/^(https?|wss?):/.test(v), `${name} names a host: ${v}`);
        assert.ok(!v.includes('*'), `${name} has a wildcard: ${v}`);
      }
    }
  });

  it('locks down what the defaults do not cover', () => {
    assert.deepEqual(directives.get('default-src'), ["'self'"]);
    assert.deepEqual(directives.get('script-src'), ["'self'"]);
    assert.deepEqual(directives.get('object-src'), ["'none'"]);
    assert.deepEqual(directives.get('base-uri'), ["'none'"]);
    assert.deepEqual(directives.get('connect-src'), ["'self'"]);
  });
});

it('the app page URL check is exact about the file', () => {
  assert.ok(isAppUrl(appUrl, built));
  assert.equal(isAppUrl(appUrl.replace('index.html', 'index.html/..'), built), false);
});
