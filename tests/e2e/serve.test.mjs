// scripts/lib/serve.mjs over a temporary site: the encoding chosen by Accept-Encoding (the
// bytes decode to the original), content types, caching and ETags, HEAD, 404/405, no way out of
// the directory, a taken port; and scripts/build/precompress.mjs writing the siblings it serves.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import zlib from 'node:zlib';
import { compressionCache, precompress } from '../../scripts/build/precompress.mjs';
import { root } from '../../scripts/lib/core-node.mjs';
import { acceptedEncodings, serve } from '../../scripts/lib/serve.mjs';

const serveCli = path.join(root, 'scripts/lib/serve.mjs');

const port = 5192;
let site, server;
const text = (n) =>
  Array.from({ length: n }, (_, i) => `line ${i % 97} of the test site\n`).join('');
const FILES = {
  'index.html': '<!doctype html><title>t</title>' + text(100),
  'assets/index-DijEAb7x.js': 'console.log(1);' + text(200),
  'assets/cinerag_core.wasm': Buffer.concat([
    Buffer.from([0, 97, 115, 109]),
    Buffer.from(text(300)),
  ]),
  // Hyphenated but not hashed: a word, not Vite's 8-character hash.
  'assets/ort-wasm-simd-threaded.wasm': Buffer.from(text(300)),
  'assets/catalogue.db': Buffer.from(text(400)),
  'assets/random.bin': crypto.randomBytes(4096), // incompressible: no siblings
  'manifest.webmanifest': JSON.stringify({ name: 'x', pad: text(50) }),
  'precache.json': JSON.stringify({ files: text(50) }),
  'icon.png': crypto.randomBytes(2048),
  'favicon.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
  'sub/index.html': '<!doctype html>sub',
};
const secret = 'not for the web';

before(async () => {
  const top = fs.mkdtempSync(path.join(os.tmpdir(), 'cinerag-serve-'));
  fs.writeFileSync(path.join(top, 'secret.txt'), secret);
  site = path.join(top, 'site');
  for (const [name, body] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(site, name)), { recursive: true });
    fs.writeFileSync(path.join(site, name), body);
  }
  await precompress(site, compressionCache(path.join(top, 'cache')));
  server = await serve(site, { port });
});

after(() => {
  server?.close();
  fs.rmSync(path.dirname(site), { recursive: true, force: true });
});

/** A raw request (fetch would normalise the path and decode the body): status, headers, bytes. */
function request(urlPath, { method = 'GET', headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, method, headers }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () =>
        resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(parts) }),
      );
    });
    req.on('error', reject).end();
  });
}

const decode = { br: zlib.brotliDecompressSync, gzip: zlib.gunzipSync };
const original = (name) => Buffer.from(FILES[name]);

test('precompress writes siblings only for compressible files where they are smaller', () => {
  for (const name of ['assets/catalogue.db', 'assets/index-DijEAb7x.js', 'precache.json']) {
    assert.ok(fs.existsSync(path.join(site, `${name}.br`)), name);
    assert.ok(fs.existsSync(path.join(site, `${name}.gz`)), name);
  }
  for (const name of ['assets/random.bin', 'icon.png', 'favicon.svg']) {
    assert.ok(!fs.existsSync(path.join(site, `${name}.br`)), name);
    assert.ok(!fs.existsSync(path.join(site, `${name}.gz`)), name);
  }
});

test('the encoding follows Accept-Encoding (br, then gzip, else none) and decodes to the file', async () => {
  const name = 'assets/catalogue.db';
  const cases = [
    ['gzip, deflate, br', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0, gzip;q=0.5', 'gzip'],
    ['*', 'br'],
    ['identity', undefined],
    ['', undefined],
  ];
  for (const [accept, expected] of cases) {
    const r = await request(`/${name}`, { headers: { 'accept-encoding': accept } });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-encoding'], expected, accept);
    assert.equal(r.headers.vary, 'Accept-Encoding');
    assert.equal(Number(r.headers['content-length']), r.body.length);
    const bytes = expected ? decode[expected](r.body) : r.body;
    assert.ok(bytes.equals(original(name)), accept);
    if (expected) assert.ok(r.body.length < bytes.length);
  }
  const plain = await request('/assets/random.bin', { headers: { 'accept-encoding': 'br' } });
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.headers.vary, undefined);
  assert.ok(plain.body.equals(original('assets/random.bin')));
});

test('acceptedEncodings reads q-values', () => {
  assert.deepEqual(acceptedEncodings('gzip, br'), ['br', 'gzip']);
  assert.deepEqual(acceptedEncodings('br;q=0'), []);
  assert.deepEqual(acceptedEncodings('*;q=0.1, gzip;q=0'), ['br']);
  assert.deepEqual(acceptedEncodings(undefined), []);
});

test('content types, and cross-origin isolation on every response', async () => {
  const types = {
    '/': 'text/html; charset=utf-8',
    '/assets/index-DijEAb7x.js': 'text/javascript; charset=utf-8',
    '/assets/cinerag_core.wasm': 'application/wasm',
    '/assets/catalogue.db': 'application/octet-stream',
    '/manifest.webmanifest': 'application/manifest+json',
    '/precache.json': 'application/json',
    '/icon.png': 'image/png',
    '/favicon.svg': 'image/svg+xml',
  };
  for (const [urlPath, type] of Object.entries(types)) {
    const r = await request(urlPath, { headers: { 'accept-encoding': 'br' } });
    assert.equal(r.headers['content-type'], type, urlPath);
    assert.equal(r.headers['cross-origin-opener-policy'], 'same-origin');
    assert.equal(r.headers['cross-origin-embedder-policy'], 'require-corp');
  }
});

test('hashed names are immutable; the rest is revalidated by ETag (304), per encoding', async () => {
  const hashed = await request('/assets/index-DijEAb7x.js');
  assert.equal(hashed.headers['cache-control'], 'public, max-age=31536000, immutable');
  for (const urlPath of ['/', '/assets/ort-wasm-simd-threaded.wasm', '/assets/catalogue.db']) {
    const before = { ...server.stats };
    const r = await request(urlPath, { headers: { 'accept-encoding': 'br' } });
    assert.equal(r.headers['cache-control'], 'no-cache', urlPath);
    assert.ok(r.headers.etag, urlPath);
    const again = await request(urlPath, {
      headers: { 'accept-encoding': 'br', 'if-none-match': r.headers.etag },
    });
    const counted = { ...server.stats };
    assert.equal(again.status, 304, urlPath);
    assert.equal(again.body.length, 0);
    assert.equal(counted.notModified, before.notModified + 1, 'the 304 is counted');
    assert.equal(counted.bodyBytes, before.bodyBytes + r.body.length, 'bytes as sent, encoded');
  }
  const br = await request('/assets/catalogue.db', { headers: { 'accept-encoding': 'br' } });
  const gz = await request('/assets/catalogue.db', {
    headers: { 'accept-encoding': 'gzip', 'if-none-match': br.headers.etag },
  });
  assert.equal(gz.status, 200); // another representation, another ETag
  assert.notEqual(gz.headers.etag, br.headers.etag);
});

test('a file changed after it was precompressed is sent as it is now, not its stale sibling', async () => {
  const file = path.join(site, 'precache.json');
  const before = await request('/precache.json', { headers: { 'accept-encoding': 'br' } });
  assert.equal(before.headers['content-encoding'], 'br');
  const changed = JSON.stringify({ files: text(60), version: 2 });
  fs.writeFileSync(file, changed);
  fs.utimesSync(file, new Date(), new Date(Date.now() + 1000));
  const r = await request('/precache.json', {
    headers: { 'accept-encoding': 'br', 'if-none-match': before.headers.etag },
  });
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-encoding'], undefined);
  assert.equal(r.body.toString(), changed);
});

test('HEAD has the headers and no body; other methods are 405', async () => {
  const head = await request('/assets/catalogue.db', {
    method: 'HEAD',
    headers: { 'accept-encoding': 'gzip' },
  });
  assert.equal(head.status, 200);
  assert.equal(head.headers['content-encoding'], 'gzip');
  assert.equal(
    Number(head.headers['content-length']),
    fs.statSync(path.join(site, 'assets/catalogue.db.gz')).size,
  );
  assert.equal(head.body.length, 0);
  for (const method of ['POST', 'PUT', 'DELETE']) {
    const r = await request('/index.html', { method });
    assert.equal(r.status, 405, method);
    assert.equal(r.headers.allow, 'GET, HEAD');
  }
});

test('missing files are 404, a directory is its index.html, nothing outside the directory', async () => {
  assert.equal((await request('/nope.js')).status, 404);
  assert.equal((await request('/assets/')).status, 404); // no index.html there
  const sub = await request('/sub/');
  assert.equal(sub.body.toString(), FILES['sub/index.html']);
  const redirect = await request('/sub');
  assert.equal(redirect.status, 301);
  assert.equal(redirect.headers.location, '/sub/');
  for (const urlPath of [
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/assets%2f..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/%00',
    '/%E0%A4%A',
  ]) {
    const r = await request(urlPath);
    assert.ok(!r.body.toString().includes(secret), urlPath);
    assert.equal(r.status, 404, urlPath);
  }
});

test('a taken port is a clear error, and the CLI exits non-zero with it', async () => {
  await assert.rejects(serve(site, { port }), /port 5192 on 127\.0\.0\.1 is taken/);
  const cli = spawnSync(process.execPath, [serveCli, '--port', `${port}`, '--dir', site], {
    encoding: 'utf8',
    timeout: 10000,
  });
  assert.equal(cli.status, 1);
  assert.match(cli.stderr, /serve: port 5192 on 127\.0\.0\.1 is taken/);
});

test('precompress is incremental: siblings newer than their file are kept', async () => {
  const rows = await precompress(site, compressionCache(path.join(path.dirname(site), 'cache')));
  const redone = rows.filter((r) => r.br !== null).map((r) => r.file);
  // precache.json was changed above; random.bin has no siblings to be newer.
  assert.deepEqual(redone.sort(), ['assets/random.bin', 'precache.json']);
  const br = fs.readFileSync(path.join(site, 'precache.json.br'));
  assert.equal(
    zlib.brotliDecompressSync(br).toString(),
    fs.readFileSync(path.join(site, 'precache.json'), 'utf8'),
  );
});
