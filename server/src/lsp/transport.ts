// The server's stdio transport. vscode-jsonrpc's stream writer writes a message's header and its
// body separately, each waiting for the other (two system calls per message, and stdout is a
// synchronous pipe on Linux); a keystroke's round sends the edited file's diagnostics and the
// status, so four writes. Profiled over 300 keystrokes, those writes were a third of the server's
// time per keystroke. This writer encodes each message whole and sends every message written in
// the same turn of the event loop with one write.
import { format } from 'node:util';
import type { Message, MessageWriter } from 'vscode-languageserver/node';

// A plain require, like server.ts: an ES import copies the package's exports at start-up.
const { AbstractMessageWriter } = require('vscode-languageserver/node') as typeof import('vscode-languageserver/node');

export class BatchingMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private pending: Buffer[] = [];
  private settle: { resolve: () => void; reject: (err: Error) => void; message: Message }[] = [];
  private errors = 0;

  constructor(private readonly stream: NodeJS.WritableStream) {
    super();
    stream.on('error', (err: Error) => this.fireError(err));
    stream.on('close', () => this.fireClose());
  }

  write(message: Message): Promise<void> {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.pending.push(Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body);
    return new Promise((resolve, reject) => {
      if (this.settle.length === 0) process.nextTick(() => this.flush());
      this.settle.push({ resolve, reject, message });
    });
  }

  private flush(): void {
    const data = Buffer.concat(this.pending);
    const settle = this.settle;
    this.pending = [];
    this.settle = [];
    try {
      this.stream.write(data, (err?: Error | null) => {
        for (const s of settle) {
          if (err) s.reject(err);
          else s.resolve();
        }
        if (err) this.fireError(err, settle[0]?.message, ++this.errors);
      });
    } catch (err) {
      for (const s of settle) s.reject(err as Error);
      this.fireError(err, settle[0]?.message, ++this.errors);
    }
  }

  end(): void {
    this.stream.end();
  }
}

/**
 * What `createConnection` reads and writes when the server was started with --stdio: stdin as a
 * stream (so the connection still ends the process when the client closes it) and stdout through
 * a BatchingMessageWriter.
 */
export function stdioTransport(argv: string[]): { input: NodeJS.ReadableStream; output: BatchingMessageWriter } | undefined {
  if (!argv.includes('--stdio')) return undefined;
  return { input: process.stdin, output: new BatchingMessageWriter(process.stdout) };
}

/**
 * Sends what the program writes with `console` to the client's log instead of stdout, which
 * carries the protocol (vscode-languageserver does this itself only for the transports it makes).
 */
export function consoleToClient(log: { log(m: string): void; info(m: string): void; warn(m: string): void; error(m: string): void }): void {
  console.log = (...args: unknown[]) => log.log(format(...args));
  console.info = (...args: unknown[]) => log.info(format(...args));
  console.debug = (...args: unknown[]) => log.log(format(...args));
  console.warn = (...args: unknown[]) => log.warn(format(...args));
  console.error = (...args: unknown[]) => log.error(format(...args));
  console.trace = (...args: unknown[]) => log.log(format(...args));
  console.dir = (obj: unknown) => log.log(format(obj));
}
