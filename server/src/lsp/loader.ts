// The entry point of the language server (server/out/server.js) and of the CLI (server/out/cli.js):
// compiles the real program (server-main.js from server.ts, cli-main.js from cli.ts) with V8's code
// cache and runs it. It imports only
// Node built-ins and codeCache.ts, so it costs next to nothing before the server itself starts.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { cacheDir, cacheFile, type CodeCacheHook, type CodeCacheState, HOOK_KEY, readCache, writeCache } from './codeCache';

// The build defines which program this loader starts (server-main.js or cli-main.js).
const program = process.env.DJR_PROGRAM || 'server';
const main = join(__dirname, `${program}-main.js`);
// A CLI run lasts about a second. V8's optimising compiler, inlining callees into each hot
// function, spent 0.6-0.7 s of CPU on the second core of a two-core machine during a one-second
// scan, where the garbage collector's helpers also run, for code used a few hundred milliseconds:
// without inlining the scan of a 3,500-module project used 20% less CPU and ended 8-15% sooner
// (docs/performance.md, session 12). The long-running server keeps V8's defaults. Set before
// anything is compiled (the code cache is made and used under the same flags); a command line
// that names inlining itself (`node --turbo-inlining server/out/cli.js ...`) is left as it is.
// (node:v8 is required here, not imported: loading it costs the server's start a millisecond.)
if (program === 'cli' && !process.execArgv.some((arg) => arg.includes('inlining'))) (require('node:v8') as typeof import('node:v8')).setFlagsFromString('--no-turbo-inlining');
const source = readFileSync(main, 'utf8');
// The build defines the bundle's hash; computed here only when built some other way.
const hash = process.env.DJR_BUNDLE_HASH || createHash('sha256').update(source).digest('hex');
const dir = cacheDir();
const file = dir ? cacheFile(dir, hash, source.length, program) : undefined;
const cached = file ? readCache(file) : undefined;
// The CommonJS wrapper on a line of its own (lineOffset -1), so positions match the source map.
const script = new Script(`(function (exports, require, module, __filename, __dirname) {\n${source}\n})`, { filename: main, lineOffset: -1, cachedData: cached?.data });
const state: CodeCacheState = !file ? 'off' : !cached ? 'miss' : script.cachedDataRejected ? 'rejected' : 'hit';
// What is on disk now is as good as what this start could write: a complete cache, or a partial one.
let written: 'none' | 'partial' | 'complete' = state === 'off' ? 'complete' : state === 'hit' ? (cached!.complete ? 'complete' : 'partial') : 'none';
const hook: CodeCacheHook = {
  state,
  complete: state === 'hit' && cached!.complete,
  save(complete) {
    if (!file || written === 'complete' || (!complete && written === 'partial')) return undefined;
    written = complete ? 'complete' : 'partial';
    try {
      writeCache(file, script.createCachedData(), complete);
      return `written to ${file}${complete ? '' : ' (partial: no full analysis ran)'}`;
    } catch (err) {
      return `not written (${err instanceof Error ? err.message : String(err)})`;
    }
  },
};
(globalThis as Record<symbol, unknown>)[HOOK_KEY] = hook;
const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string, dirname: string) => void;
const mod = { exports: {} };
run.call(mod.exports, mod.exports, createRequire(main), mod, main, __dirname);
