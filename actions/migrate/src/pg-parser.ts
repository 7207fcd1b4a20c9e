// The PostgreSQL parser (libpg_query compiled to WebAssembly, from the libpg-query package), loaded here rather
// than through the package's own entry point: that one finds its .wasm file through __dirname, which an ES module
// bundle does not have. The binary is read by parser-wasm.mjs (so ncc ships it next to the bundle), and handed
// to the Emscripten factory through its instantiateWasm hook.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { readParserWasm } from './parser-wasm.mjs';

interface WasmModule {
  lengthBytesUTF8(s: string): number;
  stringToUTF8(s: string, ptr: number, len: number): void;
  UTF8ToString(ptr: number): string;
  getValue(ptr: number, type: 'i32'): number;
  _malloc(n: number): number;
  _free(ptr: number): void;
  _wasm_parse_query_raw(ptr: number): number;
  _wasm_free_parse_result(ptr: number): void;
  _wasm_scan(ptr: number): number;
  _wasm_parse_plpgsql(ptr: number): number;
  _wasm_free_string(ptr: number): void;
}

export class ParseError extends Error {
  /** 0-based character offset of the error in the parsed text (PostgreSQL counts characters here). */
  readonly cursorPosition: number;
  constructor(message: string, cursorPosition: number) {
    super(message);
    this.cursorPosition = cursorPosition;
  }
}

export interface ParseTree {
  stmts?: { stmt: Record<string, any>; stmt_location?: number; stmt_len?: number }[];
}

/** The global WebAssembly API (this project's TypeScript lib settings do not declare it). */
const wasmApi = () =>
  (
    globalThis as unknown as {
      WebAssembly: { instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: object }> };
    }
  ).WebAssembly;

/**
 * V8 flags that keep the parser on its baseline (Liftoff) code: no tier-up to the optimising compiler.
 *
 * Why: on Node 24 the parser's largest function (the grammar's state machine) becomes hot within one folder's parse,
 * and V8 starts optimising it in a background thread; that compile takes seconds (2 s on a quiet 2-core machine, 12 s
 * on a loaded one) and the process cannot exit until it ends — not even through process.exit(). The optimised code
 * would arrive too late to be used. Both flags are needed: without dynamic tiering (no hotness counting), V8 tiers
 * up every function eagerly unless wasm-tier-up is off too. V8 reads them when a module is compiled, so they are set
 * just before ours is; flag implications are resolved only at start-up, so `--liftoff-only` alone does nothing here.
 */
const BASELINE_ONLY_WASM_FLAGS = '--no-wasm-tier-up --no-wasm-dynamic-tiering';

let loading: Promise<WasmModule> | undefined;

function load(): Promise<WasmModule> {
  let fail: (error: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  loading ??= (async () => {
    const wasmBinary = readParserWasm();
    setFlagsFromString(BASELINE_ONLY_WASM_FLAGS);
    // The factory reads the free variable __dirname on Node (only to build a path it never uses once wasmBinary
    // is given); in an ES module bundle that variable does not exist, so it is provided globally.
    const scope = globalThis as { __dirname?: string };
    scope.__dirname ??= dirname(fileURLToPath(import.meta.url));
    // instantiateWasm: the Emscripten hook for supplying the module ourselves (this build ignores wasmBinary).
    const instantiateWasm = (imports: object, done: (instance: object) => void) => {
      wasmApi()
        .instantiate(wasmBinary, imports)
        .then((result) => done(result.instance), fail);
      return {};
    };
    // The Emscripten glue (250 kB of JavaScript) is loaded here, with the parser, not with the code that imports
    // this module: a run connects to the database first, and one with nothing to apply never loads it.
    // @ts-expect-error: the Emscripten factory has no type declarations.
    const { default: PgQueryModule } = await import('libpg-query/wasm/libpg-query.js');
    return Promise.race([(PgQueryModule as (arg: object) => Promise<WasmModule>)({ instantiateWasm }), failed]);
  })();
  return loading;
}

/** Parses SQL text into libpg_query's JSON parse tree, or throws ParseError with the server's message. */
export async function parseSql(sql: string): Promise<ParseTree> {
  const wasm = await load();
  if (sql.trim() === '') return { stmts: [] };
  const length = wasm.lengthBytesUTF8(sql) + 1;
  const queryPtr = wasm._malloc(length);
  let resultPtr = 0;
  try {
    wasm.stringToUTF8(sql, queryPtr, length);
    resultPtr = wasm._wasm_parse_query_raw(queryPtr);
    if (!resultPtr) throw new Error('libpg_query: out of memory');
    // struct PgQueryParseResult { char *parse_tree; char *stderr_buffer; PgQueryError *error; }
    const treePtr = wasm.getValue(resultPtr, 'i32');
    const errorPtr = wasm.getValue(resultPtr + 8, 'i32');
    if (errorPtr) {
      // struct PgQueryError { char *message; char *funcname; char *filename; int lineno; int cursorpos; }
      const messagePtr = wasm.getValue(errorPtr, 'i32');
      const cursor = wasm.getValue(errorPtr + 16, 'i32');
      throw new ParseError(messagePtr ? wasm.UTF8ToString(messagePtr) : 'syntax error', cursor > 0 ? cursor - 1 : 0);
    }
    return JSON.parse(wasm.UTF8ToString(treePtr)) as ParseTree;
  } finally {
    wasm._free(queryPtr);
    if (resultPtr) wasm._wasm_free_parse_result(resultPtr);
  }
}

/**
 * Parses a PL/pgSQL function (a whole `CREATE FUNCTION … LANGUAGE plpgsql AS …` statement) into libpg_query's
 * JSON tree of PL/pgSQL statements, or throws ParseError with the PL/pgSQL compiler's message.
 */
export async function parsePlpgsql(createFunction: string): Promise<unknown> {
  const wasm = await load();
  const length = wasm.lengthBytesUTF8(createFunction) + 1;
  const queryPtr = wasm._malloc(length);
  let resultPtr = 0;
  try {
    wasm.stringToUTF8(createFunction, queryPtr, length);
    resultPtr = wasm._wasm_parse_plpgsql(queryPtr);
    if (!resultPtr) throw new Error('libpg_query: out of memory');
    // Success is a JSON object; anything else is the error message.
    const text = wasm.UTF8ToString(resultPtr);
    if (!text.startsWith('{')) throw new ParseError(text, 0);
    return JSON.parse(text);
  } finally {
    wasm._free(queryPtr);
    if (resultPtr) wasm._wasm_free_string(resultPtr);
  }
}

/** A token of the PostgreSQL lexer; offsets are UTF-8 byte offsets, `end` exclusive. */
export interface Token {
  start: number;
  end: number;
  /** `SQL_COMMENT` and `C_COMMENT` for comments; ASCII_59 for `;`. */
  tokenName: string;
}

/** The server's own lexer over `sql` (comments included as tokens), for exact statement boundaries. */
export async function scanSql(sql: string): Promise<Token[]> {
  const wasm = await load();
  if (sql.trim() === '') return [];
  const length = wasm.lengthBytesUTF8(sql) + 1;
  const queryPtr = wasm._malloc(length);
  let resultPtr = 0;
  try {
    wasm.stringToUTF8(sql, queryPtr, length);
    resultPtr = wasm._wasm_scan(queryPtr);
    if (!resultPtr) throw new Error('libpg_query: out of memory');
    const text = wasm.UTF8ToString(resultPtr);
    if (!text.startsWith('{')) throw new ParseError(text, 0);
    const tokens = (JSON.parse(text) as { tokens?: { start: number; end: number; tokenName: string }[] }).tokens ?? [];
    return tokens.map(({ start, end, tokenName }) => ({ start, end, tokenName }));
  } finally {
    wasm._free(queryPtr);
    if (resultPtr) wasm._wasm_free_string(resultPtr);
  }
}
