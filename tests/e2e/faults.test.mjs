// The app under faults and hostile input (Debian's Chromium, playwright-core): when its engine
// worker dies the page says so in words, starts a new worker and answers the message that was in
// flight once, keeping the conversation; huge, emoji-only, punctuation-only, RTL and
// control-character messages get answers without breaking the layout, and a javascript: poster
// path runs nothing; without IndexedDB the chat answers and says history is not saved; when the
// service worker cannot cache a file the app runs from the network and says it is not offline;
// an update deployed mid-chat (a copy of dist/ changed in place) leaves the open page on its own
// version until Reload, which brings the whole new one with the history. The worker is made
// to die from outside (its message handler replaced by one that throws: an uncaught error, as a
// crash in the core gives), never by code of ours.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { root } from '../../scripts/lib/core-node.mjs';
import { launchChromium, routeCatalogue, startPreview } from '../../scripts/lib/preview.mjs';

const port = 5189;
const url = `http://127.0.0.1:${port}/`;
let server, browser;

before(async () => {
  assert.ok(fs.existsSync(path.join(root, 'dist/index.html')), 'dist/ missing: npm run build');
  server = await startPreview(port);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

async function send(page, text) {
  await page.locator('textarea').fill(text);
  await page.locator('textarea').press('Enter');
}

/** The engine worker of the page (the only dedicated worker), made to die on its next message. */
async function sabotageWorker(page) {
  const workers = page.workers();
  assert.equal(workers.length, 1);
  await workers[0].evaluate(() => {
    self.onmessage = () => {
      throw new Error('simulated crash');
    };
  });
}

test('a worker that dies mid-answer: said in words, restarted, the message answered once', async () => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(`${url}?lang=en&no-sw`);
  await page.locator('.cinerag-chat[data-ready="true"]').waitFor({ timeout: 60000 });
  await send(page, 'I loved Heat and The Godfather');
  await page.locator('li.bot:not(.pending)').first().waitFor({ timeout: 30000 });

  await sabotageWorker(page);
  await send(page, 'something from the 90s please');
  await page.locator('li.bot:not(.pending)').nth(1).waitFor({ timeout: 60000 });
  await page.waitForFunction(() =>
    /restarted/.test(document.querySelector('.status')?.textContent ?? ''),
  );
  assert.equal(await page.locator('li.user').count(), 2);
  assert.equal(await page.locator('li.bot:not(.pending)').count(), 2);
  assert.equal(await page.locator('li.bot.error').count(), 0);
  assert.equal(await page.locator('li.bot').nth(1).locator('.card').count(), 5);
  assert.equal(await page.evaluate(() => window.cinerag.engine.restarts), 1);
  // The conversation goes on with the new worker, and survives a reload.
  await send(page, 'no horror please');
  await page.locator('li.bot:not(.pending)').nth(2).waitFor({ timeout: 30000 });
  await page.reload();
  await page.locator('.cinerag-chat[data-ready="true"]').waitFor({ timeout: 60000 });
  assert.equal(await page.locator('li.user').count(), 3);
  await page.getByRole('button', { name: 'Clear history' }).click();
  await context.close();
});

test('hostile input: huge, emoji-only, punctuation-only, mixed RTL and control characters, a javascript: poster', async () => {
  const tmp = path.join(os.tmpdir(), `cinerag-hostile-${process.pid}.db`);
  fs.copyFileSync(path.join(root, 'catalogue/demo.db'), tmp);
  execFileSync('sqlite3', [
    tmp,
    "UPDATE movies SET poster_path = 'javascript:alert(1)' WHERE genres LIKE '%Romance%'; VACUUM;",
  ]);
  const context = await browser.newContext({
    serviceWorkers: 'block',
    viewport: { width: 420, height: 800 },
  });
  const page = await context.newPage();
  const errors = [];
  let dialogs = 0;
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => (dialogs++, d.dismiss()));
  await routeCatalogue(page, fs.readFileSync(tmp));
  await page.goto(`${url}?lang=en&no-sw`);
  await page.locator('.cinerag-chat[data-ready="true"]').waitFor({ timeout: 60000 });
  const messages = [
    `I loved Titanic ${'so much '.repeat(12800)}`.slice(0, 100 * 1024),
    '😀🎬🍿🎥🤯',
    '?!?!... ;;; ---',
    'I loved Titanic أحببت هذا الفيلم כן מאוד',
    'I loved\u0000 Alien\u0007\u001b[31m\u202e evil',
    'I loved The Notebook, so romantic',
  ];
  for (const [i, text] of messages.entries()) {
    await send(page, text);
    await page.locator('li.bot:not(.pending)').nth(i).waitFor({ timeout: 30000 });
    const answer = page.locator('li.bot:not(.pending)').nth(i);
    assert.ok(((await answer.textContent()) ?? '').trim().length > 0, `no words for message ${i}`);
  }
  assert.equal(await page.locator('li.bot.error').count(), 0);
  assert.equal(await page.locator('img[src^="javascript:"]').count(), 0);
  // Nothing pushes the chat sideways: no horizontal overflow of the log or the page.
  const overflow = await page.evaluate(() => {
    const log = document.querySelector('.cinerag-chat .log');
    return [log.scrollWidth - log.clientWidth, document.documentElement.scrollWidth - innerWidth];
  });
  assert.ok(
    overflow.every((x) => x <= 1),
    `overflow ${overflow}`,
  );
  await page.waitForTimeout(300);
  assert.equal(dialogs, 0);
  assert.deepEqual(errors, []);
  await page.getByRole('button', { name: 'Clear history' }).click();
  await context.close();
  fs.rmSync(tmp, { force: true });
});

test('no IndexedDB (a private window, full storage): the chat answers and says history is not saved', async () => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  await context.addInitScript(() => {
    Object.defineProperty(window, 'indexedDB', {
      get() {
        throw new DOMException(
          'The user denied permission to access the database.',
          'SecurityError',
        );
      },
    });
  });
  const page = await context.newPage();
  await page.goto(`${url}?lang=en&no-sw`);
  await page.locator('.cinerag-chat[data-ready="true"]').waitFor({ timeout: 60000 });
  await send(page, 'I loved Alien');
  const answer = page.locator('li.bot:not(.pending)').first();
  await answer.waitFor({ timeout: 30000 });
  assert.equal(await answer.locator('.card').count(), 5);
  await page.locator('.notice', { hasText: 'History is not being saved' }).waitFor();
  await context.close();
});

test('the service worker cannot cache a large file: the app runs from the network and says it is not offline', async () => {
  const context = await browser.newContext();
  // Only the service worker's own download (its precache) of the catalogue fails.
  await context.route('**/assets/catalogue.db', (route) =>
    route.request().serviceWorker() ? route.fulfill({ status: 507, body: '' }) : route.continue(),
  );
  const page = await context.newPage();
  await page.goto(`${url}?lang=en`);
  await page.locator('.cinerag-chat[data-ready="true"]').waitFor({ timeout: 60000 });
  await page
    .locator('.update', { hasText: 'could not be saved for offline use' })
    .waitFor({ timeout: 60000 });
  await send(page, 'I loved Alien');
  await page.locator('li.bot:not(.pending)').first().waitFor({ timeout: 30000 });
  assert.equal(await page.locator('li.bot:not(.pending)').first().locator('.card').count(), 5);
  await context.close();
});

test('an update ships while a chat is open: the old version keeps answering, Reload brings the whole new one, history kept', async () => {
  // A deployment of our own: a copy of dist/ served on its own port, then changed in place.
  const site = fs.mkdtempSync(path.join(os.tmpdir(), 'cinerag-site-'));
  fs.cpSync(path.join(root, 'dist'), site, { recursive: true });
  const updatePort = 5191;
  const deployed = await startPreview(updatePort, { outDir: site });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${deployed.url}?lang=en`);
    await page.locator('.cinerag-chat[data-ready="true"]').waitFor({ timeout: 60000 });
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, {
      timeout: 60000,
    });
    await send(page, 'I loved Alien');
    await page.locator('li.bot:not(.pending)').first().waitFor({ timeout: 30000 });

    // The new build: a marked index.html, a changed sw.js, precache.json with a new version.
    const indexPath = path.join(site, 'index.html');
    const index2 = fs
      .readFileSync(indexPath, 'utf8')
      .replace('<head>', '<head><meta name="cinerag-build" content="v2">');
    fs.writeFileSync(indexPath, index2);
    fs.appendFileSync(path.join(site, 'sw.js'), '\n// build v2\n');
    const precache = JSON.parse(fs.readFileSync(path.join(site, 'precache.json'), 'utf8'));
    const entry = precache.files.find((f) => f.path === 'index.html');
    entry.bytes = Buffer.byteLength(index2);
    entry.sha256 = crypto.createHash('sha256').update(index2).digest('hex');
    precache.version = 'v2-test';
    fs.writeFileSync(path.join(site, 'precache.json'), JSON.stringify(precache));

    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
    await page.locator('.update', { hasText: 'A new version' }).waitFor({ timeout: 60000 });
    // Until the person reloads, the open page is the old version and answers with its assets.
    assert.equal(await page.locator('meta[name="cinerag-build"]').count(), 0);
    await send(page, 'something from the 90s please');
    await page.locator('li.bot:not(.pending)').nth(1).waitFor({ timeout: 30000 });
    assert.equal(await page.locator('li.bot.error').count(), 0);

    await page.getByRole('button', { name: 'Reload' }).click();
    await page.waitForFunction(
      () => document.querySelector('meta[name="cinerag-build"]') !== null,
      null,
      { timeout: 60000 },
    );
    await page.locator('.cinerag-chat[data-ready="true"]').waitFor({ timeout: 60000 });
    assert.equal(await page.locator('li.user').count(), 2);
    // Only the new version's cache is left: nothing of the old one can be served any more.
    await page.waitForFunction(
      async () => (await caches.keys()).filter((k) => k.startsWith('cinerag-')).length === 1,
    );
    assert.deepEqual(
      await page.evaluate(async () =>
        (await caches.keys()).filter((k) => k.startsWith('cinerag-')),
      ),
      ['cinerag-v2-test'],
    );
    await send(page, 'no horror please');
    await page.locator('li.bot:not(.pending)').nth(2).waitFor({ timeout: 30000 });
  } finally {
    await context.close();
    deployed.stop();
    fs.rmSync(site, { recursive: true, force: true });
  }
});
