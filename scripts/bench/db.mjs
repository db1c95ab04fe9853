// Catalogue build figures for `npm run bench`: builds the demo and full presets from a cold
// embedding cache, the full one streaming a synthetic 32M-row ratings.csv in the MovieLens schema
// (MovieLens 32M's own ratings are not in ../shared). Merges its keys into bench/results.json.
//   node scripts/bench/db.mjs [--rows 32000000] [--skip-full]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildDb, parseOptions } from '../build/build_db.mjs';
import { writeResults } from '../lib/bench-results.mjs';
import { root } from '../lib/core-node.mjs';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '32000000' },
    'skip-full': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (args.help) {
  console.log('usage: node scripts/bench/db.mjs [--rows 32000000] [--skip-full]');
  process.exit(0);
}
const rows = Number(args.rows);
const skipFull = args['skip-full'];
const dir = path.join(root, 'build/bench/db');
fs.rmSync(dir, { recursive: true, force: true }); // cold: no embedding cache
fs.mkdirSync(dir, { recursive: true });
const results = {};

const demo = await buildDb(
  parseOptions([
    '--preset',
    'demo',
    '--out',
    path.join(dir, 'demo.db'),
    '--work',
    path.join(dir, 'work-demo'),
  ]),
);
results.build_db_demo_s = +demo.summary.seconds.toFixed(1);
results.db_bytes_demo = demo.summary.bytes;
results.db_gzip_bytes_demo = demo.summary.gzip_bytes;
results.content_dims_demo = demo.content.dims;
results.content_recall_at_10_demo = +demo.content.recall_at_10.toFixed(3);

if (!skipFull) {
  const ratings = path.join(dir, 'ratings-32m.csv');
  const movies = parseOptions(['--preset', 'full']).data + '/movielens/ml-32m/movies.csv';
  console.error(`Generating ${rows.toLocaleString('en-US')} synthetic ratings`);
  const g = spawnSync(
    path.join(root, 'build/native/catalogue_build'),
    ['gen-ratings', '--movies', movies, '--rows', String(rows), '--out', ratings],
    { stdio: 'inherit' },
  );
  if (g.status !== 0) throw new Error('gen-ratings failed');
  const full = await buildDb(
    parseOptions([
      '--preset',
      'full',
      '--ratings',
      ratings,
      '--out',
      path.join(dir, 'full.db'),
      '--work',
      path.join(dir, 'work-full'),
    ]),
  );
  results.build_db_full_s = +full.summary.seconds.toFixed(1);
  results.build_db_full_embed_s = +full.summary.embed_seconds.toFixed(1);
  results.ratings_32m_rows = full.ratings.rows;
  results.ratings_32m_ingest_s = +full.ratings.ingest_s.toFixed(1);
  results.ratings_32m_peak_rss_mb = Math.round(full.peak_rss_mb);
  results.db_bytes_full = full.summary.bytes;
  results.db_gzip_bytes_full = full.summary.gzip_bytes;
  results.content_dims_full = full.content.dims;
  results.content_recall_at_10_full = +full.content.recall_at_10.toFixed(3);
  fs.rmSync(ratings, { force: true });
}

writeResults(results);
