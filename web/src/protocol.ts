// The messages between the page (or the widget) and the engine worker:
// {id, action, ...} -> {id, result | error}; the worker also sends {progress} while it loads.
import type { ConversationState, RecommendResponse } from '../../wasm/bindings/cinerag_core';
import type { Turn } from './request';

export type { ConversationState, RecommendResponse, Turn };

export type Request =
  // assetBase: URL of the staged assets/; catalogueUrl: another catalogue (the widget's attribute)
  | { id: number; action: 'init'; assetBase: string; catalogueUrl?: string }
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
  threads: number;
}

export interface TokenizeResult {
  ids: number[];
  pieces: string[];
  /** The message's sentence embedding (512 values), or null for a message with no tokens. */
  embedding: number[] | null;
}

export interface AskResult extends RecommendResponse {
  /** Milliseconds inside the worker: tokenize + embed + recommend. */
  ms: number;
}

/** One asset's download progress: bytes so far of bytes in all. */
export interface Progress {
  progress: { name: string; loaded: number; total: number; done: boolean };
}

export type Response =
  | { id: number; result: InitResult | TokenizeResult | AskResult }
  | { id: number; error: string; code?: string }
  | Progress;
