// Entry point of the extension-host suite: VS Code loads this file as `extensionTestsPath` and calls
// run(). It runs mocha programmatically, writes a machine-readable result to $DJR_VSCODE_RESULT
// (scripts/test-vscode.mjs reads and prints it) and rejects when any test failed or none ran, which
// makes the extension host exit with a non-zero code.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export interface TestRecord {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export interface SuiteResult {
  done: boolean;
  vscodeVersion: string;
  mode: string;
  tests: TestRecord[];
  passes: number;
  failures: number;
  pending: number;
  error?: string;
}

function writeResult(result: SuiteResult): void {
  const file = process.env.DJR_VSCODE_RESULT;
  if (!file) return;
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(result, null, 2));
  fs.renameSync(tmp, file);
}

export async function run(): Promise<void> {
  const result: SuiteResult = {
    done: false,
    vscodeVersion: vscode.version,
    mode: process.env.DJR_VSCODE_MODE ?? 'dev',
    tests: [],
    passes: 0,
    failures: 0,
    pending: 0,
  };
  writeResult(result);
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 90_000, reporter: 'spec' });
  const grep = process.env.DJR_VSCODE_GREP;
  if (grep) mocha.grep(grep);
  for (const name of fs.readdirSync(__dirname).sort()) {
    if (name.endsWith('.test.js')) mocha.addFile(path.join(__dirname, name));
  }
  try {
    await mocha.loadFilesAsync();
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('pass', (t) => result.tests.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration }));
      runner.on('pending', (t) => result.tests.push({ title: t.fullTitle(), state: 'pending' }));
      runner.on('fail', (t, err: Error) =>
        result.tests.push({ title: t.fullTitle(), state: 'failed', durationMs: t.duration, error: err?.stack ?? String(err) }),
      );
    });
  } catch (e) {
    result.error = e instanceof Error ? (e.stack ?? e.message) : String(e);
  }
  result.passes = result.tests.filter((t) => t.state === 'passed').length;
  result.failures = result.tests.filter((t) => t.state === 'failed').length;
  result.pending = result.tests.filter((t) => t.state === 'pending').length;
  result.done = true;
  writeResult(result);
  if (result.error) throw new Error(`suite crashed: ${result.error}`);
  if (result.failures > 0) throw new Error(`${result.failures} test(s) failed`);
  if (result.passes === 0) throw new Error('no test ran');
}
