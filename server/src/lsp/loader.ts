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
