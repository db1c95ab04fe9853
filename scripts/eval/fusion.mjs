// @ts-check
// The fusion tuner of `npm run eval:recommend -- --tune`: each case's candidate pool as the core
// returns it (`candidates: true`: movie ids and their fusion terms), re-ranked in JS under other
// weights exactly as the core ranks (score = sum of weight * term, ties to the lower movie id),
// recall from the re-ranking, the core's weights read back from its own scores, and coordinate
// ascent over multiplicative steps. Term names are generic: whatever the core returns.

/**
 * One case's pool: candidate ids, their terms (n × names.length, row-major, in `names` order) and
 * the positions of the candidates that count as the gold.
 * @typedef {{ids: Int32Array, terms: Float32Array, scores: Float32Array, gold: Int32Array}} Pool
 */
/** @typedef {Record<string, number>} Weights */

/** The term names, in first-seen order, shared by every pool made with the same list. */
export class TermNames {
  constructor() {
    /** @type {string[]} */
    this.names = [];
    /** @type {Map<string, number>} */
    this.index = new Map();
  }
  /** @param {string} name */
  at(name) {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.index.set(name, i);
      this.names.push(name);
    }
    return i;
  }
}

/**
 * A pool from the core's `candidates` (best first). A term a later pool brings in is zero for
 * pools made before it (their rows are shorter: `width` is the count of names at the time).
 * @param {{movieId: number, score: number, terms: Record<string, number>}[]} candidates
 * @param {Iterable<number>} goldIds
 * @param {TermNames} names
 * @returns {Pool & {width: number}}
 */
export function makePool(candidates, goldIds, names) {
  for (const c of candidates) for (const name of Object.keys(c.terms)) names.at(name);
  const width = names.names.length;
  const n = candidates.length;
  const ids = new Int32Array(n);
  const scores = new Float32Array(n);
  const terms = new Float32Array(n * width);
  const golds = new Set(goldIds);
  /** @type {number[]} */
  const gold = [];
  candidates.forEach((c, i) => {
    ids[i] = c.movieId;
    scores[i] = c.score;
    for (const [name, value] of Object.entries(c.terms)) terms[i * width + names.at(name)] = value;
    if (golds.has(c.movieId)) gold.push(i);
  });
  return { ids, terms, scores, gold: Int32Array.from(gold), width };
}

/**
 * The weights as a vector in `names` order; a name without a weight gets 0.
 * @param {Weights} weights
 * @param {string[]} names
 */
function weightVector(weights, names) {
  return Float64Array.from(names, (n) => weights[n] ?? 0);
}

/**
 * Each candidate's score under `w` into `out`, leaving term `skip` out (-1: none).
 * @param {Pool & {width: number}} pool
 * @param {Float64Array} w
 * @param {Float64Array} out
 * @param {number} [skip]
 */
function scoreInto(pool, w, out, skip = -1) {
  const { terms, width } = pool;
  const n = pool.ids.length;
  const dims = Math.min(width, w.length);
  /** @type {number[]} */
  const active = [];
  for (let j = 0; j < dims; j++) if (w[j] !== 0 && j !== skip) active.push(j);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (const j of active) s += w[j] * terms[i * width + j];
    out[i] = s;
  }
  return out;
}

/**
 * The rank (0 = first) of the best-placed gold candidate given every candidate's score, or -1
 * when no gold is in the pool. Ties go to the lower movie id, as in the core.
 * @param {Pool} pool
 * @param {ArrayLike<number>} scores
 */
function rankOf(pool, scores) {
  if (pool.gold.length === 0) return -1;
  const { ids } = pool;
  let best = pool.gold[0];
  for (let g = 1; g < pool.gold.length; g++) {
    const i = pool.gold[g];
    if (scores[i] > scores[best] || (scores[i] === scores[best] && ids[i] < ids[best])) best = i;
  }
  const top = scores[best];
  const id = ids[best];
  let rank = 0;
  for (let i = 0; i < ids.length; i++) {
    if (scores[i] > top || (scores[i] === top && ids[i] < id)) rank++;
  }
  return rank;
}

/**
 * The rank (0 = first) of the best-placed gold candidate of `pool` under `w`, or -1 when no
 * gold is in the pool.
 * @param {Pool & {width: number}} pool
 * @param {Float64Array} w
 */
export function goldRank(pool, w) {
  if (pool.gold.length === 0) return -1;
  return rankOf(pool, scoreInto(pool, w, new Float64Array(pool.ids.length)));
}

/**
 * The top `k` movie ids of a pool under `weights`, best first (for checking against the core).
 * @param {Pool & {width: number}} pool
 * @param {Weights} weights
 * @param {string[]} names
 * @param {number} k
 */
export function rerank(pool, weights, names, k) {
  const w = weightVector(weights, names);
  const dims = Math.min(pool.width, w.length);
  const order = Array.from(pool.ids, (id, i) => {
    let s = 0;
    for (let j = 0; j < dims; j++) s += w[j] * pool.terms[i * pool.width + j];
    return { id, s };
  });
  order.sort((a, b) => b.s - a.s || a.id - b.id);
  return order.slice(0, k);
}

/**
 * Recall@1/10/50 of pools under `weights`.
 * @param {(Pool & {width: number})[]} pools
 * @param {Weights} weights
 * @param {string[]} names
 */
export function recallOf(pools, weights, names) {
  const w = weightVector(weights, names);
  let r1 = 0;
  let r10 = 0;
  let r50 = 0;
  for (const pool of pools) {
    const rank = goldRank(pool, w);
    if (rank < 0) continue;
    if (rank < 1) r1++;
    if (rank < 10) r10++;
    if (rank < 50) r50++;
  }
  const n = pools.length || 1;
  return { rows: pools.length, r1: r1 / n, r10: r10 / n, r50: r50 / n };
}

/**
 * The objective: the mean over sets of R@10 + 0.1 R@50, so that no set dominates.
 * @param {Record<string, (Pool & {width: number})[]>} poolsBySet
 * @param {Weights} weights
 * @param {string[]} names
 */
export function objective(poolsBySet, weights, names) {
  const sets = Object.values(poolsBySet).filter((p) => p.length);
  if (!sets.length) return 0;
  let sum = 0;
  for (const pools of sets) {
    const r = recallOf(pools, weights, names);
    sum += r.r10 + 0.1 * r.r50;
  }
  return sum / sets.length;
}

/**
 * The weights behind the core's own scores: least squares of score on terms over (a sample of)
 * the candidates, rounded to 1e-4. Names that are zero on every candidate cannot be read and are
 * left out (they do not move any ranking of these pools).
 * @param {(Pool & {width: number})[]} pools
 * @param {string[]} names
 * @returns {{weights: Weights, unread: string[], maxError: number}}
 */
export function readWeights(pools, names) {
  const t = names.length;
  const ata = Array.from({ length: t }, () => new Float64Array(t));
  const aty = new Float64Array(t);
  const nonzero = new Uint8Array(t);
  const rows = [];
  for (const pool of pools) {
    const step = Math.max(1, Math.floor(pool.ids.length / 50));
    for (let i = 0; i < pool.ids.length; i += step) {
      const x = new Float64Array(t);
      for (let j = 0; j < pool.width; j++) x[j] = pool.terms[i * pool.width + j];
      rows.push({ x, y: pool.scores[i] });
    }
  }
  for (const { x, y } of rows) {
    for (let a = 0; a < t; a++) {
      if (x[a] !== 0) nonzero[a] = 1;
      aty[a] += x[a] * y;
      for (let b = 0; b < t; b++) ata[a][b] += x[a] * x[b];
    }
  }
  const keep = names.map((_, j) => j).filter((j) => nonzero[j]);
  const m = keep.map((a) => [...keep.map((b) => ata[a][b]), aty[a]]);
  // Gaussian elimination with partial pivoting.
  for (let c = 0; c < m.length; c++) {
    let p = c;
    for (let r = c + 1; r < m.length; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = 0; r < m.length; r++) {
      if (r === c || m[c][c] === 0) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= m.length; k++) m[r][k] -= f * m[c][k];
    }
  }
  /** @type {Weights} */
  const weights = {};
  keep.forEach((j, r) => (weights[names[j]] = Math.round((m[r][m.length] / m[r][r]) * 1e4) / 1e4));
  const w = weightVector(weights, names);
  let maxError = 0;
  for (const { x, y } of rows) {
    let s = 0;
    for (let j = 0; j < t; j++) s += w[j] * x[j];
    maxError = Math.max(maxError, Math.abs(s - y));
  }
  return { weights, unread: names.filter((_, j) => !nonzero[j]), maxError };
}

/**
 * Coordinate ascent on `objective` from `start`: each weight in turn tries multiplicative steps
 * (a range of values when it is 0); the best strict improvement is kept; rounds until none.
 * While one weight moves, the other terms' part of each score is computed once.
 * @param {Record<string, (Pool & {width: number})[]>} poolsBySet
 * @param {Weights} start
 * @param {string[]} names the weights to tune (every term name seen)
 * @param {{rounds?: number, log?: (line: string) => void}} [options]
 */
export function coordinateAscent(poolsBySet, start, names, { rounds = 6, log = () => {} } = {}) {
  /** @type {Weights} */
  let weights = Object.fromEntries(names.map((n) => [n, start[n] ?? 0]));
  const sets = Object.values(poolsBySet).filter((p) => p.length);
  const bases = sets.map((pools) => pools.map((p) => new Float64Array(p.ids.length)));
  const trial = sets.map((pools) => pools.map((p) => new Float64Array(p.ids.length)));
  let best = objective(poolsBySet, weights, names);
  const first = best;
  for (let round = 0; round < rounds; round++) {
    let moved = false;
    for (const name of names) {
      const j = names.indexOf(name);
      const w = weightVector(weights, names);
      sets.forEach((pools, s) =>
        pools.forEach((p, k) => p.gold.length && scoreInto(p, w, bases[s][k], j)),
      );
      const score = (/** @type {number} */ value) => {
        let sum = 0;
        sets.forEach((pools, s) => {
          let r10 = 0;
          let r50 = 0;
          pools.forEach((p, k) => {
            if (!p.gold.length) return;
            const base = bases[s][k];
            const out = trial[s][k];
            if (j < p.width)
              for (let i = 0; i < base.length; i++)
                out[i] = base[i] + value * p.terms[i * p.width + j];
            else out.set(base);
            const rank = rankOf(p, out);
            if (rank < 10) r10++;
            if (rank < 50) r50++;
          });
          sum += (r10 + 0.1 * r50) / pools.length;
        });
        return sum / sets.length;
      };
      const v = weights[name];
      const trials = v
        ? [0, 0.25, 0.5, 0.7, 0.85, 1.15, 1.4, 2, 4].map((f) => v * f)
        : [0.01, 0.03, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2];
      /** @type {number | null} */
      let pick = null;
      for (const raw of trials) {
        const value = Math.round(raw * 1e4) / 1e4;
        if (value === v) continue;
        const got = score(value);
        if (got > best + 1e-9) ((best = got), (pick = value));
      }
      if (pick !== null) {
        weights = { ...weights, [name]: pick };
        moved = true;
        log(`${name} -> ${pick}: objective ${best.toFixed(4)}`);
      }
    }
    if (!moved) break;
  }
  return { weights, objective: best, start: first };
}
