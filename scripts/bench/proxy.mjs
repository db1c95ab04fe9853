// Load and fault figures for the proxy, loopback only and bounded in time: wrk (Debian) against the
// release binary with the scripted upstream answering after ~50 ms, then a flood from one address
// beside a well-behaved client, then a well-behaved client among 300 slow ones (heads trickling a
// line every 5 s, or answers never read), then an upstream that sends 100 MB. Merges its keys into
// bench/results.json.
//   node scripts/bench/proxy.mjs [--seconds 30] [--connections 100] [--slow 300] [--rounds 100]
import { spawn, execFile } from 'node:child_process';
import { parseArgs, promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { root } from '../lib/core-node.mjs';
import { openSlowClients } from '../../tests/proxy/slow_clients.mjs';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    connections: { type: 'string', default: '100' },
    slow: { type: 'string', default: '300' },
    rounds: { type: 'string', default: '100' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (args.help) {
  console.log(
    'usage: node scripts/bench/proxy.mjs [--seconds 30] [--connections 100] [--slow 300] [--rounds 100]',
  );
  process.exit(0);
}
const seconds = Number(args.seconds);
const connections = Number(args.connections);
const slowCount = Number(args.slow);
const rounds = Number(args.rounds);
const binary = path.join(root, 'build/native/cinerag-proxy');
if (!fs.existsSync(binary)) throw new Error(`${binary} missing: npm run build`);
const children = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cinerag-bench-'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Logs go to files: a pipe nobody drains would fill up and stall the proxy's log writes.
function start(cmd, argv, env = {}) {
  const log = fs.openSync(path.join(tmp, `${path.basename(cmd)}-${children.length}.log`), 'w');
  const child = spawn(cmd, argv, { env: { ...process.env, ...env }, stdio: ['ignore', log, log] });
  children.push(child);
  return child;
}

async function waitFor(url) {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {}
    await sleep(50);
  }
  throw new Error(`${url} did not come up`);
}

const rssMb = (pid) => {
  const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return m ? Number(m[1]) / 1024 : NaN;
};

const body = JSON.stringify({
  lang: 'en',
  messages: [{ role: 'user', text: 'I absolutely loved Titanic. It made me so emotional!' }],
  candidates: [{ title: 'Titanic', year: 1997, genres: 'Drama|Romance' }],
});
const script = path.join(tmp, 'post.lua');
// Counts statuses per thread; done() sums them (wrk gives each thread its own Lua state).
fs.writeFileSync(
  script,
  `wrk.method = "POST"
wrk.body = ${JSON.stringify(body)}
wrk.headers["Content-Type"] = "application/json"
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) ok = 0; s429 = 0; s5xx = 0; other = 0; xff = args[1]; if xff then wrk.headers["X-Forwarded-For"] = xff end end
function response(status, headers, body)
  if status == 200 then ok = ok + 1 elseif status == 429 then s429 = s429 + 1
  elseif status >= 500 then s5xx = s5xx + 1 else other = other + 1 end
end
function done(summary, latency, requests)
  local t = {ok = 0, s429 = 0, s5xx = 0, other = 0}
  for _, th in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + th:get(k) end
  end
  io.write(string.format("STATUS ok=%d s429=%d s5xx=%d other=%d\\n", t.ok, t.s429, t.s5xx, t.other))
  io.write(string.format("P99_US %d\\n", latency:percentile(99)))
end
`,
);

const percentile = (xs, p) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length
    ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
    : NaN;
};
const ms = (x) => +x.toFixed(1);

// One well-behaved client: `rounds` times GET /healthz then a whole recommendation, one at a time,
// each with a 15 s limit (a request that does not answer counts as 15 s).
async function wellBehaved(base, n) {
  const healthz = [];
  const recommend = [];
  let failed = 0;
  const timed = async (into, url, init) => {
    const t0 = performance.now();
    try {
      const r = await fetch(url, { ...init, signal: AbortSignal.timeout(15000) });
      const text = await r.text();
      if (r.status !== 200 || (init && !text.includes('event: result'))) failed++;
    } catch {
      failed++;
    }
    into.push(performance.now() - t0);
  };
  for (let i = 0; i < n; i++) {
    await timed(healthz, `${base}/healthz`);
    await timed(recommend, `${base}/v1/recommend`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
  }
  return { healthz, recommend, all: [...healthz, ...recommend], failed };
}

async function wrk(url, secs, conns, extra = []) {
  const { stdout: out } = await promisify(execFile)(
    'wrk',
    ['-t2', `-c${conns}`, `-d${secs}s`, '--timeout', '10s', '-s', script, url, ...extra],
    { encoding: 'utf8' },
  );
  const status = Object.fromEntries(
    [...out.match(/STATUS (.*)/)[1].matchAll(/(\w+)=(\d+)/g)].map(([, k, v]) => [k, Number(v)]),
  );
  return {
    rps: Number(out.match(/Requests\/sec:\s+([\d.]+)/)[1]),
    p99: Number(out.match(/P99_US (\d+)/)[1]) / 1000,
    status,
  };
}

try {
  const upstreamPort = 19091;
  start('node', [
    path.join(root, 'tests/proxy/fake_openai.mjs'),
    '--port',
    `${upstreamPort}`,
    '--delay-ms',
    '50',
  ]);
  await sleep(300);
  const env = {
    OPENAI_API_KEY: 'sk-bench-not-a-real-key',
    OPENAI_BASE_URL: `http://127.0.0.1:${upstreamPort}/v1`,
  };

  // 1. Throughput: limits opened wide so the figure is the proxy's, not the bucket's.
  const proxy = start(
    binary,
    ['--port', '19090', '--rate', '1000000', '--burst', '1000000', '--max-concurrent', '512'],
    env,
  );
  await waitFor('http://127.0.0.1:19090/healthz');
  await wrk('http://127.0.0.1:19090/v1/recommend', 2, 20); // warm-up
  const rssStart = rssMb(proxy.pid);
  const samples = [];
  const sampler = setInterval(() => samples.push(+rssMb(proxy.pid).toFixed(1)), 5000);
  const load = await wrk('http://127.0.0.1:19090/v1/recommend', seconds, connections);
  clearInterval(sampler);
  const rssEnd = rssMb(proxy.pid);

  // 2. A flood from one address (burst 5, 1/s) while another address asks politely.
  start(binary, ['--port', '19092', '--rate', '1', '--burst', '5', '--trust-forwarded-for'], env);
  await waitFor('http://127.0.0.1:19092/healthz');
  const polite = (async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const r = await fetch('http://127.0.0.1:19092/v1/recommend', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.2' },
        body,
      });
      await r.text();
      statuses.push(r.status);
      await sleep(1200);
    }
    return statuses;
  })();
  const flood = await wrk('http://127.0.0.1:19092/v1/recommend', 5, 20, ['--', '203.0.113.9']);
  const politeStatuses = await polite;

  // 3. Slow clients: the same well-behaved client alone, then among `slowCount` connections that
  // trickle a header line every 5 s or never read their answers (default limits otherwise).
  const slowProxy = start(
    binary,
    ['--port', '19093', '--rate', '1000000', '--burst', '1000000'],
    env,
  );
  const slowBase = 'http://127.0.0.1:19093';
  await waitFor(`${slowBase}/healthz`);
  const quiet = await wellBehaved(slowBase, rounds);
  const slow = openSlowClients({ port: 19093, count: slowCount, everyMs: 5000 });
  let crowded, held;
  try {
    await slow.ready;
    for (let i = 0; i < 100; i++) {
      held = await (await fetch(`${slowBase}/healthz`)).json();
      if (held.connections >= slowCount) break;
      await sleep(50);
    }
    crowded = await wellBehaved(slowBase, rounds);
    held = await (await fetch(`${slowBase}/healthz`)).json();
  } finally {
    slow.stop();
  }

  // 4. An upstream that sends 100 MB (empty deltas, as fast as the proxy reads), three times:
  // cut at the default byte cap; the proxy's memory before and after.
  const floodRssStart = rssMb(slowProxy.pid);
  const floodMs = [];
  const floodErrors = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const r = await fetch(`${slowBase}/v1/recommend`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body.replace('Titanic. It', 'Titanic [[scenario:flood]]. It'),
      signal: AbortSignal.timeout(60000),
    });
    const text = await r.text();
    floodMs.push(performance.now() - t0);
    floodErrors.push(
      JSON.parse(
        text
          .trim()
          .split('\n')
          .at(-1)
          .replace(/^data: /, ''),
      ).error,
    );
  }
  const floodRssEnd = rssMb(slowProxy.pid);

  const results = {
    proxy_rps: load.rps,
    proxy_p99_ms: load.p99,
    proxy_errors: load.status.s5xx,
    proxy_non_200: load.status.s429 + load.status.s5xx + load.status.other,
    proxy_rss_mb_start: +rssStart.toFixed(1),
    proxy_rss_mb_end: +rssEnd.toFixed(1),
    proxy_rss_mb_samples: samples,
    proxy_load: `${seconds}s, ${connections} connections, upstream ~50 ms`,
    proxy_flood_200: flood.status.ok,
    proxy_flood_429: flood.status.s429,
    proxy_flood_other: flood.status.s5xx + flood.status.other,
    proxy_flood_bound: '5 burst + 1/s over 5 s = at most 10 admitted',
    proxy_other_client_statuses: politeStatuses,
    proxy_quiet_p99_ms: ms(percentile(quiet.all, 99)),
    proxy_slow_clients_p99_ms: ms(percentile(crowded.all, 99)),
    proxy_slow_clients_healthz_p99_ms: ms(percentile(crowded.healthz, 99)),
    proxy_slow_clients_recommend_p99_ms: ms(percentile(crowded.recommend, 99)),
    proxy_slow_clients_max_ms: ms(Math.max(...crowded.all)),
    proxy_slow_clients_failed: crowded.failed + quiet.failed,
    proxy_slow_clients_held: held.connections - 1,
    proxy_slow_clients_threads: held.peak_threads,
    proxy_slow_clients_load: `${slowCount} slow connections (half trickle a header line every 5 s, half never read), ${rounds} x (GET /healthz, POST /v1/recommend) one at a time, upstream ~50 ms`,
    proxy_upstream_flood_ms: floodMs.map(ms),
    proxy_upstream_flood_errors: floodErrors,
    proxy_upstream_flood_rss_mb: [+floodRssStart.toFixed(1), +floodRssEnd.toFixed(1)],
  };
  const file = path.join(root, 'bench/results.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const previous = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  fs.writeFileSync(file, JSON.stringify({ ...previous, ...results }, null, 2) + '\n');
  console.log('\ncinerag proxy bench (loopback)\n');
  for (const [k, v] of Object.entries(results))
    console.log(`  ${k.padEnd(36)} ${JSON.stringify(v)}`);
  const ok =
    results.proxy_errors === 0 &&
    results.proxy_flood_200 <= 10 &&
    results.proxy_flood_other === 0 &&
    politeStatuses.every((s) => s === 200) &&
    results.proxy_slow_clients_failed === 0 &&
    results.proxy_slow_clients_p99_ms < 1000 &&
    results.proxy_slow_clients_held >= slowCount * 0.9 &&
    floodErrors.every((e) => e === 'upstream_error') &&
    floodRssEnd - floodRssStart < 32;
  console.log(ok ? '\nproxy bench: limits held' : '\nproxy bench: LIMITS DID NOT HOLD');
  process.exitCode = ok ? 0 : 1;
} finally {
  for (const c of children) c.kill('SIGTERM');
  fs.rmSync(tmp, { recursive: true, force: true });
}
