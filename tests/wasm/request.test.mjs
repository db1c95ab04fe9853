// The request builder the browser's worker and the Node engine share (web/src/request.js): the
// text the encoder embeds, the JSON body, and the cut to the core's limits, checked on the core.
import assert from 'node:assert/strict';
import test from 'node:test';
import { createEngine } from '../../scripts/lib/engine-node.mjs';
import {
  embeddingText,
  fitTurns,
  MAX_TURN_BYTES,
  MAX_TURNS,
  requestBody,
} from '../../web/src/request.js';

const engine = await createEngine();
const bytes = (s) => Buffer.byteLength(s, 'utf8');
const conversation = [
  { role: 'user', text: 'I loved Heat' },
  { role: 'assistant', text: "You feel positive (0.80) about 'Heat'. Recommendations:" },
  { role: 'user', text: 'something from the 90s' },
  { role: 'assistant', text: 'Here are five more.' },
  { role: 'user', text: 'no horror' },
  { role: 'user', text: 'and funny' },
];

test('the encoder embeds the last three user turns joined by a space, at most 4000 characters', () => {
  assert.equal(embeddingText({ turns: conversation }), 'something from the 90s no horror and funny');
  assert.equal(embeddingText({ text: 'I loved Titanic' }), 'I loved Titanic');
  assert.equal(embeddingText({ turns: [{ role: 'assistant', text: 'Hello' }] }), '');
  const long = embeddingText({ turns: [{ role: 'user', text: 'x'.repeat(5000) }] });
  assert.equal(long.length, 4000);
});

test("the body carries the request as it is; bad values are the core's to refuse", () => {
  const request = { turns: conversation, state: { liked: [6] }, k: 3, lang: 'ko' };
  assert.deepEqual(JSON.parse(requestBody(request)), request);
  assert.deepEqual(JSON.parse(requestBody({ text: 'hi', weights: { prior: 1 } })), {
    text: 'hi',
    weights: { prior: 1 },
  });
  assert.match(engine.askEmbedded({ text: 'hi', k: 0 }, null).error, /k must be/);
  assert.match(engine.askEmbedded({ turns: [{ role: 'bot', text: 'hi' }] }, null).error, /role/);
});

test('the worker and the Node engine send the same request for one conversation', () => {
  // The worker sends the chat's turns cut to the core's limits (nothing to cut here); Node as given.
  const worker = { turns: fitTurns(conversation), lang: 'en' };
  const node = { turns: conversation, lang: 'en' };
  assert.equal(requestBody(worker), requestBody(node));
  assert.equal(embeddingText(worker), embeddingText(node));
});

test("the chat's cut: turns over 100 KB of UTF-8 end between characters, and the core takes them", () => {
  const fill = (n) => 'I loved Titanic. '.repeat(Math.ceil(n / 17)).slice(0, n);
  const raw = [
    { role: 'user', text: fill(MAX_TURN_BYTES - 2) + '😀 and more' }, // 4 bytes, 2 left
    { role: 'assistant', text: 'ok' },
    { role: 'user', text: fill(MAX_TURN_BYTES - 1) + '타이타닉' }, // 3 bytes, 1 left
  ];
  assert.equal(engine.askEmbedded({ turns: raw }, null).code, 'invalid_argument');
  const fitted = fitTurns(raw);
  assert.equal(fitted[1], raw[1]);
  assert.deepEqual(
    fitted.map((t) => bytes(t.text)),
    [MAX_TURN_BYTES - 2, 2, MAX_TURN_BYTES - 1],
  );
  for (const [i, t] of fitted.entries()) {
    assert.ok(raw[i].text.startsWith(t.text));
    assert.ok(!/[\ud800-\udbff]$/.test(t.text), `${i}: ends in half a character`);
  }
  const answer = engine.askEmbedded({ turns: fitted }, null);
  assert.equal(answer.error, undefined, answer.error);
  assert.equal(answer.mentioned[0].title, 'Titanic');
});

test("the chat's cut: only the core's 200 most recent turns are sent", () => {
  const turns = Array.from({ length: MAX_TURNS + 7 }, (_, i) => ({
    role: i % 2 ? 'assistant' : 'user',
    text: `message ${i}`,
  }));
  assert.match(engine.askEmbedded({ turns }, null).error, /at most 200 turns/);
  const fitted = fitTurns(turns);
  assert.equal(fitted.length, MAX_TURNS);
  assert.equal(fitted.at(-1).text, `message ${MAX_TURNS + 6}`);
  assert.equal(engine.askEmbedded({ turns: fitted }, null).error, undefined);
});

test('a lone UTF-16 surrogate in a message becomes U+FFFD, and the core answers', () => {
  const request = { turns: [{ role: 'user', text: '\ud800 I loved Titanic \udc00' }] };
  const body = requestBody(request);
  assert.equal(JSON.parse(body).turns[0].text, '\ufffd I loved Titanic \ufffd');
  assert.equal(requestBody({ text: 'plain 😀 text' }), JSON.stringify({ text: 'plain 😀 text' }));
  const answer = engine.askEmbedded(request, null);
  assert.equal(answer.error, undefined, answer.error);
  assert.equal(answer.mentioned[0].title, 'Titanic');
});
