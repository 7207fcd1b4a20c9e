export function readParserWasm(): Buffer;
