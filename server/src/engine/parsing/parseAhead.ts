// Parsing ahead on another core. A workspace scan parses a few hundred modules, one after the
// other, on the main thread, interleaved with evaluation and rules; on a 2-core machine the other
// core sits idle. When the files a scan will need are known early (the modules the view index
// parses up front are picked by text), a worker thread parses them while the main thread evaluates
// the settings, and hands each tree over as a flat Int32Array (transferred, not copied; turning it
// into SyntaxNodes costs a fraction of a parse).
//
// The analysis is synchronous, so results are not awaited through the event loop: each text has a
// status word in shared memory; the main thread claims a text nobody started and parses it itself,
// waits (Atomics.wait) for one the worker is parsing, and dequeues finished trees with
// receiveMessageOnPort. A worker that fails to start or to parse only means the main thread parses.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { MessagePort, Worker } from 'node:worker_threads';
import type { FlatTree } from './syntax';
import { CLAIMED_BY_MAIN, CLAIMED_BY_WORKER, QUEUED } from './parseAheadProtocol';

function workerThreads(): typeof import('node:worker_threads') {
  return require('node:worker_threads') as typeof import('node:worker_threads');
}

function workerScript(): string | undefined {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    for (const candidate of [join(dir, 'parse-worker.js'), join(dir, 'server', 'out', 'parse-worker.js')]) if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

interface Posted {
  index: number;
  buffer?: ArrayBuffer;
  nodes?: number;
  error?: string;
}

export class ParseAhead {
  private readonly jobs = new Map<string, { index: number; text: string }>();
  private readonly received = new Map<number, Posted>();
  private readonly slots: Int32Array;
  private stats = { fromWorker: 0, byMain: 0, waitedMs: 0 };

  private constructor(
    files: { path: string; text: string }[],
    private readonly worker: Worker,
    private readonly port: MessagePort,
    status: SharedArrayBuffer,
  ) {
    files.forEach((f, index) => this.jobs.set(f.path, { index, text: f.text }));
    this.slots = new Int32Array(status);
  }

  /** Starts a worker on these files; undefined when no worker can run (then nothing changes). */
  static start(files: { path: string; text: string }[]): ParseAhead | undefined {
    const script = workerScript();
    if (!script || files.length === 0) return undefined;
    try {
      // Loaded on first use: the module costs a few milliseconds of every server start otherwise.
      const { MessageChannel, Worker } = workerThreads();
      const status = new SharedArrayBuffer(files.length * 4);
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(script, { workerData: { texts: files.map((f) => f.text), status, port: port2 }, transferList: [port2] });
      // Neither keeps the process alive: the CLI exits when its analysis is done.
      worker.unref();
      worker.on('error', () => undefined);
      return new ParseAhead(files, worker, port1, status);
    } catch {
      return undefined;
    }
  }

  /**
   * The worker's tree for `path` if it was given this very text: waits while the worker is
   * parsing it, and returns undefined (the caller parses) when the worker has not started it,
   * failed, or was not given it.
   */
  take(path: string, text: string): FlatTree | undefined {
    const job = this.jobs.get(path);
    if (!job) return undefined;
    this.jobs.delete(path);
    if (Atomics.compareExchange(this.slots, job.index, QUEUED, CLAIMED_BY_MAIN) === QUEUED) {
      this.stats.byMain++;
      return undefined;
    }
    const started = performance.now();
    // A worker that died mid-parse never marks it done: after a generous wait, parse here.
    while (Atomics.load(this.slots, job.index) === CLAIMED_BY_WORKER && performance.now() - started < 10_000) Atomics.wait(this.slots, job.index, CLAIMED_BY_WORKER, 1000);
    this.stats.waitedMs += performance.now() - started;
    if (Atomics.load(this.slots, job.index) === CLAIMED_BY_WORKER) return undefined;
    let posted = this.received.get(job.index);
    while (!posted) {
      const m = workerThreads().receiveMessageOnPort(this.port);
      if (!m) return undefined;
      const message = m.message as Posted;
      if (message.index === job.index) posted = message;
      else this.received.set(message.index, message);
    }
    this.received.delete(job.index);
    if (!posted.buffer || job.text !== text) return undefined;
    this.stats.fromWorker++;
    return { words: new Int32Array(posted.buffer), nodes: posted.nodes! };
  }

  /** Has the worker finished (or skipped) every text? */
  settled(): boolean {
    for (let i = 0; i < this.slots.length; i++) {
      const state = Atomics.load(this.slots, i);
      if (state === QUEUED || state === CLAIMED_BY_WORKER) return false;
    }
    return true;
  }

  /** How many trees came from the worker, how many the main thread parsed itself, and ms waited. */
  get counts(): { fromWorker: number; byMain: number; waitedMs: number } {
    return { ...this.stats, waitedMs: Math.round(this.stats.waitedMs) };
  }

  /** Stops the worker and drops what it parsed that nobody asked for. */
  dispose(): void {
    // Texts still queued are claimed so the worker skips them and finishes.
    for (let i = 0; i < this.slots.length; i++) Atomics.compareExchange(this.slots, i, QUEUED, CLAIMED_BY_MAIN);
    this.jobs.clear();
    this.received.clear();
    this.port.close();
    void this.worker.terminate();
  }
}
