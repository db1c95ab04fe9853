// Messages sent while the engine loads (Debian's Chromium, playwright-core): they show at once
// with a "will answer when ready" status and are answered in order, each once, as soon as the
// engine is ready; when loading fails they say why and stay queued, and the next start answers
// them. The engine is real: the test only holds the app's own catalogue download until it lets go.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { root } from '../../scripts/lib/core-node.mjs';
import { launchChromium, startPreview } from '../../scripts/lib/preview.mjs';

const port = 5193;
const url = `http://127.0.0.1:${port}/`;
const shots = path.join(root, 'test-results/e2e');
const WAITING = 'Will answer when the engine is ready…';
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

/** Holds every request for the catalogue until release(); then `then(route)` answers it. */
async function holdCatalogue(page, then = (route) => route.continue()) {
  let release;
  const released = new Promise((r) => (release = r));
  await page.route('**/assets/catalogue.db', async (route) => {
    await released;
    await then(route);
  });
  return release;
}

async function send(page, text) {
  await page.locator('textarea').fill(text);
  await page.locator('textarea').press('Enter');
}

/** The log as [class, text] pairs, oldest first. */
const logOf = (page) =>
  page
    .locator('.log > li')
    .evaluateAll((lis) => lis.map((li) => [li.className, li.querySelector('p')?.textContent]));

test('messages sent while loading wait visibly, then are answered in order, each once', async () => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const release = await holdCatalogue(page);
  await page.goto(`${url}?lang=en&no-sw`);
  await page.locator('.progress progress').first().waitFor({ timeout: 20000 });
  await send(page, 'I loved Heat and The Godfather');
  await send(page, 'I absolutely loved Titanic. It made me so emotional!');
  // Both show at once, each saying it waits; nothing is answered, the composer is empty.
  const notes = page.locator('li.user .queued-note');
  assert.deepEqual(await notes.allTextContents(), [WAITING, WAITING]);
  assert.equal(await page.locator('li.bot').count(), 0);
  assert.equal(await page.locator('textarea').inputValue(), '');
  assert.equal(await page.locator('.cinerag-chat').getAttribute('data-ready'), null);
  await page.screenshot({ path: path.join(shots, 'queued-while-loading.png') });

  release();
  await page.locator('.cinerag-chat[data-ready="true"]').waitFor({ timeout: 30000 });
  await page.locator('li.bot:not(.pending)').nth(1).waitFor({ timeout: 30000 });
  await page.waitForTimeout(500); // a third answer (a message asked twice) would show by now
  const log = await logOf(page);
  assert.deepEqual(
    log.map(([cls]) => cls),
    ['user', 'bot', 'user', 'bot'],
    JSON.stringify(log),
  );
  assert.equal(log[0][1], 'I loved Heat and The Godfather');
  assert.equal(log[2][1], 'I absolutely loved Titanic. It made me so emotional!');
  const answers = page.locator('li.bot');
  assert.match(await answers.nth(0).locator('.chip.recognised').textContent(), /Heat \(1995\)/);
  assert.match(await answers.nth(1).locator('.chip.recognised').textContent(), /Titanic \(1997\)/);
  assert.equal(await answers.nth(0).locator('.card').count(), 5);
  assert.equal(await answers.nth(1).locator('.card').count(), 5);
  assert.equal(await notes.count(), 0);
  await page.screenshot({ path: path.join(shots, 'queued-answered.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a failed start tells the waiting message why; the next start answers it', async () => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const release = await holdCatalogue(page, (route) => route.fulfill({ status: 503, body: '' }));
  await page.goto(`${url}?lang=en&no-sw`);
  await page.locator('.progress progress').first().waitFor({ timeout: 20000 });
  await send(page, 'I loved Heat and The Godfather');
  assert.equal(await page.locator('li.user .queued-note').textContent(), WAITING);
  release();
  await page.locator('.cinerag-chat[data-ready="error"]').waitFor({ timeout: 30000 });
  const note = page.locator('li.user .queued-note');
  assert.match(
    await note.textContent(),
    /^The engine could not start: catalogue\.db: HTTP 503 The message is kept: reload to try again\.$/,
  );
  assert.equal(await note.getAttribute('class'), 'queued-note error');
  assert.equal(await page.locator('li.bot').count(), 0);
  await page.screenshot({ path: path.join(shots, 'queued-failed.png') });

  // Reloading is the retry: the message comes back from the saved history and is answered once.
  await page.unrouteAll();
  await page.reload();
  await page.locator('.cinerag-chat[data-ready="true"]').waitFor({ timeout: 30000 });
  await page.locator('li.bot:not(.pending)').first().waitFor({ timeout: 30000 });
  await page.waitForTimeout(500);
  const log = await logOf(page);
  assert.deepEqual(
    log.map(([cls]) => cls),
    ['user', 'bot'],
    JSON.stringify(log),
  );
  assert.equal(log[0][1], 'I loved Heat and The Godfather');
  await context.close();
});
