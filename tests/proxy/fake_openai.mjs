// A scripted stand-in for the OpenAI Chat Completions API on 127.0.0.1, speaking its wire format:
// `data: {chat.completion.chunk}` events ending with `data: [DONE]`, and its error bodies and
// headers. The conversation picks the behaviour with a marker such as "[[scenario:500-once]]":
//   ok (default) | 401 | 429 | 429-once | 500 | 500-once | hang | truncated | malformed |
//   slow | bad-answer | huge
// and the faults a proxy must cap (each stops by itself: at FLOOD_BYTES, or when the proxy hangs
// up; every request records bytesSent):
//   forever        a 200 stream of one-space deltas every 20 ms that never finishes
//   flood          a 200 stream of FLOOD_BYTES of empty deltas, as fast as the proxy reads
//   flood-line     a 200 stream of one `data:` line FLOOD_BYTES long, no newline
//   flood-error    a 500 whose body is FLOOD_BYTES (quoting the key, as a 401 does)
//   trickle-error  a 500 whose body arrives a byte every 100 ms, forever
// Usable from tests (startFakeOpenAI) or alone: node fake_openai.mjs --port 9999 --delay-ms 50
import http from 'node:http';

export const FLOOD_BYTES = 100 * 1024 * 1024;

const ANSWER = {
  recommendations: [
    {
      title: 'The Notebook',
      year: 2004,
      reason: 'A sweeping romance that moves you like Titanic.',
    },
    { title: 'Atonement', year: 2007, reason: 'Epic love and loss across a war.' },
    { title: 'Doctor Zhivago', year: 1965, reason: 'A grand, emotional period romance.' },
  ],
  message: 'If Titanic moved you, these should too.',
};

function chunk(id, content, finish = null) {
  return {
    id,
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model: 'gpt-4o-2024-08-06',
    choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: finish }],
  };
}

// Writes `piece` until `total` bytes went out or the peer hung up, waiting for the socket to
// drain: memory stays flat and the count says how much the peer actually took.
async function pump(res, record, piece, total = FLOOD_BYTES) {
  const closed = new Promise((r) => res.once('close', r));
  while (record.bytesSent < total && !res.destroyed) {
    const ok = res.write(piece);
    record.bytesSent += piece.length;
    if (!ok) await Promise.race([new Promise((r) => res.once('drain', r)), closed]);
  }
  if (!res.destroyed) res.end();
}

function splitText(text, parts) {
  const size = Math.ceil(text.length / parts);
  const out = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

export function startFakeOpenAI({ port = 0, delayMs = 0 } = {}) {
  const requests = [];
  const seen = new Map(); // scenario -> calls so far
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', async () => {
      const record = {
        method: req.method,
        url: req.url,
        headers: req.headers,
        body,
        closedEarly: false,
        bytesSent: 0,
      };
      requests.push(record);
      res.on('close', () => {
        if (!res.writableFinished) record.closedEarly = true;
      });
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' });
        return res.end(
          JSON.stringify({ error: { message: 'Not found', type: 'invalid_request_error' } }),
        );
      }
      let parsed;
      try {
        parsed = JSON.parse(body);
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        return res.end(
          JSON.stringify({ error: { message: 'bad json', type: 'invalid_request_error' } }),
        );
      }
      const text = parsed.messages.map((m) => m.content).join('\n');
      const scenario = (text.match(/\[\[scenario:([a-z0-9-]+)\]\]/) || [, 'ok'])[1];
      const calls = (seen.get(scenario) || 0) + 1;
      seen.set(scenario, calls);
      const error = (status, type, message, headers = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify({ error: { message, type, param: null, code: type } }));
      };
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      switch (scenario) {
        case '401':
          // The real API quotes part of the key it was given: the proxy must never pass this on.
          return error(
            401,
            'invalid_api_key',
            `Incorrect API key provided: ${req.headers.authorization?.slice(7, 20)}****.`,
          );
        case '429':
          return error(429, 'rate_limit_exceeded', 'Rate limit reached for gpt-4o', {
            'retry-after': '1',
            'x-ratelimit-remaining-requests': '0',
            'x-ratelimit-reset-requests': '1s',
          });
        case '429-once':
          if (calls % 2 === 1)
            return error(429, 'rate_limit_exceeded', 'Rate limit reached', { 'retry-after': '1' });
          break;
        case '500':
          return error(
            500,
            'server_error',
            'The server had an error while processing your request.',
          );
        case '500-once':
          if (calls % 2 === 1) return error(500, 'server_error', 'The server had an error.');
          break;
        case 'hang':
          return; // never answer; the socket stays open until the caller gives up
        case 'flood-error': {
          res.writeHead(500, { 'content-type': 'application/json' });
          const quote = `{"error":{"message":"Incorrect API key provided: ${req.headers.authorization?.slice(7, 20)}****."}}`;
          return pump(res, record, quote.repeat(Math.ceil(65536 / quote.length)));
        }
        case 'trickle-error':
          res.writeHead(500, { 'content-type': 'application/json' });
          while (!res.destroyed) {
            res.write(' ');
            record.bytesSent += 1;
            await new Promise((r) => setTimeout(r, 100));
          }
          return;
      }
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        'x-request-id': `req_${requests.length}`,
      });
      const id = `chatcmpl-${requests.length}`;
      const send = (obj) => {
        const event = `data: ${typeof obj === 'string' ? obj : JSON.stringify(obj)}\n\n`;
        record.bytesSent += event.length;
        return res.write(event);
      };
      if (scenario === 'forever' || scenario === 'flood' || scenario === 'flood-line') {
        send({
          ...chunk(id, ''),
          choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
        });
      }
      if (scenario === 'forever') {
        while (!res.destroyed) {
          send(chunk(id, ' '));
          await new Promise((r) => setTimeout(r, 20));
        }
        return;
      }
      if (scenario === 'flood') {
        const empty = `data: ${JSON.stringify(chunk(id, null))}\n\n`;
        return pump(res, record, empty.repeat(Math.ceil(65536 / empty.length)));
      }
      if (scenario === 'flood-line') {
        res.write('data: ');
        return pump(res, record, 'x'.repeat(65536));
      }
      const answer =
        scenario === 'bad-answer'
          ? JSON.stringify({ films: ['x'] })
          : scenario === 'huge'
            ? JSON.stringify({ ...ANSWER, message: 'x'.repeat(40000) })
            : JSON.stringify(ANSWER);
      const pieces = splitText(answer, scenario === 'slow' ? 40 : 6);
      send({
        ...chunk(id, ''),
        choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
      });
      for (let i = 0; i < pieces.length; i++) {
        if (res.destroyed) return;
        if (scenario === 'truncated' && i === 2) {
          await new Promise((r) => setTimeout(r, 50)); // let what was written arrive, then cut
          return res.socket.destroy();
        }
        if (scenario === 'malformed' && i === 1) send('{"id": "broken", "choices": [');
        send(chunk(id, pieces[i]));
        if (scenario === 'slow') await new Promise((r) => setTimeout(r, 150));
      }
      send(chunk(id, null, 'stop'));
      send('[DONE]');
      res.end();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const { port: actual } = server.address();
      resolve({
        url: `http://127.0.0.1:${actual}/v1`,
        port: actual,
        requests,
        close: () =>
          new Promise((r) => {
            for (const s of sockets) s.destroy();
            server.close(r);
          }),
      });
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : dflt;
  };
  const fake = await startFakeOpenAI({ port: arg('--port', 9999), delayMs: arg('--delay-ms', 0) });
  console.log(`fake OpenAI at ${fake.url}`);
}
