// The recommender on the demo catalogue, through the same engine as `cinerag ask|batch`: title
// detection, sentiment routing, constraints, exclusions, conversation state, fallback, the batch
// format and bad input.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import test from 'node:test';
import { root } from '../../scripts/lib/core-node.mjs';
import { createEngine } from '../../scripts/lib/engine-node.mjs';

const engine = await createEngine();
const ask = (request) => engine.ask(typeof request === 'string' ? { text: request } : request);

test("the seed's example: Titanic found, positive, five romantic/epic dramas with reasons", async () => {
  const r = await ask('I absolutely loved Titanic. It made me so emotional!');
  assert.equal(r.lang, 'en');
  assert.deepEqual(r.mentioned.map((m) => [m.movieId, m.year, m.liked]), [[1721, 1997, true]]);
  assert.equal(r.sentiment.label, 'positive');
  assert.equal(r.results.length, 5);
  assert.ok(!r.results.some((x) => x.movieId === 1721));
  const dramaOrRomance = r.results.filter((x) => x.genres.includes('Drama') || x.genres.includes('Romance'));
  assert.ok(dramaOrRomance.length >= 4, JSON.stringify(r.results.map((x) => [x.title, x.genres])));
  for (const x of r.results) {
    assert.ok(x.why.length > 5, x.why);
    assert.ok(x.similarity > 0 && x.similarity <= 1);
  }
  assert.ok(r.results.some((x) => x.why.includes("'Titanic'")));
  assert.match(r.answer, /^You feel positive \(0\.\d\d\) about 'Titanic'\. Recommendations:\n1\. /);
  assert.equal(r.fallback, false);
  assert.deepEqual(r.state.liked, [1721]);
});

test('a disliked movie pushes away: never recommended, nor its namesakes', async () => {
  const r = await ask('I hated Twilight, so boring and cheesy.');
  assert.equal(r.mentioned.length, 1);
  assert.equal(r.mentioned[0].title, 'Twilight');
  assert.equal(r.mentioned[0].liked, false);
  assert.deepEqual(r.state.disliked, [r.mentioned[0].movieId]);
  assert.ok(!r.results.some((x) => x.title.startsWith('Twilight')), JSON.stringify(r.results.map((x) => x.title)));
  const neutral = await ask('Have you heard of The Matrix?');
  assert.equal(neutral.mentioned[0].title, 'The Matrix');
  assert.equal(neutral.state.liked.length + neutral.state.disliked.length, 0);
});

test('titles: lowercase, with a year, a one-letter typo, original Hangul titles; everyday words are not titles', async () => {
  const find = async (text) => (await ask(text)).mentioned.map((m) => `${m.title} (${m.year})`);
  assert.deepEqual(await find('the matrix was mind blowing'), ['The Matrix (1999)']);
  assert.deepEqual(await find('Toy Story 3 made me cry'), ['Toy Story 3 (2010)']);
  assert.deepEqual(await find('I liked Titanic 1953 more than the new one'), ['Titanic (1953)']);
  assert.deepEqual(await find('I really enjoyed Forest Gump'), ['Forrest Gump (1994)']);
  assert.deepEqual(await find('올드보이 정말 최고였어'), ['Old Boy (2003)']);
  assert.deepEqual(await find('I love it when a movie makes me think. Up for anything!'), []);
  assert.deepEqual(await find('I liked both Heat and Se7en'), ['Heat (1995)', 'Seven (a.k.a. Se7en) (1995)'.replace(' (a.k.a. Se7en)', '')]);
});

test('Korean: the Korean model reads the sentiment and the answer is in Korean', async () => {
  const r = await ask('Titanic 정말 감동적이었어');
  assert.equal(r.lang, 'ko');
  assert.equal(r.mentioned[0].movieId, 1721);
  assert.equal(r.sentiment.label, 'positive');
  assert.match(r.answer, /^당신은 'Titanic'에 대해 positive \(0\.\d\d\) 감정을 갖고 있군요\. 추천 영화:/);
  const bad = await ask('올드보이는 너무 지루하고 별로였어');
  assert.equal(bad.mentioned[0].liked, false);
});

test('constraints in words: decade and genre, no horror, Korean, short, recent', async () => {
  const r = await ask('Recommend a 90s comedy please');
  assert.ok(r.constraints.includes('90s') && r.constraints.includes('Comedy'), r.constraints.join());
  for (const x of r.results) assert.ok(x.year >= 1990 && x.year <= 1999, `${x.title} ${x.year}`);
  assert.ok(r.results.filter((x) => x.genres.includes('Comedy')).length >= 4);
  const noHorror = await ask('I loved Alien but no horror please, something with space');
  assert.ok(noHorror.constraints.includes('no Horror'));
  for (const x of noHorror.results) assert.ok(!x.genres.includes('Horror'), x.title);
  const korean = await ask('한국 영화 추천해줘');
  assert.equal(korean.lang, 'ko');
  assert.ok(korean.results.length >= 3);
  const db = await engine.askEmbedded({ text: 'Korean movies please' }, null);
  assert.ok(db.results.length >= 3);
  for (const x of db.results) assert.ok([7982, 8014, 27397, 27523, 27592, 27773, 27869, 30803].includes(x.movieId) || x.why.includes('ko'), x.title);
  const short = await ask('something short and funny for tonight');
  assert.ok(short.constraints.some((c) => c.startsWith('under ')));
});

test('state round-trips: seen and disliked are excluded, "more like the second one" likes it', async () => {
  const first = await ask('I absolutely loved Titanic. It made me so emotional!');
  const [a, b] = first.state.lastResults;
  const second = await ask({ text: "I've seen the first one already, not that one", state: first.state });
  assert.ok(second.state.seen.includes(a) || second.state.disliked.includes(a));
  assert.ok(!second.results.some((x) => x.movieId === a));
  const third = await ask({ text: 'more like the second one', state: first.state });
  assert.ok(third.state.liked.includes(b), JSON.stringify(third.state));
  assert.ok(!third.results.some((x) => x.movieId === b));
  const restored = await ask({ text: 'anything else?', state: JSON.parse(JSON.stringify(third.state)) });
  assert.ok(!restored.results.some((x) => third.state.liked.includes(x.movieId)));
});

test('fallback: past the catalogue, or nothing to go on', async () => {
  const r = await ask('What are the best movies of 2031?');
  assert.equal(r.fallback, true);
  assert.equal(r.fallbackReason, 'newer_than_catalogue');
  assert.match(r.answer, /only knows movies up to \d{4}/);
  const ok = await ask('I loved The Dark Knight');
  assert.equal(ok.fallback, false);
  assert.ok(ok.confidence > 0.5);
});

test('bad input: empty, whitespace, 100 KB, a bad state — clear errors, no crash', async () => {
  assert.equal((await ask('')).code, 'empty');
  assert.equal((await ask('   \n ')).code, 'empty');
  const big = await ask('I loved Titanic. '.repeat(6000).slice(0, 100 * 1024));
  assert.ok(big.results.length === 5, JSON.stringify(big).slice(0, 200));
  const tooBig = await ask('x'.repeat(100 * 1024 + 1));
  assert.equal(tooBig.code, 'invalid_argument');
  const badState = await ask({ text: 'hi', state: { liked: 'Titanic' } });
  assert.match(badState.error, /state\.liked/);
  const badK = await ask({ text: 'hi', k: 1000 });
  assert.match(badK.error, /k must be/);
});

test('cinerag batch: one output line per input line, bad lines get an error and the batch goes on', () => {
  const input = [
    JSON.stringify({ id: 'a', text: 'I absolutely loved Titanic. It made me so emotional!' }),
    'this is not json',
    JSON.stringify({ id: 'c', turns: [{ role: 'user', text: 'I want a funny movie' }, { role: 'assistant', text: 'How about Toy Story?' }, { role: 'user', text: 'seen it, something else' }] }),
    JSON.stringify({ id: 'd', text: '' }),
  ].join('\n');
  const r = spawnSync(process.execPath, [path.join(root, 'scripts/cli/cinerag.mjs'), 'batch', '--k', '20'], { input, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 4);
  assert.equal(lines[0].id, 'a');
  assert.equal(lines[0].results.length, 20);
  for (const key of ['lang', 'sentiment', 'mentioned', 'results', 'fallback']) assert.ok(key in lines[0], key);
  assert.deepEqual(Object.keys(lines[0].results[0]), ['movieId', 'title', 'year', 'genres', 'score', 'why']);
  assert.deepEqual(Object.keys(lines[0].mentioned[0]), ['movieId', 'title', 'year', 'liked']);
  assert.match(lines[1].error, /line 2/);
  assert.equal(lines[2].id, 'c');
  assert.ok(lines[2].mentioned.some((m) => m.title === 'Toy Story'));
  assert.ok(!lines[2].results.some((x) => x.title === 'Toy Story'));
  assert.equal(lines[3].code, 'empty');
});

test('cinerag ask prints the steps and the answer; --json the batch object plus answer', () => {
  const cli = path.join(root, 'scripts/cli/cinerag.mjs');
  const r = spawnSync(process.execPath, [cli, 'ask', 'I absolutely loved Titanic. It made me so emotional!'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /\[INFO\] title extraction: Titanic \(1997\) \[liked\]/);
  assert.match(r.stdout, /\[INFO\] sentiment: positive/);
  assert.match(r.stdout, /\[INFO\] DB search: 5 results/);
  const j = spawnSync(process.execPath, [cli, 'ask', '--json', '--k', '3', '--lang', 'ko', 'I loved Titanic'], { encoding: 'utf8' });
  const out = JSON.parse(j.stdout);
  assert.equal(out.results.length, 3);
  assert.equal(out.lang, 'ko');
  assert.match(out.answer, /추천 영화/);
  const bad = spawnSync(process.execPath, [cli, 'ask', '--k', 'x', 'hi'], { encoding: 'utf8' });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /--k must be/);
});

test('cinerag ask --proxy: asks gpt-4o only on fallback, and keeps the offline answer on errors', async () => {
  const { startFakeOpenAI } = await import('../proxy/fake_openai.mjs');
  const { waitForUrl } = await import('../../scripts/lib/preview.mjs');
  const upstream = await startFakeOpenAI();
  const port = 18795;
  const proxy = spawn(process.env.CINERAG_PROXY || path.join(root, 'build/native-debug/cinerag-proxy'),
    ['--port', String(port), '--allow-origin', 'http://app.test'],
    { env: { ...process.env, OPENAI_API_KEY: 'sk-test-cli', OPENAI_BASE_URL: upstream.url }, stdio: 'ignore' });
  try {
    await waitForUrl(`http://127.0.0.1:${port}/healthz`);
    const cli = path.join(root, 'scripts/cli/cinerag.mjs');
    const run = (text) => new Promise((resolve) => {
      const child = spawn(process.execPath, [cli, 'ask', '--proxy', `http://127.0.0.1:${port}/`, text]);
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      child.on('close', (code) => resolve({ code, out }));
    });
    const fallback = await run('What are the best movies of 2031?');
    assert.equal(fallback.code, 0, fallback.out);
    assert.match(fallback.out, /\[INFO\] fallback \(newer_than_catalogue\): asking gpt-4o/);
    assert.match(fallback.out, /\[gpt-4o\] If Titanic moved you/);
    assert.match(fallback.out, /1\. The Notebook \(2004\)/);
    const normal = await run('I absolutely loved Titanic. It made me so emotional!');
    assert.ok(!normal.out.includes('gpt-4o'), normal.out);
    assert.equal(upstream.requests.length, 1);
    const broken = await run('What are the best movies of 2031? [[scenario:500]]');
    assert.equal(broken.code, 0);
    assert.match(broken.out, /gpt-4o could not answer .*the offline answer stands/);
    assert.match(broken.out, /The closest I have:/);
  } finally {
    proxy.kill('SIGTERM');
    await upstream.close();
  }
});
