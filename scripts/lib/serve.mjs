// The static server of a built site (dist/): precompressed .br/.gz siblings, content types,
// caching headers and cross-origin isolation. `npm start` and the Chromium tests and bench use it.
// CLI: node scripts/lib/serve.mjs [--port 5173] [--dir dist]
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  // WebAssembly.compileStreaming refuses any other type.
  '.wasm': 'application/wasm',
  '.db': 'application/octet-stream',
  '.bin': 'application/octet-stream',
  '.onnx': 'application/octet-stream',
  '.txt': 'text/plain; charset=utf-8',
};
// The engine's threads need SharedArrayBuffer, which needs a cross-origin isolated page.
const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
// Vite's `name-HASH.ext`: 8 base64url characters. A run of lowercase letters is taken for a word
// (`ort-wasm-simd-threaded.wasm` is not hashed); a hash that happens to be one only loses caching.
const HASHED = /-(?![a-z]{8}\.)[A-Za-z0-9_-]{8}\.[a-z0-9]+$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The encodings `header` accepts (q > 0), of those we have siblings for, best first. */
export function acceptedEncodings(header = '') {
  const accepted = new Map();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (name) accepted.set(name, q ? Number(q.slice(2)) : 1);
  }
  const ok = (name) => (accepted.get(name) ?? (accepted.get('*') || 0)) > 0;
  return ['br', 'gzip'].filter(ok);
}

/** The file under `dir` that `urlPath` names (a directory's index.html), or null. */
function resolveFile(dir, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const named = path.resolve(dir, `.${decoded}`);
  if (named !== dir && !named.startsWith(dir + path.sep)) return null;
  const isDir = !!fs.statSync(named, { throwIfNoEntry: false })?.isDirectory();
  const file = isDir ? path.join(named, 'index.html') : named;
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  return stat?.isFile() ? { file, stat, isDir } : null;
}

/** A sibling `file.ext` written after the file (an older one is stale: the file was changed). */
function freshSibling(file, stat, ext) {
  const sibling = fs.statSync(`${file}.${ext}`, { throwIfNoEntry: false });
  return sibling?.isFile() && sibling.mtimeMs >= stat.mtimeMs ? sibling : null;
}

/** What to send for `file`: the path, its stat, the encoding (null: as it is), Vary or not. */
function representation(file, stat, acceptEncoding) {
  const siblings = { br: freshSibling(file, stat, 'br'), gzip: freshSibling(file, stat, 'gz') };
  const vary = !!(siblings.br || siblings.gzip);
  const encoding = acceptedEncodings(acceptEncoding).find((e) => siblings[e]);
  if (!encoding) return { path: file, stat, encoding: null, vary };
  const ext = encoding === 'br' ? 'br' : 'gz';
  return { path: `${file}.${ext}`, stat: siblings[encoding], encoding, vary };
}

// One ETag per representation: the encoded files differ in size and time, and the suffix makes
// the encoding explicit.
const etagOf = ({ stat, encoding }) =>
  `"${stat.size.toString(36)}-${Math.floor(stat.mtimeMs * 1000).toString(36)}${encoding ? `-${encoding}` : ''}"`;

function matchesEtag(header, etag) {
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

function headersFor(file, rep) {
  const headers = {
    ...ISOLATION,
    'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'Cache-Control': HASHED.test(path.basename(file)) ? IMMUTABLE : 'no-cache',
    ETag: etagOf(rep),
  };
  if (rep.vary) headers.Vary = 'Accept-Encoding';
  if (rep.encoding) headers['Content-Encoding'] = rep.encoding;
  return headers;
}

function sendText(res, status, text, extra = {}) {
  res.writeHead(status, {
    ...ISOLATION,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...extra,
  });
  res.end(text);
}

function handle(dir, req, res, stats) {
  stats.requests++;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return sendText(res, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
  }
  const { pathname } = new URL(req.url, 'http://localhost');
  const found = resolveFile(dir, pathname);
  if (!found) return sendText(res, 404, 'not found\n');
  // Relative URLs inside a directory's index.html need the trailing slash.
  if (found.isDir && !pathname.endsWith('/')) {
    res.writeHead(301, { ...ISOLATION, Location: `${pathname}/`, 'Content-Length': 0 });
    return res.end();
  }
  const rep = representation(found.file, found.stat, req.headers['accept-encoding']);
  const headers = headersFor(found.file, rep);
  if (matchesEtag(req.headers['if-none-match'], headers.ETag)) {
    stats.notModified++;
    res.writeHead(304, headers);
    return res.end();
  }
  res.writeHead(200, { ...headers, 'Content-Length': rep.stat.size });
  if (req.method === 'HEAD') return res.end();
  stats.bodyBytes += rep.stat.size;
  fs.createReadStream(rep.path)
    .on('error', () => res.destroy())
    .pipe(res);
}

/**
 * Serves `dir` on host:port. Resolves to {url, close(), stats} once listening; rejects with a
 * clear message when the port is taken. stats counts requests, 304s and the body bytes of files
 * sent (as encoded): what the bench reads for bytes over the wire.
 */
export function serve(dir, { port, host = '127.0.0.1' }) {
  const root = path.resolve(dir);
  const stats = { requests: 0, notModified: 0, bodyBytes: 0 };
  const server = http.createServer((req, res) => handle(root, req, res, stats));
  return new Promise((resolve, reject) => {
    server.once('error', (e) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new Error(`port ${port} on ${host} is taken (another server is still running?)`)
          : e,
      ),
    );
    server.listen(port, host, () => {
      const url = `http://${host}:${server.address().port}/`;
      const close = () => {
        server.close();
        server.closeAllConnections();
      };
      resolve({ url, close, stats });
    });
  });
}

function parseArgs(argv) {
  const args = { port: 5173, dir: 'dist' };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--port' && /^\d+$/.test(value ?? '')) args.port = Number(value);
    else if (flag === '--dir' && value) args.dir = value;
    else throw new Error(`usage: node scripts/lib/serve.mjs [--port N] [--dir DIR] (got ${flag})`);
  }
  return args;
}

async function main() {
  try {
    const { port, dir } = parseArgs(process.argv.slice(2));
    if (!fs.existsSync(path.join(dir, 'index.html'))) throw new Error(`${dir}/index.html missing`);
    const { url } = await serve(dir, { port });
    console.log(`serving ${dir} at ${url}`);
  } catch (e) {
    console.error(`serve: ${e.message}`);
    process.exit(1);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main();
