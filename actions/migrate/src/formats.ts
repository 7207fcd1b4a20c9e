// Migration folders: which files are migrations, their versions and order, and which part of each file is the
// "up" migration, for shipline's own formats and the tools a team may be switching from.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { ShiplineError } from '../../../shared/errors.js';
import type { FormatName } from './inputs.js';
import { isPrismaFolder, prismaFormat, readPrismaFolder } from './prisma.js';
import { breakpointCuts, isDrizzleFolder, readJournal } from './formats/drizzle.js';

export interface MigrationFile {
  version: string;
  /** The name part of the file name (Supabase's `name` column, Flyway's description). */
  name: string;
  /** File name alone. */
  fileName: string;
  /** Path relative to the workspace, as annotations and the summary show it. */
  file: string;
  path: string;
  content: string;
  /** The part of the file that migrates up, and where it starts in the file (characters). */
  up: string;
  upOffset: number;
  /** The file opts out of the per-file transaction with its tool's marker. */
  noTransaction: boolean;
  /**
   * Offsets in `up` where its tool cuts the text into separately sent parts (goose: after each StatementEnd line,
   * so a block's last statement needs no `;`); each part is parsed on its own.
   */
  cuts?: number[];
  /** Where the format's index file names this migration (Drizzle: its meta/_journal.json entry). */
  at?: { file: string; line: number };
  /** sha256 of the up part without shipline's own comments: what drift is checked against. */
  checksum: string;
}

export interface FormatSpec {
  name: FormatName;
  /** File name → version and name; undefined for a file that is not an up migration. */
  match(fileName: string): { version: string; name: string } | undefined;
  /** Files the format knows but does not run (down migrations): skipped without a warning. */
  ignore?: (fileName: string) => boolean;
  compare(a: string, b: string): number;
  up(content: string): { up: string; offset: number; noTransaction: boolean; cuts?: number[] };
  /**
   * For a format whose migrations are named by an index file (Drizzle's meta/_journal.json) rather than by file
   * names: the migrations in the order the tool runs them, the folder's problems, and what to warn about.
   */
  index?(dir: string, relativeDir: string): { migrations: IndexedMigration[]; problems: string[]; notes: FolderNote[] };
  /**
   * The format's own words: `late` completes the out-of-order message (what its tool would do with the file),
   * `outOfOrder` replaces the refusal's advice where the fix is not renaming the file.
   */
  hints?: { late?: (file: MigrationFile) => string; outOfOrder?: string };
  /**
   * The script that reverts `file`, where the format has one (in the file, or beside it in `dir`); undefined when
   * the file has none. Formats without down scripts (supabase, plain) leave this out.
   */
  down?(file: MigrationFile, dir: string): DownScript | undefined;
}

/** A migration an index file names; `at` is where the index names it (ordering problems are annotated there). */
export interface IndexedMigration {
  fileName: string;
  version: string;
  name: string;
  at: { file: string; line: number };
}

/** Something in the folder that its tool would silently miss: a warning annotated at file:line. */
export interface FolderNote {
  file: string;
  line?: number;
  title: string;
  message: string;
}

/** A migration's down script, as its tool would run it. */
export interface DownScript {
  /** The SQL, with the tool's statement markers already taken into account. */
  sql: string;
  /** Path relative to the workspace of the file it is in, and where in that file it starts (characters). */
  file: string;
  fileName: string;
  offset: number;
  /** The whole file it is in (Flyway's checksum of an undo script is over the whole file). */
  content: string;
}

/** Only comments and blank lines: a down section the tool would run as nothing. */
const emptySql = (sql: string) =>
  sql
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/--[^\n]*/g, '')
    .trim() === '';

/** The down section of a file that holds both directions (dbmate, goose), if it has a non-empty one. */
function downSection(file: MigrationFile, start: RegExp, end?: RegExp): DownScript | undefined {
  const part = between(file.content, start, end ?? /(?!)/);
  if (!part || emptySql(part.up)) return undefined;
  return { sql: part.up, file: file.file, fileName: file.fileName, offset: part.offset, content: file.content };
}

/** A down script in a file of its own beside the up file (golang-migrate, Flyway undo), if there is a non-empty one. */
function downFile(file: MigrationFile, dir: string, fileName: string | undefined): DownScript | undefined {
  if (!fileName) return undefined;
  const path = join(dir, fileName);
  if (!existsSync(path)) return undefined;
  const content = readFileSync(path, 'utf8');
  if (emptySql(content)) return undefined;
  return { sql: content, file: file.file.replace(/[^/]*$/, fileName), fileName, offset: 0, content };
}

/**
 * Comments only shipline reads (`-- shipline:no-transaction`, `-- shipline-ignore <rule>`): they tell shipline how
 * to run or lint a file and are not part of the migration, so checksums and drift checks leave them out.
 */
const SHIPLINE_COMMENT = /^[ \t]*--[ \t]*shipline[:-][^\n]*(?:\n|$)/gm;

export const withoutShiplineComments = (text: string) => text.replace(SHIPLINE_COMMENT, '');

/** sha256 of a file's up part as written: what rows written before shipline left its comments out hold. */
export const checksumOf = (up: string) => createHash('sha256').update(up).digest('hex');

/** shipline's own opt-out, accepted in every format, and Atlas's, which some teams already write. */
const NO_TRANSACTION_MARKER = /^\s*--\s*(shipline:no-transaction|atlas:txmode\s+none)\s*$/im;

const textOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Numeric versions of any length (timestamps overflow a double). */
export function numericOrder(a: string, b: string): number {
  const x = BigInt(/^\d+/.exec(a)?.[0] ?? '0');
  const y = BigInt(/^\d+/.exec(b)?.[0] ?? '0');
  return x < y ? -1 : x > y ? 1 : textOrder(a, b);
}

/** Flyway's dotted versions: 1.10 after 1.9, 2 after 1.99. */
export function dottedOrder(a: string, b: string): number {
  const x = a.split('.').map(BigInt);
  const y = b.split('.').map(BigInt);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0n) - (y[i] ?? 0n);
    if (d !== 0n) return d < 0n ? -1 : 1;
  }
  return 0;
}

const wholeFile = (content: string) => ({ up: content, offset: 0, noTransaction: NO_TRANSACTION_MARKER.test(content) });

/** The lines between a start marker and an end marker (or the end of the file). */
function between(
  content: string,
  start: RegExp,
  end: RegExp,
): { up: string; offset: number; startLine: string } | undefined {
  const s = start.exec(content);
  if (!s) return undefined;
  const offset = s.index + s[0].length;
  const rest = content.slice(offset);
  const e = end.exec(rest);
  return { up: e ? rest.slice(0, e.index) : rest, offset, startLine: s[0] };
}

export const FORMATS: Record<FormatName, FormatSpec> = {
  supabase: {
    name: 'supabase',
    match: (f) => {
      const m = /^([0-9]+)_(.*)\.sql$/.exec(f);
      return m ? { version: m[1] as string, name: m[2] as string } : undefined;
    },
    compare: textOrder,
    up: wholeFile,
  },
  plain: {
    name: 'plain',
    // The CRB Analyser migrator tracks the whole stem ("001_initial_schema") as the version.
    match: (f) => {
      const m = /^(\d+)_(.+)\.sql$/.exec(f);
      return m ? { version: `${m[1]}_${m[2]}`, name: m[2] as string } : undefined;
    },
    compare: numericOrder,
    up: wholeFile,
  },
  dbmate: {
    name: 'dbmate',
    match: (f) => {
      const m = /^(\d+)_?(.*)\.sql$/.exec(f);
      return m ? { version: m[1] as string, name: m[2] as string } : undefined;
    },
    compare: numericOrder,
    up: (content) => {
      const part = between(content, /^--\s*migrate:up\b.*$/m, /^--\s*migrate:down\b.*$/m);
      if (!part) throw new ShiplineError("no '-- migrate:up' line (dbmate format)");
      return {
        up: part.up,
        offset: part.offset,
        noTransaction: /transaction:false/.test(part.startLine) || NO_TRANSACTION_MARKER.test(part.up),
      };
    },
    // dbmate runs everything after the `-- migrate:down` line (its pkg/dbmate/migration.go parseMigrationContents).
    down: (file) => downSection(file, /^--\s*migrate:down\b.*$/m, /^--\s*migrate:up\b.*$/m),
  },
  goose: {
    name: 'goose',
    match: (f) => {
      const m = /^(\d+)_(.+)\.sql$/.exec(f);
      return m ? { version: String(BigInt(m[1] as string)), name: m[2] as string } : undefined;
    },
    compare: numericOrder,
    up: (content) => {
      const part = between(content, /^--\s*\+goose\s+Up\b.*$/im, /^--\s*\+goose\s+Down\b.*$/im);
      if (!part) throw new ShiplineError("no '-- +goose Up' line (goose format)");
      // goose sends each StatementBegin/StatementEnd block on its own, so the block's last statement may lack its `;`:
      // the text is cut after each StatementEnd line, and each part parsed alone.
      const cuts = [...part.up.matchAll(/^--\s*\+goose\s+StatementEnd\b.*$/gim)].map((m) => m.index + m[0].length);
      return {
        up: part.up,
        offset: part.offset,
        noTransaction: /^--\s*\+goose\s+NO\s+TRANSACTION\b/im.test(content),
        cuts,
      };
    },
    down: (file) => {
      const part = downSection(file, /^--\s*\+goose\s+Down\b.*$/im, /^--\s*\+goose\s+Up\b.*$/im);
      // As for the up part, each StatementBegin/StatementEnd block is its own statement, whose last `;` may be missing.
      // A `;` put at the start of the StatementEnd line ends it without moving any statement to another line.
      return part && { ...part, sql: part.sql.replace(/^(--\s*\+goose\s+StatementEnd\b.*)$/gim, ';$1') };
    },
  },
  'golang-migrate': {
    name: 'golang-migrate',
    match: (f) => {
      const m = /^(\d+)_(.+)\.up\.sql$/.exec(f);
      return m ? { version: String(BigInt(m[1] as string)), name: m[2] as string } : undefined;
    },
    ignore: (f) => /\.down\.sql$/.test(f),
    compare: numericOrder,
    up: wholeFile,
    // <version>_<title>.down.sql beside <version>_<title>.up.sql (golang-migrate's source/parse.go).
    down: (file, dir) => downFile(file, dir, file.fileName.replace(/\.up\.sql$/, '.down.sql')),
  },
  flyway: {
    name: 'flyway',
    match: (f) => {
      const m = /^V(\d+(?:[._]\d+)*)__(.+)\.sql$/.exec(f);
      return m
        ? { version: (m[1] as string).replace(/_/g, '.'), name: (m[2] as string).replace(/_/g, ' ') }
        : undefined;
    },
    ignore: (f) => /^[UR]\d*__/.test(f) || /^R__/.test(f),
    compare: dottedOrder,
    up: wholeFile,
    // Flyway's undo migration: U<version>__<description>.sql, the same version as the V file it undoes (any
    // description; the version is what pairs them).
    down: (file, dir) =>
      downFile(
        file,
        dir,
        readdirSync(dir).find((f) => {
          const m = /^U(\d+(?:[._]\d+)*)__.+\.sql$/.exec(f);
          return m !== null && dottedOrder((m[1] as string).replace(/_/g, '.'), file.version) === 0;
        }),
      ),
  },
  prisma: prismaFormat,
  drizzle: {
    name: 'drizzle',
    // Files are named by the journal (index), never recognised by their names; the version is the entry's `when`.
    match: () => undefined,
    compare: numericOrder,
    up: (content) => ({ ...wholeFile(content), cuts: breakpointCuts(content) }),
    index: readJournal,
    hints: {
      late: (file) =>
        ` (its journal "when"): drizzle-orm's migrator compares each entry only with the newest applied created_at, so it would skip ${file.name} without a word`,
      outOfOrder:
        'In meta/_journal.json, give the entry a "when" after the newest applied one (drizzle-orm itself would skip it silently), or set \'allow-out-of-order: true\' to apply it.',
    },
  },
};

const DEFAULT_DIRS = [
  'supabase/migrations',
  'migrations',
  'db/migrations',
  'database/migrations',
  'sql/migrations',
  'src/migrations',
  'prisma/migrations',
  // drizzle-kit's default `out` (drizzle-kit: `out: stringType().optional().default("drizzle")`).
  'drizzle',
];

export function resolveDir(workspace: string, dir: string): string {
  if (dir) {
    const full = join(workspace, dir);
    if (!existsSync(full) || !statSync(full).isDirectory())
      throw new ShiplineError(`Input 'dir': ${dir} is not a folder in the workspace (${workspace})`);
    return full;
  }
  const found = DEFAULT_DIRS.map((d) => join(workspace, d)).find((d) => existsSync(d) && statSync(d).isDirectory());
  if (!found)
    throw new ShiplineError(`No migrations folder found in the workspace: looked for ${DEFAULT_DIRS.join(', ')}`, {
      hint: "Set input 'dir' to the folder holding your .sql migrations.",
    });
  return found;
}

/** The format a folder is written in, from its path, its file names and its markers. */
export function detectFormat(dir: string): FormatName {
  if (/(^|[\\/])supabase[\\/]migrations[\\/]?$/.test(dir)) return 'supabase';
  if (isPrismaFolder(dir)) return 'prisma';
  if (isDrizzleFolder(dir)) return 'drizzle';
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql'));
  if (files.some((f) => /^V\d+(?:[._]\d+)*__.+\.sql$/.test(f))) return 'flyway';
  if (files.some((f) => /\.up\.sql$/.test(f))) return 'golang-migrate';
  const sample = files.slice(0, 20).map((f) => readFileSync(join(dir, f), 'utf8'));
  if (sample.some((c) => /^--\s*\+goose\s+Up/im.test(c))) return 'goose';
  if (sample.some((c) => /^--\s*migrate:up/m.test(c))) return 'dbmate';
  return 'plain';
}

export interface Folder {
  files: MigrationFile[];
  /** Files that look like migrations of another shape, skipped (the Supabase CLI warns about these too). */
  skipped: string[];
  /** What the format's own tool would miss in this folder (FormatSpec.index). */
  notes?: FolderNote[];
}

export function readFolder(dir: string, workspace: string, format: FormatSpec): Folder {
  if (format.name === 'prisma') return readPrismaFolder(dir, workspace);
  const skipped: string[] = [];
  const files: MigrationFile[] = [];
  const problems: string[] = [];
  // One readdir with file types and plain string paths: status on a 10,000-file history stays well under a second.
  const relativeDir = relative(workspace, dir).split(sep).join('/');
  if (format.index) return readIndexedFolder(dir, relativeDir, format, format.index(dir, relativeDir));
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const fileName = entry.name;
    if (!fileName.endsWith('.sql') || !entry.isFile()) continue;
    const id = format.match(fileName);
    if (!id) {
      if (!format.ignore?.(fileName)) skipped.push(fileName);
      continue;
    }
    const path = join(dir, fileName);
    const content = readFileSync(path, 'utf8');
    const file = relativeDir ? `${relativeDir}/${fileName}` : fileName;
    try {
      const { up, offset, noTransaction, cuts } = format.up(content);
      files.push(migrationFile({ ...id, fileName, file, path, content, up, upOffset: offset, noTransaction, cuts }));
    } catch (error) {
      problems.push(`${file}: ${(error as Error).message}`);
    }
  }
  files.sort((a, b) => format.compare(a.version, b.version));
  for (let i = 1; i < files.length; i++) {
    const [a, b] = [files[i - 1] as MigrationFile, files[i] as MigrationFile];
    if (format.compare(a.version, b.version) === 0)
      problems.push(`${a.file} and ${b.file} have the same version ${a.version}`);
  }
  skipped.sort();
  if (problems.length > 0) throw new ShiplineError(`The migrations folder has problems:\n- ${problems.join('\n- ')}`);
  return { files, skipped };
}

/** The migrations an index file names, in its order (the tool's order, which may differ from the versions'). */
function readIndexedFolder(
  dir: string,
  relativeDir: string,
  format: FormatSpec,
  index: { migrations: IndexedMigration[]; problems: string[]; notes: FolderNote[] },
): Folder {
  const problems = [...index.problems];
  const files: MigrationFile[] = [];
  for (const { fileName, version, name, at } of index.migrations) {
    const path = join(dir, fileName);
    const file = relativeDir ? `${relativeDir}/${fileName}` : fileName;
    if (!existsSync(path)) continue; // the index's reader reported it
    const content = readFileSync(path, 'utf8');
    try {
      const { up, offset, noTransaction, cuts } = format.up(content);
      files.push(
        migrationFile({ version, name, fileName, file, path, content, up, upOffset: offset, noTransaction, cuts, at }),
      );
    } catch (error) {
      problems.push(`${file}: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new ShiplineError(`The migrations folder has problems:\n- ${problems.join('\n- ')}`);
  return { files, skipped: [], notes: index.notes };
}

/**
 * A migration file whose checksum (of the up part without shipline's own comments) is computed when first asked
 * for (status on a Supabase folder never needs it).
 */
function migrationFile(fields: Omit<MigrationFile, 'checksum'>): MigrationFile {
  let checksum: string | undefined;
  return Object.defineProperty(fields, 'checksum', {
    enumerable: true,
    get: () => (checksum ??= checksumOf(withoutShiplineComments(fields.up))),
  }) as MigrationFile;
}
