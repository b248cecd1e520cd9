// Loads the web-tree-sitter runtime and our grammars once per process. The wasm files live in
// `grammars/` at the extension root (committed, see grammars/GRAMMARS.json) and the runtime's own
// wasm is copied next to the bundle at build time; both are found by walking up from this file so
// the same code works bundled (server/out), in tests (out-test/...) and from the CLI.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

export type GrammarName = 'python' | 'requirements';

let runtime: Promise<void> | undefined;
const languages = new Map<GrammarName, Promise<Language>>();
const loaded = new Map<GrammarName, Language>();

function findUp(relative: string): string | undefined {
  let dir = __dirname;
  for (;;) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function runtimeWasm(): string {
  const found = findUp('web-tree-sitter.wasm') ?? findUp('node_modules/web-tree-sitter/web-tree-sitter.wasm');
  if (!found) throw new Error('web-tree-sitter.wasm not found next to the server bundle; run `npm run build`');
  return found;
}

/**
 * The runtime's Emscripten module. web-tree-sitter initialises Emscripten with the options object it
 * is given, and Emscripten makes that object the module (exports and memory views land on it); the
 * tree copy (syntax.ts) calls the cursor exports directly through it. Undefined until initialised.
 */
let emscriptenModule: Record<string, unknown> | undefined;

export function runtimeModule(): Record<string, unknown> | undefined {
  return emscriptenModule;
}

export function initRuntime(): Promise<void> {
  if (!runtime) {
    // The runtime's bytes are handed over read (Emscripten would read them asynchronously first).
    const options: Record<string, unknown> = { locateFile: () => runtimeWasm(), wasmBinary: readFileSync(runtimeWasm()) };
    runtime = Parser.init(options).then(() => {
      emscriptenModule = options;
    });
  }
  return runtime;
}

/** The WebAssembly API (Node has it; the compiler's libraries here do not declare it). */
const wasmApi = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<unknown> } }).WebAssembly;

export function loadLanguage(name: GrammarName): Promise<Language> {
  let lang = languages.get(name);
  if (!lang) {
    const wasm = findUp(join('grammars', `tree-sitter-${name}.wasm`));
    // The grammar compiles (on V8's background threads) while the runtime starts: only linking it
    // into the runtime has to wait (Language.load would compile it after the runtime is up).
    const compiled = wasm ? wasmApi.compile(readFileSync(wasm)) : Promise.reject(new Error(`grammars/tree-sitter-${name}.wasm not found`));
    lang = Promise.all([initRuntime(), compiled]).then(([, module]) => {
      const l = Language.loadSync(module as Parameters<typeof Language.loadSync>[0]);
      loaded.set(name, l);
      return l;
    });
    languages.set(name, lang);
  }
  return lang;
}

const builds = new Map<GrammarName, string>();

/**
 * The exact build of a grammar and of the runtime (a hash of both wasm files): trees kept on disk
 * (parseCache.ts) are valid only for the build that made them.
 */
export function grammarBuild(name: GrammarName): string {
  let build = builds.get(name);
  // The build script hashes them into the bundle (scripts/build.mjs): no wasm read at start-up.
  if (!build && process.env.DJR_GRAMMAR_BUILDS) build = (JSON.parse(process.env.DJR_GRAMMAR_BUILDS) as Record<string, string>)[name];
  if (!build) {
    const wasm = findUp(join('grammars', `tree-sitter-${name}.wasm`));
    if (!wasm) throw new Error(`grammars/tree-sitter-${name}.wasm not found`);
    build = createHash('sha1').update(readFileSync(wasm)).update(readFileSync(runtimeWasm())).digest('hex');
    builds.set(name, build);
  }
  return build;
}

/** A parser for one language. Parsers are cheap; a failed one (wasm abort) is simply replaced. */
export async function createParser(name: GrammarName): Promise<Parser> {
  const language = await loadLanguage(name);
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/** Synchronous replacement for a parser that failed; its language is already loaded. */
export function recreateParser(name: GrammarName): Parser {
  const language = loaded.get(name);
  if (!language) throw new Error(`grammar ${name} not loaded`);
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}
