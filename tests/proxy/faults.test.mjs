// The proxy under faults, black-box, loopback only: hundreds of slow clients beside well-behaved
// ones, an upstream that never stops or sends 100 MB, a crash. Every loop is bounded and stops by
// itself. Every byte clients and logs see is kept and searched for the key at the end.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test, before, after } from 'node:test';
import { startFakeOpenAI, FLOOD_BYTES } from './fake_openai.mjs';
import { openSlowClients } from './slow_clients.mjs';
import { root } from '../../scripts/lib/core-node.mjs';

const KEY = 'sk-test-cinerag-SECRET-faults-0123456789';
const binary = process.env.CINERAG_PROXY || path.join(root, 'build/native-debug/cinerag-proxy');
const BOUND_MS = 1000; // what a well-behaved client may wait with 300 slow ones around
const seen = []; // everything a client or a log line showed
const proxies = [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let upstream;

// ASan keeps freed memory in quarantine (256 MB by default): a small one keeps RSS honest.
const asan = `${process.env.ASAN_OPTIONS ? `${process.env.ASAN_OPTIONS}:` : ''}quarantine_size_mb=8`;

async function startProxy(args, port) {
  const child = spawn(
    binary,
    ['--port', String(port), '--rate', '100', '--burst', '500', ...args],
    {
      env: {
        ...process.env,
        OPENAI_API_KEY: KEY,
        OPENAI_BASE_URL: upstream.url,
        ASAN_OPTIONS: asan,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const proxy = { child, url: `http://127.0.0.1:${port}`, port, out: '' };
  child.stdout.on('data', (d) => (proxy.out += d));
  child.stderr.on('data', (d) => (proxy.out += d));
  proxy.exited = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal })));
  proxies.push(proxy);
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${proxy.url}/healthz`)).ok) return proxy;
    } catch {}
    await sleep(50);
  }
  throw new Error(`proxy did not start: ${proxy.out}`);
}

before(async () => {
  assert.ok(fs.existsSync(binary), `${binary} missing: build the native-debug preset`);
  upstream = await startFakeOpenAI();
});

after(async () => {
  for (const p of proxies) p.child.kill('SIGTERM');
  await Promise.all(proxies.map((p) => p.exited));
  await upstream?.close();
});

const ask = (text) => ({
  lang: 'en',
  messages: [{ role: 'user', text }],
  candidates: [{ title: 'Titanic', year: 1997, genres: 'Drama|Romance', overview: 'A ship.' }],
});

// A request with a time limit of its own; returns what came back and how long it took. Each one
// is a new visitor on a connection of its own: at the cap the gate may close an idle kept-alive
// connection (its second choice, after slow heads), and fetch, unlike a browser, does not retry a
// request sent on a kept-alive connection the server has just closed ("other side closed").
async function timed(url, init = {}) {
  const t0 = performance.now();
  const headers = { ...init.headers, connection: 'close' };
  const res = await fetch(url, { ...init, headers, signal: AbortSignal.timeout(15000) });
  const text = await res.text();
  seen.push(JSON.stringify([...res.headers]), text);
  return { status: res.status, text, ms: performance.now() - t0 };
}
const recommend = (proxy, text) =>
  timed(`${proxy.url}/v1/recommend`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ask(text)),
  });
const health = async (proxy) => {
  const r = await timed(`${proxy.url}/healthz`);
  return { ...r, body: JSON.parse(r.text) };
};
const lastEvent = (text) => {
  const block = text.trim().split('\n\n').at(-1);
  return {
    name: block.match(/^event: (.*)$/m)?.[1],
    data: JSON.parse(block.match(/^data: (.*)$/m)[1]),
  };
};
const rssMb = (pid) =>
  Number(fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/)[1]) / 1024;

// Until the proxy has taken in `n` connections, held or closed for room (a thread starts for
// each, not all at once).
async function holding(proxy, n) {
  let h;
  for (let i = 0; i < 100; i++) {
    h = await health(proxy);
    if (h.body.connections + h.body.evicted >= n) return h;
    await sleep(50);
  }
  assert.fail(`the proxy took in ${h.body.connections + h.body.evicted} connections, not ${n}`);
}

// Well-behaved traffic beside the slow clients: /healthz and a whole recommendation, in turn.
async function wellBehaved(proxy, rounds) {
  const latencies = [];
  for (let i = 0; i < rounds; i++) {
    const h = await health(proxy);
    assert.equal(h.status, 200);
    const r = await recommend(proxy, 'I loved Titanic');
    assert.equal(r.status, 200);
    assert.equal(lastEvent(r.text).name, 'result');
    latencies.push(h.ms, r.ms);
  }
  return latencies;
}

test('300 slow clients (trickling heads, never reading) do not starve /healthz or a request', async (t) => {
  const proxy = await startProxy([], 18810);
  const slow = openSlowClients({ port: proxy.port, count: 300, everyMs: 1000 });
  try {
    await slow.ready;
    await holding(proxy, 295);
    const latencies = await wellBehaved(proxy, 8);
    const after = await health(proxy);
    t.diagnostic(`latencies (ms): ${latencies.map(Math.round)}; ${after.text}`);
    assert.ok(after.body.connections >= 280, `still held: ${after.text}`);
    assert.ok(Math.max(...latencies) < BOUND_MS, `latencies ${latencies.map(Math.round)}`);
  } finally {
    slow.stop();
  }
});

test('at --max-connections a newcomer closes the longest-waiting slow client, threads stay bounded', async (t) => {
  const proxy = await startProxy(['--max-connections', '64'], 18811);
  // Not reopened when closed: a client that reconnects at once only ever competes with itself.
  const slow = openSlowClients({ port: proxy.port, count: 300, everyMs: 1000, reopen: false });
  try {
    await slow.ready;
    await holding(proxy, 300);
    const latencies = await wellBehaved(proxy, 6);
    assert.ok(Math.max(...latencies) < BOUND_MS, `latencies ${latencies.map(Math.round)}`);
    const h = await health(proxy);
    t.diagnostic(`latencies (ms): ${latencies.map(Math.round)}; ${h.text}`);
    assert.ok(h.body.evicted >= 236, `slow clients closed for room: ${h.text}`);
    assert.ok(h.body.connections <= 64, h.text);
    assert.ok(h.body.peak_threads <= 64 + 16, `threads: ${h.text}`);
    assert.equal(h.body.refused, 0);
  } finally {
    slow.stop();
  }
});

test('a request head that trickles is cut at --request-timeout-ms', async () => {
  const proxy = await startProxy(['--request-timeout-ms', '1000'], 18812);
  const slow = openSlowClients({ port: proxy.port, count: 20, everyMs: 200 });
  try {
    await slow.ready;
    await sleep(2500);
    // Every trickling connection was closed at least once (and opened again).
    assert.ok(slow.stats.closed >= 10, `closed ${slow.stats.closed}`);
    const latencies = await wellBehaved(proxy, 2);
    assert.ok(Math.max(...latencies) < BOUND_MS);
  } finally {
    slow.stop();
  }
});

test('an upstream that streams forever is cut at --upstream-max-ms with an error event', async () => {
  const proxy = await startProxy(['--upstream-max-ms', '1500'], 18813);
  const n = upstream.requests.length;
  const r = await recommend(proxy, '[[scenario:forever]] hi');
  assert.equal(r.status, 200);
  const last = lastEvent(r.text);
  assert.equal(last.name, 'error');
  assert.equal(last.data.error, 'upstream_timeout');
  assert.ok(r.ms >= 1400 && r.ms < 5000, `${r.ms} ms`);
  for (let i = 0; i < 30 && !upstream.requests[n].closedEarly; i++) await sleep(100);
  assert.equal(upstream.requests[n].closedEarly, true, 'the proxy hung up on the upstream');

  // The same cap holds before the stream starts: an error body that never ends.
  const t = await recommend(proxy, '[[scenario:trickle-error]] hi');
  assert.equal(t.status, 504);
  assert.equal(JSON.parse(t.text).error, 'upstream_timeout');
  assert.ok(t.ms < 5000, `${t.ms} ms`);
});

test('an upstream that sends 100 MB is cut at --upstream-max-bytes; memory stays flat', async () => {
  const proxy = await startProxy(['--upstream-max-bytes', String(1 << 20)], 18814);
  const rssBefore = rssMb(proxy.child.pid);
  for (const [scenario, status, code] of [
    ['flood', 200, 'upstream_error'],
    ['flood-line', 200, 'upstream_error'],
    ['flood-error', 502, 'upstream_error'],
    ['flood', 200, 'upstream_error'],
  ]) {
    const n = upstream.requests.length;
    const r = await recommend(proxy, `[[scenario:${scenario}]] hi`);
    assert.equal(r.status, status, scenario);
    const error = status === 200 ? lastEvent(r.text) : { name: 'error', data: JSON.parse(r.text) };
    assert.equal(error.name, 'error', scenario);
    assert.equal(error.data.error, code, scenario);
    for (let i = 0; i < 30 && !upstream.requests[n].closedEarly; i++) await sleep(100);
    const sent = upstream.requests.slice(n).reduce((s, q) => s + q.bytesSent, 0);
    assert.ok(sent < FLOOD_BYTES / 4, `${scenario}: the upstream got to send ${sent} bytes`);
  }
  const grew = rssMb(proxy.child.pid) - rssBefore;
  assert.ok(grew < 40, `RSS grew ${grew.toFixed(1)} MB over four floods`);
  // The slot of the last answer is released just after its last byte.
  let h = await health(proxy);
  for (let i = 0; i < 20 && h.body.in_flight; i++) h = await sleep(50).then(() => health(proxy));
  assert.equal(h.body.in_flight, 0);
  assert.equal((await recommend(proxy, 'still there?')).status, 200);
});

test('the key never appears: not in answers, logs, the environment, or a crash', async () => {
  const proxy = await startProxy([], 18815);
  // The environment the proxy was given no longer holds it (other processes read it there).
  try {
    const environ = fs.readFileSync(`/proc/${proxy.child.pid}/environ`, 'latin1');
    assert.ok(!environ.includes('SECRET'), '/proc/PID/environ still holds the key');
  } catch (e) {
    if (e.code !== 'EACCES') throw e; // not dumpable, and we are not root: closed to us anyway
  }
  // And a crash leaves no core file behind (it would hold the key).
  const limits = fs.readFileSync(`/proc/${proxy.child.pid}/limits`, 'utf8');
  assert.match(limits, /^Max core file size\s+0\s+0\s/m);
  await recommend(proxy, '[[scenario:401]] hi'); // the upstream quotes the key in its error body
  proxy.child.kill('SIGSEGV');
  const { code, signal } = await proxy.exited;
  assert.ok(code !== 0 || signal, 'it crashed');
  const everything = [...seen, ...proxies.map((p) => p.out)].join('\n');
  assert.ok(everything.length > 1000);
  assert.ok(!everything.includes(KEY));
  assert.ok(!everything.includes('SECRET'), 'not even part of it');
  assert.ok(!everything.includes('sk-test'));
});
