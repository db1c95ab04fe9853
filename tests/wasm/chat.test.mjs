// `cinerag chat` driven as a person and a script would: through a pipe (one answer per line) and
// through a pseudo-terminal (prompt, hints, Ctrl-D/Ctrl-C), on the demo catalogue and real engine.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { root } from '../../scripts/lib/core-node.mjs';

const cli = path.join(root, 'scripts/cli/cinerag.mjs');
const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cinerag-chat-'));
const SEED = 'I absolutely loved Titanic. It made me so emotional!';
const HUGE = `I loved Titanic ${'x'.repeat(100 * 1024)}`; // over the core's 100 KB a turn

/** The answer blocks of an output: from each "title extraction" step to the next step block. */
const blocks = (out) => out.split('[INFO] title extraction: ').slice(1);
/** The numbered result lines of a block: [{title, year, genres, similarity, why}]. */
const results = (block) =>
  [...block.matchAll(/^\d+\. (.+) \((\d{4})\) — (.*) — (?:similarity|유사도) (\d\.\d\d) — (.+)$/gm)].map(
    (m) => ({ title: m[1], year: Number(m[2]), genres: m[3], similarity: Number(m[4]), why: m[5] }),
  );
/** Every /state report in order: [{liked, disliked}]. */
const states = (out) =>
  [...out.matchAll(/^liked: (.*)\r?\ndisliked: (.*)$/gm)].map((m) => ({ liked: m[1], disliked: m[2] }));

/** Runs `cinerag chat ARGS` with `lines` piped in; resolves {code, stdout, stderr}. */
function pipeChat(lines, args = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'chat', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(lines.map((l) => `${l}\n`).join(''));
  });
}

test('piped: one answer per line, state carried over, commands, Korean, a 100 KB line, saved state', async () => {
  const stateFile = path.join(tmp, 'pipe.json');
  const { code, stdout, stderr } = await pipeChat(
    [
      SEED,
      '',
      'more like the second one',
      '/state',
      'I hated Twilight, so boring and cheesy.',
      '/state',
      'Titanic 정말 감동적이었어',
      HUGE,
      '/reset',
      '/state',
      '/k 3',
      'I loved Heat',
    ],
    ['--state', stateFile],
  );
  assert.equal(code, 0, stderr);
  assert.equal(stderr, '');
  assert.ok(!stdout.includes('> '), 'no prompt when piped');
  assert.match(stdout, /^\[INFO\] catalogue: 9742 movies \(demo\)/);
  const answers = blocks(stdout);
  assert.equal(answers.length, 6, 'one answer per message line, none for the empty line or commands');
  assert.equal((stdout.match(/\[INFO\] DB search: /g) ?? []).length, 6);

  // The seed's example: Titanic recognised and liked, positive, five results with similarity and why.
  const [seed, more, dislike, korean, huge, heat] = answers;
  assert.match(seed, /^Titanic \(1997\) \[liked\]\n/);
  assert.match(seed, /\[INFO\] sentiment: positive \(0\.\d\d\), language en/);
  assert.match(seed, /\[INFO\] DB search: 5 results in/);
  assert.match(seed, /^You feel positive \(0\.\d\d\) about 'Titanic'\. Recommendations:$/m);
  const first = results(seed);
  assert.equal(first.length, 5, seed);
  for (const r of first) {
    assert.ok(r.similarity > 0 && r.similarity <= 1, JSON.stringify(r));
    assert.ok(r.genres.length > 0 && r.why.length > 5, JSON.stringify(r));
    assert.notEqual(r.title, 'Titanic');
  }

  // The follow-up reads the previous answer through the state: its second result becomes liked.
  const second = `${first[1].title} (${first[1].year})`;
  assert.equal(results(more).length, 5);
  const [afterMore, afterDislike, afterReset] = states(stdout);
  assert.deepEqual(afterMore.liked.split('; ').sort(), ['Titanic (1997)', second].sort());
  assert.equal(afterMore.disliked, '-');

  // A dislike: Twilight read as disliked, kept in the state, never recommended.
  assert.match(dislike, /Twilight \(2008\) \[disliked\]/);
  assert.equal(afterDislike.disliked, 'Twilight (2008)');
  assert.ok(!results(dislike).some((r) => r.title.startsWith('Twilight')));

  // Korean in, Korean out.
  assert.match(korean, /language ko/);
  const koIntro = korean.split('\n').find((l) => /추천 영화:$/.test(l));
  assert.ok(koIntro && /[\uac00-\ud7a3]/.test(koIntro), korean);
  assert.equal(results(korean).length, 5);
  assert.match(korean, /— 유사도 0\.\d\d — /);

  // A 100 KB line: cut to the core's limit, said so in one line, answered; the loop goes on.
  assert.match(stdout, /\[INFO\] message cut to its first 100 KB of UTF-8/);
  assert.equal(results(huge).length, 5);

  // /reset forgets everything; /k 3 asks for three.
  assert.deepEqual(afterReset, { liked: '-', disliked: '-' });
  assert.match(stdout, /The conversation is cleared/);
  assert.match(heat, /^Heat \(1995\) \[liked\]\n/);
  assert.equal(results(heat).length, 3);
  assert.ok(!heat.includes('Titanic'), 'nothing from before /reset');

  // The state file holds the conversation since /reset; a new chat resumes it.
  const saved = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
  assert.equal(saved.k, 3);
  assert.deepEqual(saved.turns.map((t) => t.role), ['user', 'assistant']);
  assert.equal(saved.turns[0].text, 'I loved Heat');
  assert.equal(saved.state.liked.length, 1);
  const resumed = await pipeChat(['/state', 'more like the first one', '/state'], ['--state', stateFile]);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, /resumed the conversation/);
  const [before, after] = states(resumed.stdout);
  assert.equal(before.liked, 'Heat (1995)');
  const firstOfHeat = results(heat)[0];
  assert.ok(after.liked.includes(`${firstOfHeat.title} (${firstOfHeat.year})`), after.liked);
});

test('piped: bad commands and options are one-line errors; the loop goes on', async () => {
  const { code, stdout, stderr } = await pipeChat(['/k 0', '/lang fr', '/nope', '/help', '/quit', SEED]);
  assert.equal(code, 0);
  assert.match(stderr, /usage: \/k N/);
  assert.match(stderr, /usage: \/lang ko\|en/);
  assert.match(stderr, /unknown command \/nope/);
  assert.match(stdout, /commands: \/reset/);
  assert.equal(blocks(stdout).length, 0, '/quit stops before the next line');
  const bad = await pipeChat([], ['--k', 'x']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--k must be/);
  const missing = await pipeChat([], ['--db', path.join(tmp, 'none.db')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /catalogue .*none\.db is missing/);
});

// A pseudo-terminal relay: the chat runs on the slave side; this process's stdin goes to the
// master (non-blocking both ways, so a 100 KB line cannot deadlock on the echo) and the master's
// output to stdout. Exits with the chat's exit code.
const RELAY = `
import os, pty, select, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
os.set_blocking(fd, False)
pending, stdin_open = b'', True
while True:
    r, w, _ = select.select([fd] + ([0] if stdin_open else []), [fd] if pending else [], [])
    if fd in r:
        try:
            data = os.read(fd, 65536)
        except BlockingIOError:
            data = None
        except OSError:
            data = b''
        if data == b'':
            break
        if data:
            os.write(1, data)
    if 0 in r:
        data = os.read(0, 65536)
        if data:
            pending += data
        else:
            stdin_open = False
    if w and pending:
        try:
            pending = pending[os.write(fd, pending[:4096]):]
        except BlockingIOError:
            pass
sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
`;

/** Starts `cinerag chat` on a pseudo-terminal; send(text) types, until(re) waits for output. */
function ptyChat(args = []) {
  const child = spawn(python, ['-c', RELAY, process.execPath, cli, 'chat', ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, TERM: 'xterm' },
  });
  let raw = '';
  let mark = 0;
  const waiters = [];
  // Without the terminal's escape sequences and carriage returns.
  const text = () => raw.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
  const check = () => waiters.splice(0).forEach((w) => (w.test() ? w.resolve() : waiters.push(w)));
  child.stdout.setEncoding('utf8').on('data', (d) => {
    raw += d;
    check();
  });
  const exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  return {
    exited,
    text,
    /** Types `s`; what comes after is what until() and since() look at. */
    send(s) {
      mark = text().length;
      child.stdin.write(s);
    },
    since: () => text().slice(mark),
    /** Waits until the output since the last send matches `re` (15 s at most). */
    until(re) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`timed out waiting for ${re}; got:\n${text().slice(mark).slice(-2000)}`)),
          15000,
        );
        const w = { test: () => re.test(text().slice(mark)), resolve: () => (clearTimeout(timer), resolve()) };
        waiters.push(w);
        check();
      });
    },
    /** Ends the input; a chat still running 5 s later (a failed test) is killed with its pty. */
    end() {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      exited.then(() => clearTimeout(timer));
    },
  };
}

const PROMPT = /\n> $/;

test('terminal: prompt, hints, the conversation, Korean, /reset, a 100 KB line, Ctrl-D leaves', async () => {
  const stateFile = path.join(tmp, 'tty.json');
  const t = ptyChat(['--state', stateFile]);
  try {
    await t.until(/Tell me about a movie[\s\S]*> $/);
    t.send('\r');
    await t.until(PROMPT);
    assert.match(t.since(), /type an opinion about a movie, or \/help/);

    t.send(`${SEED}\r`);
    await t.until(PROMPT);
    const seed = t.since();
    assert.match(seed, /\[INFO\] title extraction: Titanic \(1997\) \[liked\]/);
    assert.match(seed, /\[INFO\] sentiment: positive/);
    const first = results(seed);
    assert.equal(first.length, 5, seed);

    t.send('more like the second one\r');
    await t.until(PROMPT);
    t.send('/state\r');
    await t.until(PROMPT);
    assert.ok(t.since().includes(`${first[1].title} (${first[1].year})`), t.since());

    t.send('I hated Twilight, so boring and cheesy.\r');
    await t.until(PROMPT);
    assert.match(t.since(), /Twilight \(2008\) \[disliked\]/);

    t.send('타이타닉은 정말 최고였어\r');
    await t.until(PROMPT);
    assert.match(t.since(), /language ko/);
    assert.match(t.since(), /추천 영화:\n1\. .* — 유사도 /);

    t.send('/reset\r');
    await t.until(PROMPT);
    t.send('/state\r');
    await t.until(PROMPT);
    assert.match(t.since(), /liked: -\ndisliked: -/);

    t.send(`${HUGE}\r`);
    await t.until(/DB search[\s\S]*\n> $/);
    assert.match(t.since(), /message cut to its first 100 KB/);
    assert.equal(results(t.since()).length, 5);

    t.send('\x04'); // Ctrl-D
    await t.until(/bye\n$/);
  } finally {
    t.end();
  }
  assert.equal(await t.exited, 0);
  const saved = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
  assert.equal(saved.turns.length, 2, 'the 100 KB turn and its answer, since /reset');
});

test('terminal: Ctrl-C at the prompt leaves cleanly', async () => {
  const t = ptyChat();
  try {
    await t.until(/> $/);
    t.send('/k 2\r');
    await t.until(PROMPT);
    assert.match(t.since(), /results per answer: 2/);
    t.send('\x03'); // Ctrl-C
    await t.until(/bye\n$/);
  } finally {
    t.end();
  }
  assert.equal(await t.exited, 0);
});
