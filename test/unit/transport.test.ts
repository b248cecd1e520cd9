// The server's stdio writer: whole messages, one write per turn of the event loop, in order, and
// read back by vscode-jsonrpc's own reader.
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { test } from 'node:test';
import { StreamMessageReader, type Message } from 'vscode-languageserver/node';
import { BatchingMessageWriter } from '../../server/src/lsp/transport';

test('messages written in one turn go out in one write, and the protocol reader reads them back in order', async () => {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  const writer = new BatchingMessageWriter(stream);
  const sent: Message[] = [
    { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///a/settings.py', diagnostics: [{ message: 'DEBUG is on: “ünïcode” 🙂' }] } } as Message,
    { jsonrpc: '2.0', method: 'djangoReadiness/status', params: { findings: 1, files: 1, analysisMs: 0.4 } } as Message,
    { jsonrpc: '2.0', id: 7, result: null } as Message,
  ];
  await Promise.all(sent.map((m) => writer.write(m)));
  assert.equal(chunks.length, 1, 'one write for the three messages');
  await writer.write({ jsonrpc: '2.0', method: 'later' } as Message);
  assert.equal(chunks.length, 2, 'a message of a later turn is a write of its own');

  const replay = new PassThrough();
  const reader = new StreamMessageReader(replay);
  const received: Message[] = [];
  reader.listen((m) => received.push(m));
  for (const c of chunks) replay.write(c);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(received, [...sent, { jsonrpc: '2.0', method: 'later' }]);
  reader.dispose();
});

test('a failed write rejects the messages it carried and is reported as an error of the writer', async () => {
  const failing = new Writable({ write: (_chunk, _enc, done) => done(new Error('EPIPE')) });
  failing.on('error', () => undefined);
  const writer = new BatchingMessageWriter(failing);
  const errors: Error[] = [];
  writer.onError(([err]) => errors.push(err));
  const results = await Promise.allSettled([writer.write({ jsonrpc: '2.0', method: 'a' } as Message), writer.write({ jsonrpc: '2.0', method: 'b' } as Message)]);
  assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
  assert.ok(errors.length >= 1);
  assert.match(errors[0]!.message, /EPIPE/);
});
