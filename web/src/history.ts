// The chat history and conversation state, kept in IndexedDB across reloads.
import type { AskResult, ConversationState } from './protocol';

export type Entry =
  | { role: 'user'; text: string; at: number }
  | {
      role: 'bot';
      answer: AskResult;
      llm?: { text: string; titles: string[] } | null;
      note?: string;
      at: number;
    };

/** A message sent but not answered yet (the engine was loading, or could not start). */
export interface QueuedMessage {
  text: string;
  /** A card's feedback button: the movie goes into the state when the message is asked. */
  feedback?: { kind: 'liked' | 'disliked' | 'seen'; movieId: number };
}

export interface Saved {
  entries: Entry[];
  state: ConversationState | undefined;
  lang?: 'en' | 'ko';
  /** The encoder the person chose (the page's Precise toggle). */
  encoder?: 'static' | 'transformer';
  /** Messages still waiting for an answer, oldest first. */
  queued?: QueuedMessage[];
}

const DB = 'cinerag';
const STORE = 'chat';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function run<T>(
  mode: IDBTransactionMode,
  f: (s: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await open();
  return new Promise<T>((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const req = f(tx.objectStore(STORE));
    tx.oncomplete = () => (db.close(), resolve(req.result));
    tx.onerror = () => (db.close(), reject(tx.error));
    // Over quota the transaction aborts (QuotaExceededError), which fires no error on some paths.
    tx.onabort = () => (db.close(), reject(tx.error ?? new Error('storage transaction aborted')));
  });
}

/** key: one history per embedding context (the page, or a widget's catalogue). */
export async function load(key: string): Promise<Saved> {
  try {
    return (
      ((await run('readonly', (s) => s.get(key))) as Saved | undefined) ?? {
        entries: [],
        state: undefined,
      }
    );
  } catch {
    return { entries: [], state: undefined }; // private mode without IndexedDB: no history
  }
}

/** False when the history could not be kept (no IndexedDB, storage full): the chat goes on. */
export async function save(key: string, saved: Saved): Promise<boolean> {
  try {
    await run('readwrite', (s) => s.put(saved, key));
    return true;
  } catch {
    return false;
  }
}

export async function clear(key: string): Promise<void> {
  try {
    await run('readwrite', (s) => s.delete(key));
  } catch {
    /* nothing kept */
  }
}
