// The app in real Chromium (Debian's, driven by playwright-core): the chat page answers the
// seed's example, answers a conversation as the Node engine does (with either encoder: the
// precise mode's transformer is downloaded only when chosen), works offline after the first
// visit, the widget answers inside a hostile host page, catalogue text is never HTML, damaged or
// corrupt files get a clear message, and the gpt-4o fallback streams through the local proxy and
// its scripted upstream. Screenshots of each state go to test-results/e2e/.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadCore, root, vocabPath } from '../../scripts/lib/core-node.mjs';
import { embedTexts, sessionOptions } from '../../scripts/lib/encoder-node.mjs';
import { createEngine } from '../../scripts/lib/engine-node.mjs';
import {
  launchChromium,
  routeCatalogue,
  startPreview,
  waitForUrl,
} from '../../scripts/lib/preview.mjs';
import { startFakeOpenAI } from '../proxy/fake_openai.mjs';

const require = createRequire(import.meta.url);
const port = 5187;
const url = `http://127.0.0.1:${port}/`;
const shots = path.join(root, 'test-results/e2e');
const SEED = 'I absolutely loved Titanic. It made me so emotional!';
let server, browser;

before(async () => {
  assert.ok(fs.existsSync(path.join(root, 'dist/index.html')), 'dist/ missing: npm run build');
  server = await startPreview(port);
  browser = await launchChromium();
  fs.mkdirSync(shots, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.stop();
});

async function waitReady(scope, timeout = 60000) {
  await scope.locator('.cinerag-chat[data-ready]').waitFor({ timeout });
  const state = await scope.locator('.cinerag-chat').getAttribute('data-ready');
  return state;
}

async function askAndWait(scope, text) {
  const before = await scope.locator('li.bot:not(.pending)').count();
  await scope.locator('textarea').fill(text);
  await scope.locator('textarea').press('Enter');
  await scope.locator('li.bot:not(.pending)').nth(before).waitFor({ timeout: 30000 });
  return scope.locator('li.bot:not(.pending)').nth(before);
}

async function embedInNode(text) {
  const core = await loadCore();
  const tokenizer = new core.Tokenizer();
  tokenizer.load(new Uint8Array(fs.readFileSync(vocabPath)));
  const ort = require('onnxruntime-node');
  const session = await ort.InferenceSession.create(
    path.join(root, 'models/use-lite-int8.onnx'),
    sessionOptions,
  );
  return Array.from(await embedTexts(ort, session, tokenizer, [text]));
}

test('cold load shows progress, then the seed example gets five cards', async () => {
  const context = await browser.newContext({ viewport: { width: 900, height: 1200 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Slow the catalogue a little so the progress bars are on screen long enough to see.
  await page.route('**/assets/catalogue.db', async (route) => {
    await new Promise((r) => setTimeout(r, 700));
    await route.continue();
  });
  await page.goto(`${url}?lang=en`);
  await page.locator('.progress progress').first().waitFor({ timeout: 20000 });
  await page.screenshot({ path: path.join(shots, 'chat-loading.png') });
  assert.equal(await waitReady(page), 'true');
  assert.match(await page.locator('.status').textContent(), /Ready: 9,7\d\d movies/);
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  const answer = await askAndWait(page, SEED);
  assert.equal(await answer.locator('.card').count(), 5);
  assert.match(await answer.locator('.chip.sentiment').textContent(), /^positive 0\.\d\d$/);
  assert.match(await answer.locator('.chip.recognised').textContent(), /Titanic \(1997\)/);
  const cards = await answer.locator('.card').allTextContents();
  assert.ok(
    cards.every((c) => /similarity \d+%/.test(c)),
    cards.join('\n'),
  );
  assert.ok(
    cards.some((c) => c.includes("like 'Titanic'")),
    cards.join('\n'),
  );
  await page.screenshot({ path: path.join(shots, 'chat-answer.png'), fullPage: true });
  // Feedback buttons feed the state: "not this one" removes it from the next answer.
  const firstTitle = await answer.locator('.card h3').first().textContent();
  await answer
    .locator('.card')
    .first()
    .getByRole('button', { name: /^Not this one/ })
    .click();
  await page.locator('li.bot:not(.pending)').nth(1).waitFor();
  const next = await page
    .locator('li.bot:not(.pending)')
    .nth(1)
    .locator('.card h3')
    .allTextContents();
  assert.ok(!next.includes(firstTitle), `${firstTitle} came back: ${next}`);
  // History survives a reload; the clear button empties it.
  await page.reload();
  await waitReady(page);
  assert.equal(await page.locator('li.user').count(), 2);
  await page.getByRole('button', { name: 'Clear history' }).click();
  assert.equal(await page.locator('li.user').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a conversation gets the same answers in the page (worker) as from the Node engine', async () => {
  // Both read catalogue/demo.db; the page's chat sends its turns, the Node engine gets the same
  // turns as a `cinerag batch` line would carry them (user messages, each answer's first line).
  const db = path.join(root, 'catalogue/demo.db');
  const engine = await createEngine({ db });
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await routeCatalogue(page, fs.readFileSync(db));
  await page.goto(`${url}?lang=en&no-sw`);
  assert.equal(await waitReady(page), 'true');
  const messages = [
    'I loved Heat and The Godfather',
    'something from the 90s please',
    'I hated Scarface, no gangster films',
  ];
  const turns = [];
  let state;
  for (const text of messages) {
    turns.push({ role: 'user', text });
    const expected = await engine.ask({ turns: [...turns], state, lang: 'en' });
    assert.equal(expected.error, undefined, expected.error);
    const answer = await askAndWait(page, text);
    const shown = await answer
      .locator('.card')
      .evaluateAll((cards) => cards.map((c) => Number(c.dataset.movieId)));
    assert.equal(shown.length, 5);
    assert.deepEqual(
      shown,
      expected.results.map((r) => r.movieId),
      `after "${text}"`,
    );
    assert.equal(
      await answer.locator('.answer-text').textContent(),
      expected.answer.split('\n')[0],
    );
    turns.push({ role: 'assistant', text: expected.answer.split('\n')[0] });
    state = expected.state;
  }
  await context.close();
});

test('precise mode: the transformer downloads only when chosen, then answers as in Node', async () => {
  const db = path.join(root, 'catalogue/demo.db');
  const engine = await createEngine({ db, encoder: 'transformer' });
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto(`${url}?lang=en&no-sw`);
  assert.equal(await waitReady(page), 'true');
  const transformerFiles = (list) =>
    list.filter((p) => /use-lite-int8\.onnx$|ort-wasm-simd-threaded\.wasm$/.test(p));
  assert.deepEqual(transformerFiles(fetched), []);
  const precise = page.getByRole('button', { name: /^Precise mode/ });
  assert.equal(await precise.getAttribute('aria-pressed'), 'false');
  await precise.click();
  await page.waitForFunction(
    () => document.querySelector('button.precise')?.getAttribute('aria-pressed') === 'true',
    null,
    { timeout: 60000 },
  );
  assert.equal(transformerFiles(fetched).length, 2, fetched.join('\n'));
  // The page's transformer (onnxruntime-web in the worker) computes the catalogue build's vectors.
  const inPage = await page.evaluate(
    async (t) => (await window.cinerag.engine.tokenize(t)).embedding,
    SEED,
  );
  const inNode = await embedInNode(SEED);
  assert.ok(inPage.every((x, i) => Math.abs(x - inNode[i]) < 2e-5));
  const text = 'space exploration and astronauts';
  const expected = await engine.ask({ turns: [{ role: 'user', text }], lang: 'en' });
  const answer = await askAndWait(page, text);
  const shown = await answer
    .locator('.card')
    .evaluateAll((cards) => cards.map((c) => Number(c.dataset.movieId)));
  assert.deepEqual(
    shown,
    expected.results.map((r) => r.movieId),
  );
  // The choice is kept with the history.
  await page.reload();
  assert.equal(await waitReady(page), 'true');
  assert.equal(await precise.getAttribute('aria-pressed'), 'true');
  await page.getByRole('button', { name: 'Clear history' }).click();
  await context.close();
});

test('after the first visit it works offline (service worker), and Korean is switchable', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${url}?lang=en`);
  await waitReady(page);
  // The service worker has cached every file of precache.json (hash-checked).
  await page.waitForFunction(
    async () => {
      const reg = await navigator.serviceWorker.ready;
      const keys = await caches.keys();
      if (!reg.active || !keys.some((k) => k.startsWith('cinerag-'))) return false;
      const cache = await caches.open(keys.find((k) => k.startsWith('cinerag-')));
      return (
        !!(await cache.match(new URL('assets/catalogue.db', location.href).href)) &&
        !!(await cache.match(new URL('assets/ort-wasm-simd-threaded.wasm', location.href).href))
      );
    },
    null,
    { timeout: 60000, polling: 500 },
  );
  await context.setOffline(true);
  await page.reload();
  assert.equal(await waitReady(page), 'true');
  // What it serves says the hash it was checked against, the one assets.json names: the worker
  // does not hash those bytes again.
  const [marked, listed] = await page.evaluate(async () => {
    const assets = await (await fetch('assets/assets.json')).json();
    const db = await fetch('assets/catalogue.db');
    return [db.headers.get('x-cinerag-sha256'), assets['catalogue.db'].sha256];
  });
  assert.equal(marked, listed);
  await page.getByRole('button', { name: 'Switch to Korean' }).click();
  const answer = await askAndWait(page, '올드보이 정말 최고였어');
  assert.ok((await answer.locator('.card').count()) >= 3);
  assert.match(
    await answer.locator('.answer-text').textContent(),
    /당신은 'Old Boy'에 대해 positive/,
  );
  await page.screenshot({ path: path.join(shots, 'offline-korean.png'), fullPage: true });
  await context.close();
});

test('the widget answers inside a hostile host page', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${url}widget-demo.html`);
  const launcher = page.locator('cinerag-chat button.launcher');
  await launcher.click();
  const panel = page.locator('cinerag-chat .panel');
  assert.equal(await waitReady(panel), 'true');
  const answer = await askAndWait(panel, SEED);
  assert.equal(await answer.locator('.card').count(), 5);
  const box = await answer.locator('.card').first().boundingBox();
  assert.ok(box && box.width > 100 && box.height > 40, JSON.stringify(box));
  // The host's `div { display: none }` did not reach inside; ours did not leak out.
  assert.equal(
    await page.locator('h1').evaluate((h) => getComputedStyle(h).color),
    'rgb(220, 20, 60)',
  );
  await page.screenshot({ path: path.join(shots, 'widget-hostile-host.png') });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a title with markup renders as text and runs nothing', async () => {
  const tmp = path.join(os.tmpdir(), `cinerag-xss-${process.pid}.db`);
  fs.copyFileSync(path.join(root, 'catalogue/demo.db'), tmp);
  execFileSync('sqlite3', [
    tmp,
    "UPDATE movies SET title = '<img src=x onerror=alert(1)>' || title WHERE genres LIKE '%Romance%'; " +
      "INSERT INTO movies_fts(movies_fts) VALUES ('rebuild'); VACUUM;",
  ]);
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  let dialogs = 0;
  page.on('dialog', (d) => (dialogs++, d.dismiss()));
  await routeCatalogue(page, fs.readFileSync(tmp));
  await page.goto(`${url}?lang=en&no-sw`);
  assert.equal(await waitReady(page), 'true');
  const answer = await askAndWait(page, 'I loved The Notebook, so romantic');
  const titles = await answer.locator('.card h3').allTextContents();
  assert.ok(
    titles.some((t) => t.startsWith('<img src=x onerror=alert(1)>')),
    titles.join('\n'),
  );
  assert.equal(await page.locator('img[src="x"]').count(), 0);
  await page.waitForTimeout(300);
  assert.equal(dialogs, 0);
  await page.screenshot({ path: path.join(shots, 'markup-as-text.png'), fullPage: true });
  await context.close();
  fs.rmSync(tmp, { force: true });
});

test('a corrupt catalogue or a damaged download: a clear message, never a blank page', async () => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await routeCatalogue(page, crypto.randomBytes(64 * 1024));
  await page.goto(`${url}?lang=en&no-sw`);
  assert.equal(await waitReady(page), 'error');
  assert.match(
    await page.locator('.status').textContent(),
    /The movie catalogue cannot be opened: .*(not a database|not an SQLite|not a cinerag)/i,
  );
  await page.screenshot({ path: path.join(shots, 'corrupt-catalogue.png') });
  await page.close();
  const damaged = await context.newPage();
  await damaged.route('**/assets/cinerag_core.wasm', async (route) => {
    const response = await route.fetch();
    const body = await response.body();
    await route.fulfill({ response, body: body.subarray(0, body.length - 1000) });
  });
  await damaged.goto(`${url}?lang=en&no-sw`);
  assert.equal(await waitReady(damaged), 'error');
  assert.match(await damaged.locator('.status').textContent(), /damaged or incomplete/);
  await damaged.screenshot({ path: path.join(shots, 'damaged-asset.png') });
  await context.close();
});

test('fallback: past the catalogue, the answer streams in from gpt-4o through the proxy', async () => {
  const upstream = await startFakeOpenAI();
  const proxyPort = 18791;
  const proxy = spawn(
    process.env.CINERAG_PROXY || path.join(root, 'build/native-debug/cinerag-proxy'),
    ['--port', String(proxyPort), '--allow-origin', `http://127.0.0.1:${port}`],
    {
      env: { ...process.env, OPENAI_API_KEY: 'sk-test-e2e', OPENAI_BASE_URL: upstream.url },
      stdio: 'ignore',
    },
  );
  try {
    await waitForUrl(`http://127.0.0.1:${proxyPort}/healthz`);
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(
      `${url}?lang=en&no-sw&proxy=${encodeURIComponent(`http://127.0.0.1:${proxyPort}/`)}`,
    );
    await waitReady(page);
    const answer = await askAndWait(page, 'What are the best movies of 2031?');
    assert.equal(await answer.getAttribute('data-fallback'), 'true');
    await answer.locator('.llm .badge').waitFor();
    await answer.locator('.llm-text:has-text("The Notebook")').waitFor({ timeout: 20000 });
    assert.equal(await answer.locator('.llm .badge').textContent(), 'from gpt-4o');
    assert.match(await answer.locator('.llm-text').textContent(), /If Titanic moved you/);
    await page.screenshot({ path: path.join(shots, 'fallback-gpt4o.png'), fullPage: true });
    // Offline, the same question says what it could not do.
    await context.setOffline(true);
    const offline = await askAndWait(page, 'Any good films from 2032?');
    assert.match(await offline.locator('.note').textContent(), /offline/i);
    await context.close();
  } finally {
    proxy.kill('SIGTERM');
    await upstream.close();
  }
});
