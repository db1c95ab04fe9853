// The typed interface of build/wasm/cinerag_core.mjs (hand-written; bindings/core_bindings.cpp).
// Every fallible call returns the one error shape, CoreError ({error, code}; `ask` returns it as
// JSON), instead of throwing; null and '' mean only "there is none" (movie, meta). Embind objects (Tokenizer,
// Catalogue) hold core memory: call delete() when done.

export type ErrorCode =
  | 'invalid_argument'
  | 'empty'
  | 'not_a_database'
  | 'corrupt'
  | 'wrong_schema'
  | 'unsupported_version'
  | 'io'
  | 'internal';

export interface CoreError {
  error: string;
  code: ErrorCode;
}

export interface SearchOptions {
  k: number;
  kernel: 'auto' | 'scalar' | 'simd';
}

export interface MovieRecord {
  movieId: number;
  title: string;
  year: number; // 0 when unknown
  genres: string; // '|'-separated
  originalTitle: string;
  overview: string;
  posterPath: string;
}

export interface Tokenizer {
  /** vocab.json bytes; replaces any vocabulary loaded before. */
  load(vocab: Uint8Array): { ok: true; vocabSize: number } | CoreError;
  /** Token ids (a fresh array); CoreError before load(). */
  encode(text: string): Int32Array | CoreError;
  piece(id: number): string;
  delete(): void;
}

export interface Catalogue {
  /** The SQLite file's bytes, copied once into the core; replaces any catalogue loaded before. */
  load(
    bytes: Uint8Array,
  ): { ok: true; movieCount: number; dims: number; schemaVersion: number } | CoreError;
  /** Nearest movies to a unit query vector of `dims` values, best first. */
  search(
    query: Float32Array,
    options: SearchOptions,
  ): { movieIds: Float64Array; scores: Float32Array } | CoreError;
  /** BM25 over titles, original titles, overviews and keywords; plain words, no FTS syntax. */
  searchText(
    text: string,
    limit: number,
  ): { movieIds: Float64Array; bm25: Float64Array } | CoreError;
  movie(movieId: number): MovieRecord | null;
  meta(key: string): string;
  delete(): void;
}

export interface SentimentReading {
  label: 'positive' | 'negative' | 'neutral';
  /** Confidence in `label`, 0..1. */
  score: number;
  pPositive: number;
  /** The model that read it: Hangul routes to Korean. */
  lang: 'en' | 'ko';
}

export interface Sentiment {
  /** The two model files (models/sentiment-en.bin, models/sentiment-ko.bin). */
  load(en: Uint8Array, ko: Uint8Array): { ok: true } | CoreError;
  /** CoreError before load(). Any text gets an answer; empty text is neutral. */
  classify(text: string): SentimentReading | CoreError;
  delete(): void;
}

/** The conversation state the caller keeps between messages (plain JSON). */
export interface ConversationState {
  liked: number[];
  disliked: number[];
  seen: number[];
  mentioned: number[];
  lastResults: number[];
}

export interface RecommendRequest {
  /** The conversation so far; the last user turn is the message. Or `text` for one message. */
  turns?: { role: 'user' | 'assistant'; text: string }[];
  text?: string;
  state?: Partial<ConversationState>;
  /** Results wanted, 1..100 (default 5). */
  k?: number;
  /** Answer language; from the message when absent. */
  lang?: 'en' | 'ko';
  weights?: Partial<Record<WeightField, number>>;
  /** The per-message tunables of recommend/tuning.h (camelCase), e.g. {perSource: 300}. */
  tuning?: Partial<Record<TuningField, number>>;
  /** Also return every selectable candidate with its fusion terms (for the evaluation's tuner). */
  candidates?: boolean;
}

/** The fusion weights of recommend/tuning.h. */
export type WeightField =
  | 'item'
  | 'collab'
  | 'query'
  | 'text'
  | 'prior'
  | 'genre'
  | 'dislike'
  | 'corated'
  | 'dialogue'
  | 'people'
  | 'franchise'
  | 'suggested';

export type TuningField =
  | 'perSource'
  | 'recentLiked'
  | 'recentContext'
  | 'textHits'
  | 'mixPopularity'
  | 'mixQuality'
  | 'ratedMixPopularity'
  | 'ratedMixQuality'
  | 'dislikeCutoff'
  | 'confidenceLikedBase'
  | 'confidenceLikedGain'
  | 'confidenceConstraints'
  | 'confidenceTextBase'
  | 'confidenceTextGain'
  | 'minConfidence'
  | 'reasonItemMin'
  | 'reasonCollabMin';

export interface RecommendResult {
  movieId: number;
  title: string;
  year: number;
  genres: string[];
  /** The fused ranking score. */
  score: number;
  /** Cosine to the closest reference (a liked movie or the message), 0..1. */
  similarity: number;
  why: string;
  posterPath: string;
  overview: string;
}

export interface RecommendResponse {
  lang: 'en' | 'ko';
  sentiment: { label: 'positive' | 'negative' | 'neutral'; score: number };
  /** Films named in the conversation; `inMessage`: named in the message this answers. */
  mentioned: {
    movieId: number;
    title: string;
    year: number;
    surface: string;
    fromUser: boolean;
    inMessage: boolean;
    liked: boolean | null;
  }[];
  /** People the message names ("Tom Hanks movies"); their films lead the results. */
  people: { name: string; role: 'director' | 'cast' | 'any' }[];
  results: RecommendResult[];
  /** The constraints read from the message, e.g. ["90s", "Comedy", "no Horror"]. */
  constraints: string[];
  /** true: the catalogue had nothing good enough; ask the LLM (through the proxy). */
  fallback: boolean;
  fallbackReason: '' | 'newer_than_catalogue' | 'too_few_matches' | 'low_confidence';
  confidence: number;
  /** "You feel positive (0.98) about 'Titanic'." when the person named movies, else ''. */
  intro: string;
  /** The whole text the person reads (the intro first). */
  answer: string;
  state: ConversationState;
  /** With `candidates: true`: every selectable candidate, best first; score = sum of weight * term. */
  candidates?: { movieId: number; score: number; terms: Record<string, number> }[];
}

export interface Recommender {
  /** The catalogue's SQLite bytes and the two sentiment models. */
  load(catalogue: Uint8Array, en: Uint8Array, ko: Uint8Array):
    | { ok: true; movieCount: number; dims: number; newestYear: number }
    | CoreError;
  /**
   * The static sentence encoder (vocab.json and static-en.bin bytes): after this, ask() with a
   * null embedding embeds the message in the core.
   */
  useEncoder(vocab: Uint8Array, model: Uint8Array): { ok: true; dims: number } | CoreError;
  /**
   * One call per message: `request` is JSON (RecommendRequest), `embedding` the transformer's
   * vector of the user's text (dims values), or null: the static encoder's then (useEncoder), or
   * none. Returns JSON: RecommendResponse or CoreError.
   */
  ask(request: string, embedding: Float32Array | null): string;
  meta(key: string): string;
  delete(): void;
}

/** The core's static sentence encoder on its own (the recommender holds its own copy). */
export interface StaticEncoder {
  /** vocab.json and static-en.bin bytes. */
  load(vocab: Uint8Array, model: Uint8Array): { ok: true; dims: number } | CoreError;
  /** The text's unit vector (dims values), or null when it has no pieces. */
  embed(text: string): Float32Array | null;
  delete(): void;
}

export interface CineragCore {
  Recommender: { new (): Recommender };
  StaticEncoder: { new (): StaticEncoder };
  Tokenizer: { new (): Tokenizer };
  Sentiment: { new (): Sentiment };
  Catalogue: { new (): Catalogue };
  /** 'wasm-simd128' in this build. */
  kernelName(): string;
  unicodeVersion(): string;
}

export interface CoreModuleOptions {
  /** The .wasm bytes (Node); in browsers the module fetches cinerag_core.wasm beside itself. */
  wasmBinary?: ArrayBuffer | Uint8Array;
  locateFile?: (path: string, prefix: string) => string;
}

export default function createCineragCore(options?: CoreModuleOptions): Promise<CineragCore>;
