// The PostgreSQL parser's WebAssembly binary. Plain JavaScript on purpose: here ncc's asset relocator sees the
// `new URL(…, import.meta.url)` and ships the file next to the bundle byte for byte (from TypeScript, webpack
// rewrites import.meta.url first and the file is lost, or re-encoded as text).
import { readFileSync } from 'node:fs';

export function readParserWasm() {
  return readFileSync(new URL('../../../node_modules/libpg-query/wasm/libpg-query.wasm', import.meta.url));
}
