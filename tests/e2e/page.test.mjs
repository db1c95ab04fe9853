// The page in real Chromium (Debian's, driven by playwright-core): the engine worker loads the WASM
// core, checks its assets and tokenizes what the visitor types.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test, before, after } from 'node:test';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { loadCore, root, vocabPath } from '../../scripts/lib/core-node.mjs';
import { embedTexts, sessionOptions } from '../../scripts/lib/encoder-node.mjs';

const require = createRequire(import.meta.url);

// The seed message's embedding as the catalogue build computes it: the core's tokenizer (WASM in
// Node) and the int8 encoder in onnxruntime-node.
async function embedInNode(text) {
  const core = await loadCore();
  const tokenizer = new core.Tokenizer();
  tokenizer.load(new Uint8Array(fs.readFileSync(vocabPath)));
  const ort = require('onnxruntime-node');
  const session = await ort.InferenceSession.create(
    path.join(root, 'models/use-lite-int8.onnx'),
    sessionOptions,
  );
  const vector = await embedTexts(ort, session, tokenizer, [text]);
  tokenizer.delete();
  return Array.from(vector);
}

const port = 5187;
const url = `http://127.0.0.1:${port}/`;
const shots = path.join(root, 'test-results/e2e');
let server, browser;

async function waitForServer() {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`vite preview did not answer at ${url}`);
}

before(async () => {
  assert.ok(fs.existsSync(path.join(root, 'dist/index.html')), 'dist/ missing: npm run build');
  server = spawn(
    'npx',
    [
      'vite',
      'preview',
      '--config',
      'web/vite.config.ts',
      '--host',
      '127.0.0.1',
      '--port',
      `${port}`,
      '--strictPort',
    ],
    { cwd: root, stdio: 'ignore', detached: true },
  );
  await waitForServer();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'],
  });
  fs.mkdirSync(shots, { recursive: true });
});

after(async () => {
  await browser?.close();
  if (server) process.kill(-server.pid);
});

test('the engine starts in a worker and tokenizes the message', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForFunction(
    () => document.getElementById('status').textContent.startsWith('Ready'),
    null,
    {
      timeout: 30000,
    },
  );
  assert.match(await page.textContent('#status'), /wasm-simd128/);
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  await page.waitForSelector('#pieces li');
  const first = await page.$$eval('#pieces li', (lis) => lis.map((li) => li.textContent));
  assert.ok(
    first.some((t) => t.includes('▁Titanic') || t.includes('▁Tit')),
    first.join(' '),
  );
  // The encoder ran in Chromium (onnxruntime-web) and agrees with Node's.
  await page.waitForSelector('#vector:has-text("512 dims")');
  const shown = await page.textContent('#vector');
  assert.match(shown, /norm 1\.000/);
  const expected = await embedInNode('I absolutely loved Titanic. It made me so emotional!');
  const leading = shown
    .match(/first (.*)$/)[1]
    .split(', ')
    .map(Number);
  leading.forEach((x, i) => assert.ok(Math.abs(x - expected[i]) < 2e-5, `${x} vs ${expected[i]}`));
  await page.fill('#message', '<img src=x onerror=alert(1)> 타이타닉');
  await page.waitForFunction(() =>
    [...document.querySelectorAll('#pieces li')].some((li) => li.textContent.startsWith('▁<')),
  );
  assert.equal(
    await page.$$eval('#pieces img', (imgs) => imgs.length),
    0,
    'text must never become HTML',
  );
  await page.screenshot({ path: path.join(shots, 'placeholder-ready.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a damaged asset is refused with a clear message', async () => {
  const page = await browser.newPage();
  await page.route('**/assets/cinerag_core.wasm', async (route) => {
    const response = await route.fetch();
    const body = await response.body();
    await route.fulfill({ response, body: body.subarray(0, body.length - 1000) });
  });
  await page.goto(url);
  await page.waitForFunction(
    () => document.getElementById('status').classList.contains('error'),
    null,
    {
      timeout: 30000,
    },
  );
  assert.match(await page.textContent('#status'), /damaged or incomplete/);
  await page.screenshot({ path: path.join(shots, 'placeholder-damaged-asset.png') });
  await page.close();
});
