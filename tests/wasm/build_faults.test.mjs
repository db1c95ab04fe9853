// The catalogue build under `kill -9`: the native writer killed at points through its write never
// leaves a file at the catalogue's name unless it is whole (only the temporary `.tmp`, which the
// next run replaces), and the embedding cache is reused only when it is complete and its key
// names its texts: one cut short, or vectors whose key is gone, are computed again.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { root } from '../../scripts/lib/core-node.mjs';
import { tinyData } from './tiny-data.mjs';

const cli = path.join(root, 'scripts/cli/cinerag.mjs');
const fixtureTool = path.join(root, 'build/native-debug/make_fixture_db');
const MOVIES = 8000; // enough rows that the write takes a while, so kills land inside it
const fixtureArgs = (out) => [out, '--movies', String(MOVIES), '--dims', '128'];

/** The sqlite3 CLI's verdict on `file`: integrity and the movie count. */
function check(file) {
  const r = spawnSync('sqlite3', ['-readonly', file, 'PRAGMA integrity_check; SELECT count(*) FROM movies'], {
    encoding: 'utf8',
  });
  return r.stdout.trim();
}

/** Starts the writer and kills it (SIGKILL) once its temporary file has `bytes` bytes. */
async function killAt(out, bytes) {
  const child = spawn(fixtureTool, fixtureArgs(out), { stdio: 'ignore' });
  const exited = once(child, 'exit');
  let running = true;
  exited.then(() => (running = false));
  while (running && !(fs.statSync(`${out}.tmp`, { throwIfNoEntry: false })?.size >= bytes)) {
    await sleep(1);
  }
  child.kill('SIGKILL');
  const [code, signal] = await exited;
  return signal === 'SIGKILL' && code === null;
}

test('the catalogue writer killed at any point leaves no finished-looking file', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cinerag-kill-'));
  const out = path.join(dir, 'catalogue.db');
  assert.equal(spawnSync(fixtureTool, fixtureArgs(out)).status, 0);
  const size = fs.statSync(out).size;
  fs.rmSync(out);
  let killedMidWrite = 0;
  for (const part of [0, 0.25, 0.5, 0.75, 1, 1.5]) {
    const killed = await killAt(out, Math.max(1, Math.round(part * size)));
    if (killed && fs.existsSync(`${out}.tmp`)) killedMidWrite++;
    // Only a writer that got to its rename leaves the name, and then the file is whole.
    if (fs.existsSync(out)) {
      assert.equal(check(out), `ok\n${MOVIES}`, `a kill at ${part} of the size`);
      fs.rmSync(out);
    }
  }
  assert.ok(killedMidWrite >= 3, `only ${killedMidWrite} kills landed inside the write`);
  // The next run replaces the leftover temporary file and finishes.
  assert.equal(spawnSync(fixtureTool, fixtureArgs(out)).status, 0);
  assert.equal(check(out), `ok\n${MOVIES}`);
  assert.deepEqual(fs.readdirSync(dir), ['catalogue.db']);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a rerun reuses a complete embedding cache; one cut short or without its key is recomputed', () => {
  const data = tinyData();
  const work = path.join(data, 'work');
  const out = path.join(data, 'out.db');
  const cache = path.join(work, 'content.f32');
  const build = () => {
    const r = spawnSync(process.execPath, [cli, 'build-db', '--preset', 'demo', '--data', data,
      '--out', out, '--work', work, '--workers', '1'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stderr;
  };
  assert.match(build(), /Embedding 2 texts/);
  const vectors = fs.readFileSync(cache);
  assert.equal(vectors.length, 2 * 512 * 4);
  assert.match(build(), /2 texts unchanged since the last build, reusing/);

  fs.truncateSync(cache, 1000); // a cache cut short: its key still matches the texts
  const rerun = build();
  assert.match(rerun, /holds 1000 bytes, not 4096: not reused/);
  assert.match(rerun, /Embedding 2 texts/);
  assert.deepEqual(fs.readFileSync(cache), vectors);

  fs.rmSync(`${cache}.key`); // killed after the vectors were renamed, before their key was
  assert.match(build(), /Embedding 2 texts/);
  assert.match(build(), /reusing/);
  const leftovers = [...fs.readdirSync(work), ...fs.readdirSync(data)].filter((f) => f.endsWith('.tmp'));
  assert.deepEqual(leftovers, []);
  assert.equal(check(out), 'ok\n2');
  fs.rmSync(data, { recursive: true, force: true });
});
