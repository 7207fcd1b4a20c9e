// Statement splitting and classification with the real PostgreSQL parser (libpg_query compiled to WASM), so
// dollar quotes, BEGIN ATOMIC bodies, nested comments and E'' strings split exactly as the server reads them.
import { ParseError, type ParseTree, parseSql, scanSql } from './pg-parser.js';
import { ShiplineError } from '../../../shared/errors.js';

export interface Statement {
  /**
   * The statement from its first token to its last token, without the `;` and without comments after it: what is
   * sent to the server, so a `;` put after it can never land inside a comment.
   */
  sql: string;
  /**
   * The statement as the Supabase CLI stores it in `statements`: everything after the previous `;` (leading
   * comments included) up to this statement's end, trimmed, without the `;`.
   */
  stored: string;
  /** Comments and blank space before the first token (where `-- shipline-ignore` lives). */
  leading: string;
  /** Character offset of the first token in the whole file. */
  offset: number;
  /** Character offset just past the last token in the whole file. */
  end: number;
  /** Parse-tree node type (`CreateStmt`, `IndexStmt`, …) and the node itself. */
  kind: string;
  node: any;
  /** Why this statement cannot run inside a transaction block, when it cannot. */
  nonTransactional?: string;
  /** BEGIN / COMMIT / ROLLBACK / SAVEPOINT written in the file. */
  transactionControl: boolean;
}

export interface Position {
  line: number;
  column: number;
}

/** 1-based line and column of a character offset. */
export function positionAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** A SQL file that the PostgreSQL parser rejects; `offset` is a character offset in the whole file. */
export class SqlSyntaxError extends ShiplineError {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

const CONCURRENT_REINDEX = (node: any) => (node.params ?? []).some((p: any) => p.DefElem?.defname === 'concurrently');

/** Statements PostgreSQL refuses inside a transaction block, recognised from the parse tree. */
function nonTransactionalReason(kind: string, node: any): string | undefined {
  switch (kind) {
    case 'IndexStmt':
      return node.concurrent ? 'CREATE INDEX CONCURRENTLY' : undefined;
    case 'DropStmt':
      return node.concurrent ? 'DROP INDEX CONCURRENTLY' : undefined;
    case 'ReindexStmt':
      return CONCURRENT_REINDEX(node) ? 'REINDEX CONCURRENTLY' : undefined;
    case 'VacuumStmt':
      return node.is_vacuumcmd ? 'VACUUM' : undefined;
    case 'CreatedbStmt':
      return 'CREATE DATABASE';
    case 'DropdbStmt':
      return 'DROP DATABASE';
    case 'CreateTableSpaceStmt':
      return 'CREATE TABLESPACE';
    case 'DropTableSpaceStmt':
      return 'DROP TABLESPACE';
    case 'AlterSystemStmt':
      return 'ALTER SYSTEM';
    case 'CreateSubscriptionStmt':
      return 'CREATE SUBSCRIPTION';
    case 'AlterSubscriptionStmt':
      return 'ALTER SUBSCRIPTION';
    case 'DropSubscriptionStmt':
      return node.subname ? 'DROP SUBSCRIPTION' : undefined;
    default:
      return undefined;
  }
}

const isSpace = (byte: number | undefined) =>
  byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0x0c || byte === 0x0b;

/** Byte range [first token start, last token end) of a statement within [start, end) of `bytes`. */
async function ownText(bytes: Buffer, start: number, end: number): Promise<[number, number]> {
  const text = bytes.subarray(start, end).toString('utf8');
  if (!text.includes('--') && !text.includes('/*')) {
    let [first, last] = [start, end];
    while (first < last && isSpace(bytes[first])) first++;
    while (last > first && isSpace(bytes[last - 1])) last--;
    return [first, last];
  }
  // A statement's range starts at a token and holds whole tokens, so it can be lexed alone.
  const code = (await scanSql(text)).filter((t) => t.tokenName !== 'SQL_COMMENT' && t.tokenName !== 'C_COMMENT');
  const [head, tail] = [code[0], code.at(-1)];
  return head && tail ? [start + head.start, start + tail.end] : [start, start];
}

/**
 * Splits `section` (a part of `fileText` starting at character `baseOffset`) into statements. Offsets from the
 * parser are UTF-8 byte offsets into the section; they are turned into characters here, once.
 */
export async function splitStatements(
  section: string,
  baseOffset = 0,
): Promise<{ statements: Statement[]; trailing: string }> {
  const bytes = Buffer.from(section, 'utf8');
  let tree: ParseTree;
  try {
    tree = await parseSql(section);
  } catch (error) {
    // PostgreSQL reports error positions in characters (not bytes), like the server does.
    if (error instanceof ParseError)
      throw new SqlSyntaxError(error.message, baseOffset + Math.min(error.cursorPosition, section.length));
    throw error;
  }
  // The parser's statement ranges include comments up to the `;` (or, for the last statement, to the end of the
  // text); where a statement's range holds a comment at all, the lexer's tokens say where its own text really
  // starts and ends (most statements have none, and skip the lexer).
  const statements: Statement[] = [];
  let previousEnd = 0; // byte offset just past the previous statement's `;`
  let charsBefore = 0; // characters before byte offset `bytesBefore`
  let bytesBefore = 0;
  const charAt = (byteOffset: number) => {
    charsBefore += bytes.subarray(bytesBefore, byteOffset).toString('utf8').length;
    bytesBefore = byteOffset;
    return charsBefore;
  };
  for (const raw of tree.stmts ?? []) {
    const start = raw.stmt_location ?? 0;
    const end = raw.stmt_len ? start + raw.stmt_len : bytes.length;
    const [kind, node] = Object.entries(raw.stmt)[0] as [string, any];
    const [first, last] = await ownText(bytes, start, end);
    const sql = bytes.subarray(first, last).toString('utf8');
    const offset = baseOffset + charAt(first);
    statements.push({
      sql,
      // As the Supabase CLI stores it: from the previous `;` to this one, comments included, trimmed.
      stored: bytes.subarray(previousEnd, end).toString('utf8').trim(),
      leading: bytes.subarray(previousEnd, first).toString('utf8'),
      offset,
      end: offset + sql.length,
      kind,
      node,
      nonTransactional: nonTransactionalReason(kind, node),
      transactionControl: kind === 'TransactionStmt',
    });
    previousEnd = bytes[end] === 0x3b ? end + 1 : end;
  }
  // Comments after the last statement: the Supabase CLI stores them as one more statement, so shipline does too.
  return { statements, trailing: bytes.subarray(previousEnd).toString('utf8').trim() };
}
