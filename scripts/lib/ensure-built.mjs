// Builds what `cinerag ask|chat` need when it is missing, as `npm start` does: the WASM module
// (scripts/build/build.sh wasm), the models (scripts/build/models.sh) and the demo catalogue
// (buildDb from scripts/build/build_db.mjs, with its progress bars). Every step writes to stderr.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { root, wasmDir } from './core-node.mjs';
import { defaultDb } from './engine-node.mjs';

function run(what, command, args) {
  console.error(`cinerag: ${what}`);
  // stdout goes to stderr too: `ask --json` keeps stdout for its answer.
  const r = spawnSync(command, args, { cwd: root, stdio: ['inherit', 2, 2] });
  if (r.error) throw new Error(`${what} failed: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status ?? r.signal})`);
}

/** What is missing for the engine on `db`, as a list of names (empty when nothing is). */
export function missingParts(db = defaultDb) {
  const missing = [];
  if (!['cinerag_core.mjs', 'cinerag_core.wasm'].every((f) => fs.existsSync(path.join(wasmDir, f))))
    missing.push('wasm');
  if (
    !['sentiment-en.bin', 'sentiment-ko.bin', 'use-lite-int8.onnx', 'manifest.json'].every((f) =>
      fs.existsSync(path.join(root, 'models', f)),
    )
  )
    missing.push('models');
  if (!fs.existsSync(db)) missing.push('catalogue');
  return missing;
}

/**
 * Builds the missing parts for `db`. Only the default catalogue is built (a missing --db FILE is
 * an error naming it); a WASM directory set by CINERAG_WASM_DIR is not built either.
 */
export async function ensureBuilt(db = defaultDb) {
  const missing = missingParts(db);
  if (!missing.length) return;
  if (missing.includes('catalogue') && path.resolve(db) !== path.resolve(defaultDb)) {
    throw new Error(
      `catalogue ${db} is missing: build it with \`npx cinerag build-db --preset demo --out ${db}\``,
    );
  }
  if (missing.includes('wasm')) {
    if (process.env.CINERAG_WASM_DIR)
      throw new Error(`${wasmDir} has no cinerag_core.mjs/.wasm (CINERAG_WASM_DIR)`);
    run('building the WASM module (first run; a few minutes)', 'bash', [
      'scripts/build/build.sh',
      'wasm',
    ]);
  }
  if (missing.includes('models')) run('building the models', 'bash', ['scripts/build/models.sh']);
  if (missing.includes('catalogue')) {
    const jobs = String(Math.max(1, (await import('node:os')).availableParallelism?.() ?? 1));
    if (!fs.existsSync(path.join(root, 'build/native/catalogue_build'))) {
      run('configuring the native build', 'cmake', ['--preset', 'native']);
      run('building the catalogue tool', 'cmake', [
        '--build',
        '--preset',
        'native',
        `-j${jobs}`,
        '--target',
        'catalogue_build',
      ]);
    }
    console.error('cinerag: building the demo catalogue (first run; about a minute)');
    const { buildDb, parseOptions } = await import('../build/build_db.mjs');
    await buildDb(parseOptions(['--preset', 'demo', '--out', db]));
  }
}
