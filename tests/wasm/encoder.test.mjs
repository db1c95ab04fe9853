// The two sentence encoders on the product's path: the core's static encoder (the default: ask()
// with no vector) and the transformer of the precise mode (its vector sent with the request);
// both answer, they agree on what a message is about, and a damaged encoder file is refused.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { loadCore, root, vocabPath } from '../../scripts/lib/core-node.mjs';
import { createEngine, staticModelPath } from '../../scripts/lib/engine-node.mjs';

const [staticEngine, transformerEngine] = await Promise.all([
  createEngine(),
  createEngine({ encoder: 'transformer' }),
]);
const vocab = new Uint8Array(fs.readFileSync(vocabPath));
const model = new Uint8Array(fs.readFileSync(staticModelPath));

const ids = (r) => r.results.map((x) => x.movieId);

test('the static encoder is the default and embeds in the core: a message about a topic finds it', async () => {
  assert.equal(staticEngine.encoder, 'static');
  assert.equal(await staticEngine.embed('time travel'), null); // no vector crosses the boundary
  const r = await staticEngine.ask({ text: 'Any good films about time travel?' });
  const titles = r.results.map((x) => x.title);
  assert.equal(r.results.length, 5);
  const about = r.results.filter((x) => /time|future|back/i.test(`${x.title} ${x.why}`));
  assert.ok(about.length >= 2, JSON.stringify(titles));
});

test('both encoders answer the same conversation, mostly with the same films', async () => {
  const conversations = [
    'I absolutely loved Titanic. It made me so emotional!',
    'something dark and gritty about the mafia',
    'a funny animated movie for kids',
    'space exploration and astronauts',
  ];
  let shared = 0;
  for (const text of conversations) {
    const a = await staticEngine.ask({ text, k: 10 });
    const b = await transformerEngine.ask({ text, k: 10 });
    assert.equal(a.results.length, 10);
    assert.equal(b.results.length, 10);
    shared += ids(a).filter((id) => ids(b).includes(id)).length;
  }
  assert.ok(shared >= 16, `only ${shared} of 40 films in common`);
});

test("the static encoder's vectors stay close to the transformer's", async () => {
  const core = await loadCore();
  const enc = new core.StaticEncoder();
  assert.deepEqual(enc.load(vocab, model), { ok: true, dims: 512 });
  for (const text of [
    'I loved the acting but the plot was thin.',
    'Recommend me a romantic comedy set in Paris',
  ]) {
    const s = enc.embed(text);
    const t = await transformerEngine.embed(text);
    let cos = 0;
    for (let d = 0; d < 512; d++) cos += s[d] * t[d];
    assert.ok(cos > 0.75, `${text}: cosine ${cos}`);
  }
  assert.equal(enc.embed(''), null);
  enc.delete();
});

test('a damaged encoder file is refused with a clear error', async () => {
  const core = await loadCore();
  const enc = new core.StaticEncoder();
  const cut = enc.load(vocab, model.subarray(0, model.length - 10));
  assert.equal(cut.code, 'corrupt');
  assert.match(cut.error, /static encoder file has \d+ bytes/);
  const foreign = enc.load(vocab, new Uint8Array(64));
  assert.equal(foreign.code, 'invalid_argument');
  assert.equal(enc.embed('hello'), null);
  enc.delete();
});

test('cinerag ask --encoder transformer answers as the transformer engine; a bad encoder is refused', async () => {
  const text = 'space exploration and astronauts';
  const cli = (...extra) =>
    spawnSync(process.execPath, [path.join(root, 'scripts/cli/cinerag.mjs'), 'ask', text, '--json', ...extra], {
      encoding: 'utf8',
    });
  const out = cli('--encoder', 'transformer');
  assert.equal(out.status, 0, out.stderr);
  const expected = await transformerEngine.ask({ text });
  assert.deepEqual(
    JSON.parse(out.stdout).results.map((r) => r.movieId),
    ids(expected),
  );
  const bad = cli('--encoder', 'bogus');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /--encoder must be static or transformer/);
});
