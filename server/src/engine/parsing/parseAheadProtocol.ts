// What the main thread and a parse worker share (parseAhead.ts, parseWorker.ts): one status word
// per text in a SharedArrayBuffer. Whoever moves a text out of QUEUED parses it.
export const QUEUED = 0;
export const CLAIMED_BY_WORKER = 1;
export const DONE = 2;
export const CLAIMED_BY_MAIN = 3;

export interface ParseAheadJob {
  texts: string[];
  /** Int32 status words, one per text. */
  status: SharedArrayBuffer;
}
