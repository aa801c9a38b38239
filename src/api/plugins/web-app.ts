import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { definePlugin } from '../define-plugin.js';

/** Where `npm run build` writes the dashboard (same path from src/api/plugins and dist/api/plugins). */
export const WEB_ROOT = fileURLToPath(new URL('../../../dist/web/', import.meta.url));

const MEDIA_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

/**
 * The page's policy: scripts only from this origin (no inline scripts), API calls to this origin only.
 * Inline styles are allowed for the stored backtest reports shown in sandboxed frames.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tipster</title></head><body><h1>Tipster API</h1><p>The dashboard is not built: run <code>npm run build</code>. The API is at <a href="/docs">/docs</a>.</p></body></html>`;

/**
 * Serves the web dashboard: `/` is index.html (never cached, so a new deploy is seen at once) and
 * `/assets/*` the content-hashed bundle (cached for a year, immutable).
 */
export const webAppPlugin = definePlugin<{ root?: string }>({ name: 'tipster-web-app', dependencies: ['tipster-access-control'] }, async (app, options) => {
  const root = options.root ?? WEB_ROOT;
  const assets = path.join(root, 'assets');

  app.get('/', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => {
    const html = await fs.readFile(path.join(root, 'index.html')).catch(() => undefined);
    return reply
      .code(html ? 200 : 503)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('content-security-policy', DASHBOARD_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin')
      .send(html ?? NOT_BUILT);
  });

  app.get<{ Params: { '*': string } }>('/assets/*', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const name = request.params['*'];
    const file = path.resolve(assets, name);
    // Only plain files directly under assets/: no traversal, no dot files.
    if (!/^[A-Za-z0-9._-]+$/.test(name) || name.startsWith('.') || path.dirname(file) !== assets) return reply.callNotFound();
    const content = await fs.readFile(file).catch(() => undefined);
    if (!content) return reply.callNotFound();
    return reply
      .header('content-type', MEDIA_TYPES[path.extname(name)] ?? 'application/octet-stream')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(content);
  });
});
