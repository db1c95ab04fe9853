// The built site served on a loopback port, and Debian's Chromium to open it, for the Chromium
// tests and the browser bench.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { root } from './core-node.mjs';
import { serve } from './serve.mjs';

/** Debian's Chromium (or CHROMIUM_PATH) with the flags every run here needs, plus `extraArgs`. */
export function launchChromium(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      ...extraArgs,
    ],
  });
}

/** Polls `url` until it answers 200 (10 s). */
export async function waitForUrl(url) {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no answer at ${url}`);
}

/** Serves dist/ (or `outDir`) with scripts/lib/serve.mjs, as `npm start` does; returns {url, stop(), stats}. */
export async function startPreview(port, { outDir } = {}) {
  const { url, close, stats } = await serve(outDir ?? path.join(root, 'dist'), { port });
  return { url, stop: close, stats };
}

/** Serves `db` (bytes) to `page` as the app's catalogue, with an assets.json that vouches for it. */
export async function routeCatalogue(page, db) {
  const assets = JSON.parse(fs.readFileSync(path.join(root, 'dist/assets/assets.json'), 'utf8'));
  assets['catalogue.db'] = {
    bytes: db.length,
    sha256: crypto.createHash('sha256').update(db).digest('hex'),
  };
  await page.route('**/assets/assets.json', (route) =>
    route.fulfill({ contentType: 'application/json', body: JSON.stringify(assets) }),
  );
  await page.route('**/assets/catalogue.db', (route) =>
    route.fulfill({ contentType: 'application/octet-stream', body: db }),
  );
}
