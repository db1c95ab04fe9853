// `cinerag batch` under hostile input and output: a 10 MB line and a line over the line limit get
// their own error rows and the batch goes on; lines are split right across chunk boundaries; a
// reader that goes away (`| head -1`) ends the batch quietly with exit 0, even on endless input.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Readable } from 'node:stream';
import test from 'node:test';
import { MAX_LINE_BYTES, readLines } from '../../scripts/cli/recommend.mjs';
import { root } from '../../scripts/lib/core-node.mjs';

const cli = path.join(root, 'scripts/cli/cinerag.mjs');
const batch = (input) =>
  spawnSync(process.execPath, [cli, 'batch'], { input, encoding: 'utf8', maxBuffer: 1 << 26 });
const rows = (stdout) => stdout.trim().split('\n').map((l) => JSON.parse(l));

test('a 10 MB line gets its own error row and the lines after it are answered', () => {
  const input = [
    JSON.stringify({ id: 'a', text: 'I loved Titanic' }),
    JSON.stringify({ id: 'big', text: 'I loved Titanic. '.repeat(10 * 1024 * 1024 / 17) }),
    '{"id": "c", not json',
    JSON.stringify({ id: 'd', text: 'Tom Hanks movies' }),
  ].join('\n');
  assert.ok(input.length > 10 * 1000 * 1000);
  const r = batch(input);
  assert.equal(r.status, 0, r.stderr);
  const out = rows(r.stdout);
  assert.deepEqual(out.map((x) => x.id), ['a', 'big', null, 'd']);
  assert.equal(out[0].results.length, 5);
  assert.equal(out[1].code, 'invalid_argument');
  assert.match(out[1].error, /longer than 100 KB/);
  assert.match(out[2].error, /^line 3: /);
  assert.equal(out[3].results.length, 5);
});

test('a line over the line limit is refused unread, with its line number, and the batch goes on', () => {
  const input = `\n${'x'.repeat(MAX_LINE_BYTES + 1)}\n${JSON.stringify({ id: 'after', text: 'I loved Up' })}\n`;
  const r = batch(input);
  assert.equal(r.status, 0, r.stderr);
  const out = rows(r.stdout);
  assert.equal(out.length, 2);
  assert.deepEqual(out[0], {
    id: null,
    error: `line 2: ${MAX_LINE_BYTES + 1} bytes, over the ${MAX_LINE_BYTES}-byte limit of a line`,
  });
  assert.equal(out[1].id, 'after');
  assert.equal(out[1].results.length, 5);
});

test('readLines: lines across chunks, characters split between chunks, blank and overlong lines', async () => {
  const bytes = Buffer.from('ab\n\n타이타닉\r\n0123456789\nlast');
  // Every byte its own chunk: each line and each character of 타이타닉 arrives in pieces.
  const chunks = [...bytes].map((b) => Buffer.from([b]));
  const got = [];
  for await (const l of readLines(Readable.from(chunks), 6)) got.push(l);
  assert.deepEqual(got, [
    { line: 'ab', number: 1 },
    { line: '', number: 2 },
    { tooLong: 13, number: 3 }, // 타이타닉 is 12 bytes, and the \r
    { tooLong: 10, number: 4 },
    { line: 'last', number: 5 },
  ]);
  const whole = [];
  for await (const l of readLines(Readable.from([bytes]))) whole.push(l.line);
  assert.deepEqual(whole, ['ab', '', '타이타닉\r', '0123456789', 'last']);
});

test('a closed output pipe (| head -1) ends the batch with exit 0 and no stack trace, on endless input', () => {
  // `yes` never ends: only the batch noticing that nobody reads its answers can stop this pipeline.
  const line = JSON.stringify({ id: 1, text: 'I loved Titanic' });
  const r = spawnSync(
    'bash',
    ['-c', `yes '${line}' | "${process.execPath}" "${cli}" batch | head -1; echo "exit \${PIPESTATUS[1]}" >&2`],
    { encoding: 'utf8', timeout: 120_000 },
  );
  assert.equal(r.signal, null, 'the pipeline did not end by itself');
  assert.equal(JSON.parse(r.stdout).id, 1);
  assert.equal(r.stderr, 'exit 0\n');
});
