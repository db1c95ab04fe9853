// bench/results.json: each benchmark script merges its keys in and prints its table.
import fs from 'node:fs';
import path from 'node:path';
import { root } from './core-node.mjs';

export const resultsFile = path.join(root, 'bench/results.json');

/** Merges `results` into bench/results.json (with measured_at) and prints them as a table. */
export function writeResults(results) {
  fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
  const previous = fs.existsSync(resultsFile)
    ? JSON.parse(fs.readFileSync(resultsFile, 'utf8'))
    : {};
  const merged = { ...previous, ...results, measured_at: new Date().toISOString() };
  fs.writeFileSync(resultsFile, JSON.stringify(merged, null, 2) + '\n');
  const width = Math.max(...Object.keys(results).map((k) => k.length));
  for (const [k, v] of Object.entries(results)) console.log(`  ${k.padEnd(width)}  ${v}`);
}
