// The messages between the page (or the widget) and the engine worker:
// {id, action, ...} -> {id, result | error}; the worker also sends {progress} while it loads.
import type { ConversationState, RecommendResponse } from '../../wasm/bindings/cinerag_core';
import type { Turn } from './request';

export type { ConversationState, RecommendResponse, Turn };

/** The code of the error a request gets when the worker died under it (it was not answered). */
export const ENGINE_DIED = 'engine_died';

/** The sentence encoders: the core's static one (default) or the transformer ("precise"). */
export type EncoderName = 'static' | 'transformer';

export type Request =
  // assetBase: URL of the staged assets/; catalogueUrl: another catalogue (the widget's attribute)
  | {
      id: number;
      action: 'init';
      assetBase: string;
      catalogueUrl?: string;
      encoder?: EncoderName;
    }
  // The encoder of the next answers; the transformer is downloaded the first time.
  | { id: number; action: 'setEncoder'; encoder: EncoderName }
  | {
      id: number;
      action: 'ask';
      /** The conversation as the chat shows it, oldest first; the last user turn is the message. */
      turns: Turn[];
      state?: Partial<ConversationState>;
      lang?: 'en' | 'ko';
      k?: number;
    }
  | { id: number; action: 'tokenize'; text: string };

export interface InitResult {
  kernel: string;
  unicode: string;
  vocabSize: number;
  movieCount: number;
  newestYear: number;
  encoder: EncoderName;
  /** The transformer's threads (1 until it runs). */
  threads: number;
  /** Where the start-up went, in ms from the init request (each step ends at its figure). */
  startup: StartupTimes;
}

export interface StartupTimes {
  /** The core's module compiled (it streams while the rest downloads). */
  compiled: number;
  /** Every asset downloaded and checked against assets.json. */
  downloaded: number;
  /** The module instantiated. */
  instantiated: number;
  /** The catalogue opened and the recommender built. */
  opened: number;
  /** The static encoder loaded: ready. */
  ready: number;
}

export interface TokenizeResult {
  ids: number[];
  pieces: string[];
  /** The transformer's embedding of the message (512 values), or null: no tokens, or the
   * transformer not loaded. */
  embedding: number[] | null;
}

export interface AskResult extends RecommendResponse {
  /** The encoder that embedded the message. */
  encoder: EncoderName;
  /** Milliseconds inside the worker: tokenize + embed + recommend. */
  ms: number;
}

/** One asset's download progress: bytes so far of bytes in all. */
export interface Progress {
  progress: { name: string; loaded: number; total: number; done: boolean };
}

export type Response =
  | { id: number; result: InitResult | TokenizeResult | AskResult | { encoder: EncoderName } }
  | { id: number; error: string; code?: string }
  | Progress;
