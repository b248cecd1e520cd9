// A parse worker (built as server/out/parse-worker.js): parses the texts it was started with, in
// order, skipping any the main thread has claimed, and posts each result as a flat tree whose
// buffer is transferred, not copied. See parseAhead.ts for the protocol.
import { workerData, type MessagePort } from 'node:worker_threads';
import { createParser } from './grammars';
import { flattenTree } from './syntax';
import { CLAIMED_BY_WORKER, DONE, QUEUED, type ParseAheadJob } from './parseAheadProtocol';

const { texts, status, port } = workerData as ParseAheadJob & { port: MessagePort };
const slots = new Int32Array(status);

void createParser('python').then((parser) => {
  for (let i = 0; i < texts.length; i++) {
    if (Atomics.compareExchange(slots, i, QUEUED, CLAIMED_BY_WORKER) !== QUEUED) continue;
    try {
      const tree = parser.parse(texts[i]!);
      if (!tree) throw new Error('parser returned no tree');
      try {
        const flat = flattenTree(tree, texts[i]!, (sample) => parser.parse(sample) ?? undefined);
        const buffer = flat.words.buffer as ArrayBuffer;
        port.postMessage({ index: i, buffer, nodes: flat.nodes }, [buffer]);
      } finally {
        tree.delete();
      }
    } catch (err) {
      // The main thread parses this one itself.
      port.postMessage({ index: i, error: err instanceof Error ? err.message : String(err) });
    }
    // Posted before it is marked done, so the main thread finds the message when it sees DONE.
    Atomics.store(slots, i, DONE);
    Atomics.notify(slots, i);
  }
  port.close();
});
