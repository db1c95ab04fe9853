// Browser figures for `npm run bench`, in Debian's Chromium (playwright-core) against
// dist/ served as `npm start` serves it (scripts/lib/serve.mjs): answer_p50_ms / answer_p95_ms
// (message -> rendered answer, 50 varied messages, warm; answer_precise_* the same in the precise
// mode, the transformer), ready_cold_ms (first visit, navigation -> ready), ready_offline_ms (a
// repeat visit offline, served by the service worker), first_visit_bytes_demo (response bodies as
// served, compressed: what went over the wire; `_gzip` is the older figure, each body re-gzipped
// at level 6, `_uncompressed` the decoded bytes), first_visit_bytes_full (the same with the full
// catalogue swapped in; both until ready, the service worker blocked),
// first_visit_bytes_with_offline (the server's count of body bytes for a whole first visit with
// the service worker, until it has cached what the app needs offline), ready_*_steps (the worker's
// own timings), tab_memory_mb (JS heap + WASM memory after the 50 messages), soak_* (500 messages
// in one tab: memory after 50 and at the end, p95 of the first and last 100 answers, errors).
// Merges its keys into bench/results.json.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { compressionCache, isCompressible } from '../build/precompress.mjs';
import { writeResults } from '../lib/bench-results.mjs';
import { root } from '../lib/core-node.mjs';
import { launchChromium, routeCatalogue, startPreview } from '../lib/preview.mjs';

const port = 5195;
const cache = compressionCache();
/** Messages of the soak run (one tab, one conversation). */
const SOAK_MESSAGES = 500;
const url = `http://127.0.0.1:${port}/`;
const MESSAGES = [
  'I absolutely loved Titanic. It made me so emotional!',
  'I hated Twilight, so boring',
  'Recommend a 90s comedy please',
  'something like The Matrix but with less action',
  '타이타닉 너무 감동적이었어',
  'I want a scary movie for Halloween',
  'Pixar movies make me happy',
  'a highly rated war film',
  'Korean thrillers?',
  'I loved Inception and Interstellar',
  'a short animated movie for my kids',
  'something romantic from the 80s',
  'The Godfather is the best',
  'I did not like Fight Club',
  'documentaries about nature',
  "more heists like Ocean's Eleven",
  'Forrest Gump made me cry',
  'a feel good movie tonight',
  'westerns with Clint Eastwood',
  'space adventure like Star Wars',
  '올드보이 같은 영화 추천해줘',
  'musicals like La La Land',
  'I love detective mysteries',
  'Jurassic Park was amazing',
  'something dark and gritty',
];
const messages = Array.from(
  { length: 50 },
  (_, i) => MESSAGES[i % MESSAGES.length] + (i >= MESSAGES.length ? ' again' : ''),
);

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/**
 * The body bytes of one response as they went over the wire. serve.mjs sends every body with a
 * Content-Length, the encoded one when it sends a .br/.gz sibling. A response that routeCatalogue
 * fulfilled never reached the server: it counts as the server would send it to this browser
 * (which asks for br), compressed as the build would (precompress.mjs, cached by content; the
 * 53 MB full catalogue takes about 2.5 min the first time).
 */
async function wireBytes(response, body, routed) {
  if (!routed) {
    const length = Number(response.headers()['content-length']);
    return Number.isFinite(length) ? length : (await response.request().sizes()).responseBodySize;
  }
  const name = new URL(response.url()).pathname;
  if (!isCompressible(name, body.length)) return body.length;
  return Math.min(body.length, (await cache.compress(body, 'br')).length);
}

async function firstVisit(browser, catalogue) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const db = catalogue && fs.readFileSync(catalogue);
  if (db) await routeCatalogue(page, db);
  const routed = (u) => !!db && /\/assets\/(catalogue\.db|assets\.json)$/.test(new URL(u).pathname);
  const seen = new Map(); // url -> {raw, wire, gz}; a URL counts once
  const pending = [];
  context.on('response', (response) => {
    const measure = async () => {
      // Chromium's inspector drops a body as large as the full catalogue: it is `db` anyway.
      const isDb = routed(response.url()) && response.url().endsWith('/catalogue.db');
      const body = isDb ? db : await response.body();
      const wire = await wireBytes(response, body, routed(response.url()));
      seen.set(response.url(), {
        raw: body.length,
        wire,
        gz: zlib.gzipSync(body, { level: 6 }).length,
      });
    };
    pending.push(measure().catch(() => {}));
  });
  const t0 = Date.now();
  await page.goto(`${url}?no-sw&lang=en`);
  await page.locator('.cinerag-chat[data-ready="true"]').waitFor({ timeout: 120000 });
  const ready = Date.now() - t0;
  const steps = await page.locator('.cinerag-chat').getAttribute('data-startup');
  await page.waitForTimeout(500);
  await Promise.all(pending);
  await context.close();
  const total = { ready, steps, raw: 0, wire: 0, gz: 0 };
  for (const [u, r] of seen) {
    if (process.env.BENCH_VERBOSE) console.error(`  ${r.wire}\t${r.raw}\t${u}`);
    if (u.startsWith('http')) for (const k of ['raw', 'wire', 'gz']) total[k] += r[k];
  }
  if (catalogue && ![...seen.keys()].some((u) => /catalogue\.db$/.test(u)))
    throw new Error('bench: the routed catalogue was not seen');
  return total;
}

/**
 * A whole first visit as a person makes it, service worker included: the server's count of body
 * bytes sent from navigation until the service worker has cached every file of precache.json
 * (what the app needs offline), and the requests and 304s among them.
 */
async function firstVisitWithOffline(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const before = { ...server.stats };
  await page.goto(`${url}?lang=en`);
  await page.locator('.cinerag-chat[data-ready="true"]').waitFor({ timeout: 120000 });
  await precached(page);
  await context.close();
  return {
    bytes: server.stats.bodyBytes - before.bodyBytes,
    requests: server.stats.requests - before.requests,
    notModified: server.stats.notModified - before.notModified,
  };
}

/** Until the service worker has cached every file of precache.json. */
async function precached(page) {
  await page.waitForFunction(
    async () => {
      const keys = await caches.keys();
      const k = keys.find((x) => x.startsWith('cinerag-'));
      if (!k) return false;
      const list = await (await fetch('precache.json')).json();
      return (await (await caches.open(k)).keys()).length >= list.files.length;
    },
    null,
    { timeout: 120000, polling: 500 },
  );
}

const server = await startPreview(port);
try {
  const browser = await launchChromium(['--enable-precise-memory-info']);
  const results = {};
  const whole = await firstVisitWithOffline(browser);
  results.first_visit_bytes_with_offline = whole.bytes;
  results.first_visit_requests_with_offline = `${whole.requests} (${whole.notModified} not modified)`;
  const demo = await firstVisit(browser, null);
  results.ready_cold_ms = demo.ready;
  results.ready_cold_steps = demo.steps;
  results.first_visit_bytes_demo = demo.wire;
  results.first_visit_bytes_demo_gzip = demo.gz;
  results.first_visit_bytes_demo_uncompressed = demo.raw;
  const full = path.join(root, 'catalogue/full.db');
  if (fs.existsSync(full)) {
    const f = await firstVisit(browser, full);
    results.first_visit_bytes_full = f.wire;
    results.first_visit_bytes_full_gzip = f.gz;
    results.ready_cold_full_ms = f.ready;
  }

  // Warm answers, then an offline repeat visit through the service worker.
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('crash', () => console.error('bench: the page crashed'));
  page.on('pageerror', (e) => console.error('bench: page error', e.message));
  await page.goto(`${url}?lang=en`);
  await page.locator('.cinerag-chat[data-ready="true"]').waitFor({ timeout: 120000 });
  for (const m of messages.slice(0, 3)) await ask(page, m); // warm-up
  await page.getByRole('button', { name: 'Clear history' }).click();
  const times = [];
  for (const m of messages) times.push(await ask(page, m));
  results.answer_p50_ms = +pct(times, 50).toFixed(1);
  results.answer_p95_ms = +pct(times, 95).toFixed(1);
  // The same conversation in the precise mode (the transformer, loaded by the Precise button).
  await page.getByRole('button', { name: /^Precise mode/ }).click();
  await page.waitForFunction(
    () =>
      document.querySelector('.cinerag-chat button.precise')?.getAttribute('aria-pressed') ===
      'true',
    null,
    { timeout: 120000 },
  );
  await page.getByRole('button', { name: 'Clear history' }).click();
  const precise = [];
  for (const m of messages) precise.push(await ask(page, m));
  results.answer_precise_p50_ms = +pct(precise, 50).toFixed(1);
  results.answer_precise_p95_ms = +pct(precise, 95).toFixed(1);
  // The whole tab: page and worker JS heaps and WASM memories (the core's and ONNX Runtime's).
  results.tab_memory_mb = await tabMemoryMb(page);
  console.error(`bench: ${times.length} answers, memory ${results.tab_memory_mb} MB`);
  await precached(page);
  await context.setOffline(true);
  const t0 = Date.now();
  await page.reload();
  await page.locator('.cinerag-chat[data-ready="true"]').waitFor({ timeout: 60000 });
  results.ready_offline_ms = Date.now() - t0;
  // The worker's own account of it, in ms from its init request: compiled, downloaded (and
  // checked), instantiated, opened (catalogue + recommender), ready.
  results.ready_offline_steps = await page.locator('.cinerag-chat').getAttribute('data-startup');
  await context.close();
  Object.assign(results, await soak(browser));
  await browser.close();

  writeResults(results);
} finally {
  server.stop();
}

/** The tab's measured memory in MB (page and worker heaps, WASM memories; cross-origin isolated). */
async function tabMemoryMb(page) {
  const bytes = await page
    .evaluate(async () => (await performance.measureUserAgentSpecificMemory()).bytes)
    .catch(() => 0);
  return +(bytes / 1e6).toFixed(1);
}

// Long use: SOAK_MESSAGES messages in one tab and one conversation. Memory after message 50 and at
// the end, the p95 of the first and the last 100 answers, answers that were errors.
async function soak(browser) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  let pageErrors = 0;
  page.on('pageerror', () => pageErrors++);
  await page.goto(`${url}?lang=en&no-sw`);
  await page.locator('.cinerag-chat[data-ready="true"]').waitFor({ timeout: 120000 });
  const times = [];
  let at50 = 0;
  for (let i = 0; i < SOAK_MESSAGES; i++) {
    times.push(await ask(page, MESSAGES[i % MESSAGES.length]));
    if (i === 49) at50 = await tabMemoryMb(page);
  }
  const atEnd = await tabMemoryMb(page);
  const errors = await page.locator('li.bot.error').count();
  await context.close();
  console.error(`bench: soak of ${SOAK_MESSAGES} messages, memory ${at50} -> ${atEnd} MB`);
  return {
    soak_messages: SOAK_MESSAGES,
    soak_memory_mb_at_50: at50,
    soak_memory_mb_at_end: atEnd,
    soak_p95_first_100_ms: +pct(times.slice(0, 100), 95).toFixed(1),
    soak_p95_last_100_ms: +pct(times.slice(-100), 95).toFixed(1),
    soak_errors: errors + pageErrors,
  };
}

// Message -> rendered answer, timed inside the page (a Playwright round trip per step would add
// its own tens of milliseconds): the message is sent as the Send button does, and the clock
// stops when a MutationObserver sees the answer in the log.
async function ask(page, text) {
  return page.evaluate(
    (message) =>
      new Promise((resolve) => {
        const log = document.querySelector('.cinerag-chat .log');
        const input = document.querySelector('.cinerag-chat textarea');
        const form = document.querySelector('.cinerag-chat form.composer');
        const timeout = setTimeout(() => (observer.disconnect(), resolve(30000)), 30000);
        // The answer is a new li.bot that is not the pending one (the chat drops old entries, so
        // counting them would not do).
        const isAnswer = (n) =>
          n instanceof HTMLElement && n.matches('li.bot') && !n.matches('.pending');
        const observer = new MutationObserver((records) => {
          if (!records.some((r) => [...r.addedNodes].some(isAnswer))) return;
          observer.disconnect();
          clearTimeout(timeout);
          resolve(performance.now() - t0);
        });
        observer.observe(log, { childList: true });
        input.value = message;
        const t0 = performance.now();
        form.requestSubmit();
      }),
    text,
  );
}
