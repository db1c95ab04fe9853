#!/usr/bin/env node
// The `cinerag` command (package.json "bin"): `cinerag build-db|ask|batch|chat ...` (see --help of each).
const [command, ...rest] = process.argv.slice(2);
const commands = {
  'build-db': () => import('../build/build_db.mjs'),
  ask: () => import('./recommend.mjs'),
  batch: () => import('./recommend.mjs'),
  chat: () => import('./chat.mjs'),
};
if (!commands[command]) {
  console.error(`usage: cinerag <${Object.keys(commands).join('|')}> [options]  (--help for each)`);
  process.exitCode = 2;
} else {
  const { main } = await commands[command]();
  await main(rest, command);
}
