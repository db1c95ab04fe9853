// The messages between the page and the engine worker: {id, action, ...} -> {id, result | error}.

export type Request =
  | { id: number; action: 'init'; assetBase: string } // assetBase: URL of the staged assets/
  | { id: number; action: 'tokenize'; text: string };

export interface InitResult {
  kernel: string;
  unicode: string;
  vocabSize: number;
}

export interface TokenizeResult {
  ids: number[];
  pieces: string[];
  /** The message's sentence embedding (512 values), or null for a message with no tokens. */
  embedding: number[] | null;
}

export type Response =
  | { id: number; result: InitResult | TokenizeResult }
  | { id: number; error: string; code?: string };
