export const id = 258;
export const ids = [258];
export const modules = {

/***/ 4258:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./shared/workspace.ts
var workspace = __webpack_require__(4107);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
// EXTERNAL MODULE: ./shared/runner.ts
var runner = __webpack_require__(2798);
// EXTERNAL MODULE: ./shared/summary.ts
var summary = __webpack_require__(6566);
// EXTERNAL MODULE: ./node_modules/pg/esm/index.mjs
var esm = __webpack_require__(3849);
;// CONCATENATED MODULE: ./actions/migrate/src/db.ts
// Connections to the target database, and PostgreSQL's errors as people need to read them. The URL carries the
// password, so no message here ever contains it: the server is named by host, port and database only.


/** `host:port/database` of a URL: enough to know which server, nothing secret. */
function describeServer(url) {
    try {
        const u = new URL(url);
        return `${u.hostname}:${u.port || '5432'}${u.pathname && u.pathname !== '/' ? u.pathname : '/postgres'}`;
    }
    catch {
        return 'the database';
    }
}
const CONNECT_HINTS = {
    ECONNREFUSED: 'Nothing listens there: check the host and port, and that the database is running.',
    ENOTFOUND: 'The host name does not resolve: check the host in database-url.',
    EAI_AGAIN: 'The host name does not resolve: check the host in database-url.',
    '28P01': "Check the user and password in input 'database-url' (the secret it comes from).",
    '28000': 'The server refused this user or client address (pg_hba.conf).',
    '3D000': 'The database in the URL does not exist on that server.',
};
/** The same server and credentials, another database (a URL's own database wins over a `database` option). */
function withDatabase(url, database) {
    const u = new URL(url);
    u.pathname = `/${database}`;
    return u.toString();
}
/** Connects, or fails with what went wrong and where (never the URL itself). */
async function connect(url, options) {
    const client = newClient(url, options);
    // An error on an idle connection (the server went away) must not crash the process unseen; the next query fails.
    client.on('error', () => undefined);
    // The server reports its version when the connection starts: kept, so asking costs no round trip.
    client.connection.on('parameterStatus', (message) => {
        if (message.parameterName === 'server_version')
            serverVersions.set(client, message.parameterValue);
    });
    try {
        await client.connect();
    }
    catch (error) {
        await client.end().catch(() => undefined);
        const e = error;
        const where = options.database
            ? describeServer(url).replace(/\/[^/]*$/, `/${options.database}`)
            : describeServer(url);
        const reason = /timeout/i.test(e.message ?? '')
            ? `no answer within ${options.timeoutMs / 1000}s`
            : scrubDatabaseUrl(e.message ?? String(error), url);
        throw new errors/* ShiplineError */.J0(`Cannot connect to PostgreSQL at ${where}: ${reason}${e.code ? ` (${e.code})` : ''}`, {
            hint: CONNECT_HINTS[e.code ?? ''] ??
                (/timeout/i.test(e.message ?? '')
                    ? "The server did not answer: check the host, the port and any firewall, or raise input 'connect-timeout'."
                    : undefined),
            cause: error,
        });
    }
    return client;
}
/**
 * The driver reads the files named by sslrootcert / sslcert / sslkey while building the client, and a missing one
 * would escape as a bare ENOENT; inputs check them first, this names the file if one vanished since.
 * TCP keepalive lets the operating system notice a peer that went away while a statement runs.
 */
function newClient(url, options) {
    try {
        return new esm/* default.Client */.Ay.Client({
            connectionString: options.database ? withDatabase(url, options.database) : url,
            connectionTimeoutMillis: options.timeoutMs,
            keepAlive: true,
            keepAliveInitialDelayMillis: 10_000,
            application_name: `shipline-migrate (${options.label})`,
        });
    }
    catch (error) {
        const e = error;
        if (e.code === 'ENOENT' || e.code === 'EACCES')
            throw new errors/* ShiplineError */.J0(`Cannot read ${e.path ?? 'a file'} named in input 'database-url' (sslrootcert, sslcert or sslkey): ${e.code === 'ENOENT' ? 'no such file' : 'permission denied'}`, {
                hint: 'Give the path of the certificate file on the runner, relative to the working directory or absolute.',
                cause: error,
            });
        throw new errors/* ShiplineError */.J0(`Cannot use input 'database-url': ${scrubDatabaseUrl(e.message ?? String(error), url)}`, {
            cause: error,
        });
    }
}
const serverVersions = new WeakMap();
/** server_version_num of a connection made by connect() (e.g. 170004 for 17.4), from what the server reported; 0 if unknown. */
function serverVersionNum(db) {
    const m = /^(\d+)(?:\.(\d+))?/.exec(serverVersions.get(db) ?? '');
    if (!m)
        return 0;
    const [major, minor] = [Number(m[1]), Number(m[2] ?? 0)];
    return major >= 10 ? major * 10000 + minor : major * 10000 + minor * 100;
}
/** The transaction state the server reported with its last ReadyForQuery: I (idle), T (in one), E (failed one). */
function transactionStatus(db) {
    return db.getTransactionStatus?.() ?? null;
}
/** Belt and braces: a driver message that quoted the URL or its password would be cut here. */
function scrubDatabaseUrl(message, url) {
    let text = message.split(url).join('<database-url>');
    try {
        const password = decodeURIComponent(new URL(url).password);
        if (password)
            text = text.split(password).join('***');
    }
    catch {
        // not a URL: nothing more to cut
    }
    return text;
}
function isPgError(error) {
    return error instanceof Error && typeof error.code === 'string' && 'severity' in error;
}
/**
 * A string as an SQL literal, exactly as the driver's escapeLiteral writes it (quotes doubled; with a backslash,
 * backslashes doubled and an E'' literal), but in one pass of the regular-expression engine: the driver's
 * character-by-character loop was a visible share of building a batch of 100 files with their stored texts.
 */
function quoteLiteral(value) {
    if (!value.includes('\\'))
        return `'${value.replace(/'/g, "''")}'`;
    return ` E'${value.replace(/['\\]/g, (c) => c + c)}'`;
}
async function db_close(db) {
    await db?.end().catch(() => undefined);
}
/**
 * Ends a session without waiting for the server: `lastWords` (a query whose answer nobody needs) and the protocol's
 * Terminate go out together, and the socket no longer keeps the process alive. Waiting would cost a round trip
 * to a database far away and tell nothing: when the session ends, the server ends its transactions and releases
 * its session-level locks, and the step has already read every answer it needed (each file is committed or rolled
 * back by then). A connection that is already broken is simply closed.
 */
function hangUp(db, lastWords) {
    if (!db)
        return;
    const client = db;
    if (lastWords && client._queryable && !client._getActiveQuery?.() && transactionStatus(db) === 'I')
        client.connection.query(lastWords);
    void db.end().catch(() => undefined);
    client.connection.stream.unref?.();
}

// EXTERNAL MODULE: external "node:timers/promises"
var promises_ = __webpack_require__(8500);
;// CONCATENATED MODULE: ./actions/migrate/src/lock.ts
// Mutual exclusion between migrators: a session-level advisory lock taken with pg_try_advisory_lock, polled with
// backoff on a connection of its own. A blocking pg_advisory_lock waiter, or a transaction-level lock, would
// deadlock against CREATE INDEX CONCURRENTLY, which waits for every older transaction to finish.




/** The lock's two keys: 'ship' and 'migr' as 32-bit integers, the same for every shipline migrator. */
const LOCK_KEYS = [0x73686970, 0x6d696772];
const SHIPLINE_LOCK = {
    name: 'the migration lock',
    tryLock: `SELECT pg_try_advisory_lock(${LOCK_KEYS[0]}, ${LOCK_KEYS[1]}) AS locked`,
    unlock: `SELECT pg_advisory_unlock(${LOCK_KEYS[0]}, ${LOCK_KEYS[1]})`,
    held: [LOCK_KEYS[0], LOCK_KEYS[1], 2],
};
/**
 * The lock a migration tool takes itself, where it has one with a fixed key: shipline takes it too (first, so every
 * shipline run takes the two in one order), and a run of the tool in another job then waits for shipline's, or
 * shipline for the tool's, instead of both applying the same files. Prisma's schema engine takes
 * `SELECT pg_advisory_lock(72707369)` for `migrate deploy` (schema-engine/connectors/sql-schema-connector/src/flavour/
 * postgres.rs, `acquire_lock`); a bigint key lands in pg_locks as classid = high 32 bits, objid = low, objsubid 1.
 */
function toolLockFor(format) {
    if (format?.name !== 'prisma')
        return undefined;
    return {
        name: "Prisma Migrate's lock (pg_advisory_lock(72707369))",
        tryLock: 'SELECT pg_try_advisory_lock(72707369) AS locked',
        unlock: 'SELECT pg_advisory_unlock(72707369)',
        held: [0, 72707369, 1],
    };
}
async function describeHolder(db, lock) {
    const { rows } = await db.query(`SELECT a.pid, a.application_name, a.client_addr::text AS client, a.backend_start
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.classid = $1 AND l.objid = $2 AND l.objsubid = $3 AND l.granted
        AND l.pid <> pg_backend_pid()`, [...lock.held]);
    const holder = rows[0];
    if (!holder)
        return 'another session';
    return `backend ${holder.pid} (${holder.application_name || 'no application name'}${holder.client ? ` from ${holder.client}` : ''}, connected ${new Date(holder.backend_start).toISOString()})`;
}
/** Takes the lock or fails after `timeoutMs`; waits 25 ms, doubling up to 1 s, between tries. */
async function acquireLock(db, timeoutMs, lock = SHIPLINE_LOCK) {
    const started = Date.now();
    let delay = 25;
    let announced = false;
    for (;;) {
        const { rows } = await db.query(lock.tryLock);
        if (rows[0]?.locked) {
            if (announced)
                (0,runner/* info */.pq)(`${capitalise(lock.name)} taken after ${((Date.now() - started) / 1000).toFixed(1)}s.`);
            return;
        }
        const waited = Date.now() - started;
        if (waited >= timeoutMs)
            throw new errors/* ShiplineError */.J0(`Another migration is running: ${lock.name} is held by ${await describeHolder(db, lock)} and was not released within ${timeoutMs / 1000}s`, {
                hint: "Wait for the other pipeline to finish, or raise input 'lock-timeout'. Nothing was applied.",
            });
        if (!announced) {
            (0,runner/* info */.pq)(`Waiting for ${lock.name}, held by ${await describeHolder(db, lock)} (up to ${timeoutMs / 1000}s)…`);
            announced = true;
        }
        await (0,promises_.setTimeout)(Math.min(delay, timeoutMs - waited));
        delay = Math.min(delay * 2, 1000);
    }
}
/** 'the migration lock' → 'Migration lock', to begin a sentence. */
const capitalise = (text) => {
    const bare = text.replace(/^the /, '');
    return bare.charAt(0).toUpperCase() + bare.slice(1);
};
/** The lock was held by another session when the first try went with a read (lockAndRead). */
class LockBusy extends Error {
}
/**
 * Takes the lock, then reads (`read`: the tracking table, on this connection), and returns what was read. The
 * first try costs no round trip of its own: `pg_try_advisory_lock` travels in one message with the read's first
 * query, which the server runs after it, on a snapshot taken after it (each statement of a message takes its own),
 * so nothing another migrator commits before releasing the lock can be missed. Had the lock not been free, the
 * read's answer is dropped and the usual wait (acquireLock) runs, then the read again. A session-level advisory lock
 * does not follow the message's implicit transaction: if the read fails, the lock is still held, and released with
 * the connection as after any failure.
 */
async function lockAndRead(db, timeoutMs, read) {
    let first = true;
    const withLock = new Proxy(db, {
        get(target, key) {
            const value = Reflect.get(target, key, target);
            if (key !== 'query')
                return typeof value === 'function' ? value.bind(target) : value;
            return async (text, values) => {
                if (!first)
                    return target.query(text, values);
                first = false;
                // Only a query without parameters can share a message (the simple protocol); otherwise the lock goes first.
                if (typeof text !== 'string' || (values && values.length > 0)) {
                    await acquireLock(target, timeoutMs);
                    return target.query(text, values);
                }
                const [lock, ...answers] = (await target.query(`${SHIPLINE_LOCK.tryLock};\n${text}`));
                if (!lock?.rows[0]?.locked)
                    throw new LockBusy();
                return answers.length === 1 ? answers[0] : answers;
            };
        },
    });
    try {
        const result = await read(withLock);
        if (!first)
            return result;
    }
    catch (error) {
        if (!(error instanceof LockBusy))
            throw error;
    }
    // The lock was busy (or the read asked nothing, so the lock never went): wait for it, then read under it.
    await acquireLock(db, timeoutMs);
    return read(db);
}
async function releaseLock(db) {
    await db.query(SHIPLINE_LOCK.unlock).catch(() => undefined);
}
/**
 * Releases the lock (and the tool's, when taken) and ends its session in one write, without waiting (hangUp): the
 * unlock says so explicitly, which matters behind a session pooler, where the server session may outlive ours; on a
 * direct connection the session's end alone would release it. Either way the next migrator finds it free once the
 * server has read these.
 */
function releaseLockAndHangUp(db, toolLock) {
    hangUp(db, toolLock ? `${SHIPLINE_LOCK.unlock}; ${toolLock.unlock}` : SHIPLINE_LOCK.unlock);
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./actions/migrate/src/prisma.ts
// Prisma Migrate folders (`prisma/migrations`: one folder per migration holding `migration.sql`, and
// `migration_lock.toml`) and its tracking table `_prisma_migrations`, read and written exactly as `prisma migrate
// deploy` does, so that Prisma and shipline can take turns on one database.
//
// What Prisma does, from its source (Prisma CLI 7.10, node_modules/prisma/build/cli.js, and prisma/prisma-engines
// schema-engine/):
// - The CLI lists the folders (cli.js, listing the migrations directory):
//     for (let p of c.filter(f => f.isDirectory())) { … readFile(join(f, "migration.sql"), {encoding: "utf-8"}) … }
//     let l = u.sort((p, f) => p.path.localeCompare(f.path));
//   every sub-folder is a migration, in `localeCompare` order of the folder names; files beside them are ignored.
// - `apply_migrations` (schema-engine/core/src/commands/apply_migrations.rs) takes the advisory lock, refuses when a
//   row failed (`detect_failed_migrations`: `finished_at.is_none() && rolled_back_at.is_none()` → P3009), and applies
//   every folder with no row that is not rolled back (`.filter(|db_migration| db_migration.rolled_back_at.is_none())
//   .any(|db_migration| db_migration.migration_name == fs_migration.migration_name())`), in folder order; it
//   never compares checksums (only `migrate status`/`dev` report edited migrations).
// - For each: `record_migration_started` inserts `id` (`Uuid::new_v4()`), `checksum`, `started_at` (now) and
//   `migration_name`; the script runs; then `record_successful_step` (`applied_steps_count + 1`) and
//   `record_migration_finished` (`finished_at` = now) (sql-schema-connector/src/sql_migration_persistence.rs). A
//   failed script leaves the row with `finished_at` NULL and the error in `logs` (`record_failed_step`).
// - The script is sent whole as one simple-protocol query (flavour/postgres/connection.rs,
//   `apply_migration_script`: `client.simple_query(script)`), with no BEGIN of Prisma's own. PostgreSQL runs a
//   multi-statement simple query as one implicit transaction, so a script without BEGIN/COMMIT is all or nothing,
//   and CREATE INDEX CONCURRENTLY only works as a script's only statement.
// - The checksum is the SHA-256 of the script as hex (schema-connector/src/checksum.rs, `render_checksum`); when
//   comparing, the script also matches with CRLF turned into LF and LF into CRLF ("git messes with line endings"),
//   and checksums of old rows that were not zero-padded (`format_checksum_old`, `{byte:x}`) still match.




const PRISMA_TABLE = '_prisma_migrations';
const LOCK_FILE = 'migration_lock.toml';
const SCRIPT = 'migration.sql';
/** Where a file's transaction keeps the time it began (transaction-local: gone at its COMMIT). */
const STARTED_SETTING = 'shipline.prisma_started_at';
/** shipline's own opt-out, as formats.ts accepts it in every format. */
const NO_TRANSACTION_MARKER = /^\s*--\s*(shipline:no-transaction|atlas:txmode\s+none)\s*$/im;
/** Prisma's checksum of a script: SHA-256 of its UTF-8 text, 64 lowercase hex digits. */
function prismaChecksum(script) {
    return (0,external_node_crypto_.createHash)('sha256').update(script).digest('hex');
}
/** The digest as Prisma wrote it before zero-padding (`{byte:x}`: 0x0a becomes "a"). */
function unpadded(script) {
    return [...(0,external_node_crypto_.createHash)('sha256').update(script).digest()].map((b) => b.toString(16)).join('');
}
/** Whether a recorded checksum is this script's, as Prisma's `script_matches_checksum` decides. */
function prismaChecksumMatches(script, checksum) {
    const variants = [script, script.replace(/\r\n/g, '\n'), script.replace(/\n/g, '\r\n')];
    const render = checksum !== '' && checksum.length !== 64 ? unpadded : prismaChecksum;
    return variants.some((v) => render(v) === checksum);
}
/** The provider migration_lock.toml names, read as Prisma's `read_provider_from_lock_file` reads it. */
function lockProvider(dir) {
    const path = (0,external_node_path_.join)(dir, LOCK_FILE);
    if (!(0,external_node_fs_.existsSync)(path))
        return undefined;
    const line = (0,external_node_fs_.readFileSync)(path, 'utf8')
        .split(/\r?\n/)
        .find((l) => l.startsWith('provider'));
    return line ? line.replace(/^provider = /, '').replace(/^"+|"+$/g, '') : '<PROVIDER NOT FOUND>';
}
/** A Prisma migrations folder: migration_lock.toml, or sub-folders holding migration.sql and no .sql files beside them. */
function isPrismaFolder(dir) {
    if ((0,external_node_fs_.existsSync)((0,external_node_path_.join)(dir, LOCK_FILE)))
        return true;
    const entries = (0,external_node_fs_.readdirSync)(dir, { withFileTypes: true });
    if (entries.some((e) => e.isFile() && e.name.endsWith('.sql')))
        return false;
    return entries.some((e) => e.isDirectory() && (0,external_node_fs_.existsSync)((0,external_node_path_.join)(dir, e.name, SCRIPT)));
}
/**
 * `a.localeCompare(b)` with no locale or options compares as `new Intl.Collator().compare` does (ECMA-402
 * String.prototype.localeCompare); one collator for the whole sort spares building one per comparison.
 */
const defaultCollator = new Intl.Collator();
const prismaFormat = {
    name: 'prisma',
    // A migration is a folder, not a file name: readPrismaFolder lists them.
    match: () => undefined,
    // Prisma's own order: `p.path.localeCompare(f.path)` on the folder names.
    compare: (a, b) => defaultCollator.compare(a, b),
    up: (content) => ({ up: content, offset: 0, noTransaction: NO_TRANSACTION_MARKER.test(content) }),
};
/**
 * The migrations of a Prisma folder, in Prisma's order. A folder without migration.sql, or a lock file naming a
 * provider other than PostgreSQL, is a problem reported before anything runs (Prisma itself fails on the first
 * when it reaches it, and on the second before it starts).
 */
function readPrismaFolder(dir, workspace) {
    const problems = [];
    const provider = lockProvider(dir);
    if (provider !== undefined && provider !== 'postgresql')
        problems.push(`${LOCK_FILE} says provider = "${provider}": shipline migrates PostgreSQL, so only a folder Prisma wrote for provider "postgresql" can run here`);
    const relativeDir = (0,external_node_path_.relative)(workspace, dir).split(external_node_path_.sep).join('/');
    const files = [];
    const skipped = [];
    for (const entry of (0,external_node_fs_.readdirSync)(dir, { withFileTypes: true })) {
        if (!entry.isDirectory()) {
            if (entry.name.endsWith('.sql'))
                skipped.push(entry.name);
            continue;
        }
        const folder = entry.name;
        const fileName = `${folder}/${SCRIPT}`;
        const file = relativeDir ? `${relativeDir}/${fileName}` : fileName;
        const path = (0,external_node_path_.join)(dir, folder, SCRIPT);
        let content;
        try {
            content = (0,external_node_fs_.readFileSync)(path, 'utf8');
        }
        catch {
            problems.push(`${file}: no such readable file (Prisma fails on this folder too)`);
            continue;
        }
        const up = prismaFormat.up(content);
        files.push({
            version: folder,
            name: folder.replace(/^\d+_/, ''),
            fileName,
            file,
            path,
            content,
            up: up.up,
            upOffset: up.offset,
            noTransaction: up.noTransaction,
            checksum: prismaChecksum(content),
        });
    }
    if (problems.length > 0)
        throw new errors/* ShiplineError */.J0(`The migrations folder has problems:\n- ${problems.join('\n- ')}`);
    files.sort((a, b) => prismaFormat.compare(a.version, b.version));
    skipped.sort();
    return { files, skipped };
}
/** The commands that clear a failed row, as Prisma's P3009 message asks for them (a shell-quoted name). */
function resolveCommands(name) {
    const quoted = `"${name.replace(/(["\\$`])/g, '\\$1')}"`;
    return {
        rolledBack: `npx prisma migrate resolve --rolled-back ${quoted}`,
        applied: `npx prisma migrate resolve --applied ${quoted}`,
    };
}
/** A row Prisma (or shipline, on a file run outside a transaction) left started and never finished: P3009. */
class PrismaFailedMigration extends errors/* ShiplineError */.J0 {
}
function failedError(failed, files) {
    const byName = new Map(files.map((f) => [f.version, f]));
    const lines = failed.map((r) => {
        const file = byName.get(r.migration_name);
        const logs = r.logs?.trim() ? `; its logs: ${r.logs.trim().split('\n')[0]}` : '';
        return `\`${r.migration_name}\` (${file ? file.file : 'no folder of that name here'}), started at ${r.started_at}, never finished${logs}`;
    });
    const commands = failed.map((r) => {
        const c = resolveCommands(r.migration_name);
        return `If its changes are undone (or it changed nothing), run \`${c.rolledBack}\` and it runs again; if you completed it by hand, run \`${c.applied}\`.`;
    });
    return new PrismaFailedMigration(`${PRISMA_TABLE} records ${failed.length === 1 ? 'a failed migration' : `${failed.length} failed migrations`} (Prisma's P3009), so nothing was applied: ${lines.join('; ')}`, {
        hint: `Check what ${failed.length === 1 ? 'it' : 'each'} left in the database first: a failed migration may be partly applied. ${commands.join(' ')}`,
    });
}
/**
 * `_prisma_migrations` as Prisma creates it (flavour/postgres.rs, `create_migrations_table`), and rows as
 * `migrate deploy` leaves them: one per applied migration with a fresh UUID, the checksum of the script,
 * `started_at` and `finished_at`, `applied_steps_count` 1 and `logs` NULL.
 */
function prismaTracker() {
    // Files run outside a transaction get their row before they start (beginUnsafe), as Prisma writes every row;
    // the statement that finishes them then finds that row by the id kept here.
    const begun = new WeakMap();
    return {
        table: PRISMA_TABLE,
        setup: (present) => present
            ? ''
            : `CREATE TABLE ${PRISMA_TABLE} (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`,
        async read(db, files) {
            const { rows: found } = await db.query(`SELECT to_regclass('${PRISMA_TABLE}') IS NOT NULL AS present`);
            if (!found[0]?.present)
                return { rows: [], foreign: [], present: false };
            // Prisma's list_migrations reads the rows ordered by started_at.
            const { rows } = await db.query(`SELECT checksum, migration_name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back,
                to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS started_at, logs
           FROM ${PRISMA_TABLE} ORDER BY started_at`);
            const all = rows;
            const failed = all.filter((r) => !r.finished && !r.rolled_back);
            if (failed.length > 0)
                throw failedError(failed, files);
            const byName = new Map(files.map((f) => [f.version, f]));
            // A rolled-back row does not count (the migration runs again); of several finished rows of one name, the
            // latest stands for it.
            const applied = new Map();
            for (const r of all) {
                if (r.rolled_back)
                    continue;
                const file = byName.get(r.migration_name);
                // A checksum Prisma would accept for the file (line endings, unpadded digits) is no drift.
                const checksum = file && prismaChecksumMatches(file.content, r.checksum) ? file.checksum : r.checksum;
                applied.set(r.migration_name, { version: r.migration_name, checksum });
            }
            return { rows: [...applied.values()], foreign: [], present: true };
        },
        // The file's start, from the server's clock as its transaction begins (now() is the same for every
        // transaction of one multi-statement query).
        startFile: () => `SELECT set_config('${STARTED_SETTING}', clock_timestamp()::text, true)`,
        // One statement either way (migrator.ts counts a tracker's statements once): it finishes the row beginUnsafe
        // started, or inserts the finished row inside the file's own transaction. The plain INSERT is the common case:
        // a row per file is most of what shipline adds to the server's work (a CTE that tries an UPDATE first costs
        // about twice as much on a 400-file folder).
        record(file, _statements, quote) {
            const started = begun.get(file);
            if (started)
                return `UPDATE ${PRISMA_TABLE} SET finished_at = clock_timestamp(), applied_steps_count = applied_steps_count + 1 WHERE id = ${quote(started)}`;
            return `INSERT INTO ${PRISMA_TABLE} (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
VALUES (${quote((0,external_node_crypto_.randomUUID)())}, ${quote(file.checksum)}, clock_timestamp(), ${quote(file.version)}, coalesce(nullif(current_setting('${STARTED_SETTING}', true), '')::timestamptz, clock_timestamp()), 1)`;
        },
        // Before a file that runs outside a transaction: Prisma's started row, so a failure half-way leaves what Prisma
        // leaves (a failed migration, P3009), and neither tool runs over it until someone has looked.
        beginUnsafe(file, quote) {
            const id = (0,external_node_crypto_.randomUUID)();
            begun.set(file, id);
            return `INSERT INTO ${PRISMA_TABLE} (id, checksum, migration_name, started_at) VALUES (${quote(id)}, ${quote(file.checksum)}, ${quote(file.version)}, clock_timestamp())`;
        },
    };
}

;// CONCATENATED MODULE: ./actions/migrate/src/formats/drizzle.ts
// Drizzle Kit folders (the `out` folder of `drizzle-kit generate`): meta/_journal.json names the migrations and
// their order, and drizzle-orm's migrator records each in drizzle.__drizzle_migrations. What shipline reads and
// writes here follows drizzle-orm 0.45's own source, quoted where it is relied on:
//
// drizzle-orm/migrator.js, readMigrationFiles():
//   for (const journalEntry of journal.entries) {
//     const query = fs.readFileSync(`${migrationFolderTo}/${journalEntry.tag}.sql`).toString();
//     const result = query.split("--> statement-breakpoint") ...
//     migrationQueries.push({ sql: result, bps: journalEntry.breakpoints, folderMillis: journalEntry.when,
//       hash: crypto.createHash("sha256").update(query).digest("hex") });
//   ... throw new Error(`No file ${migrationPath} found in ${migrationFolderTo} folder`);
//
// drizzle-orm/pg-core/dialect.js, PgDialect.migrate():
//   const migrationsTable = ... config.migrationsTable ?? "__drizzle_migrations";
//   const migrationsSchema = ... config.migrationsSchema ?? "drizzle";
//   CREATE TABLE IF NOT EXISTS ${migrationsSchema}.${migrationsTable} (
//     id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)
//   await session.execute(sql`CREATE SCHEMA IF NOT EXISTS ${sql.identifier(migrationsSchema)}`);
//   select id, hash, created_at from ... order by created_at desc limit 1
//   const lastDbMigration = dbMigrations[0];
//   await session.transaction(async (tx) => {
//     for await (const migration of migrations) {
//       if (!lastDbMigration || Number(lastDbMigration.created_at) < migration.folderMillis) {
//         for (const stmt of migration.sql) await tx.execute(sql.raw(stmt));
//         await tx.execute(sql`insert into ... ("hash", "created_at") values(${migration.hash}, ${migration.folderMillis})`);
//
// So: a migration's identity in the database is its journal `when` (created_at), its hash is the sha256 of the
// whole file as read, `breakpoints` is never consulted (the text is always split), and whether an entry runs is
// decided only by comparing its `when` with the newest created_at: an entry older than that is skipped without a
// word, even though no row records it. shipline uses `when` as the version, so the same comparison makes such an
// entry out of order (refused unless allow-out-of-order), and runs the entries in journal order.




const DRIZZLE_JOURNAL = 'meta/_journal.json';
/** A Drizzle Kit output folder: it has a journal (drizzle-orm's migrator refuses a folder without one). */
const isDrizzleFolder = (dir) => (0,external_node_fs_.existsSync)((0,external_node_path_.join)(dir, 'meta', '_journal.json'));
const BREAKPOINT = '--> statement-breakpoint';
/**
 * Where drizzle-orm cuts a file into separately sent parts: right after each `--> statement-breakpoint`, wherever
 * it stands (String.split). The marker itself is a `--` comment, so it stays harmlessly at the end of the part
 * before, and each part is exactly the text drizzle-orm sends (a part's last statement needs no `;`).
 */
function breakpointCuts(content) {
    const cuts = [];
    for (let at = content.indexOf(BREAKPOINT); at >= 0; at = content.indexOf(BREAKPOINT, at + BREAKPOINT.length))
        cuts.push(at + BREAKPOINT.length);
    return cuts;
}
/** drizzle-orm's `hash`: sha256 of the whole file as read (UTF-8), hex. */
const drizzleHash = (content) => (0,external_node_crypto_.createHash)('sha256').update(content).digest('hex');
/** Dialects whose journal drizzle-orm's PostgreSQL migrator reads (drizzle-kit before 0.21 wrote `pg`). */
const POSTGRES_DIALECTS = new Set(['postgresql', 'pg']);
/** The line of each entry's `"when"` in the journal text, in order (1 when the text does not show it). */
function whenLines(text, entries) {
    const found = [...text.matchAll(/"when"\s*:\s*(-?\d+)/g)];
    return entries.map((entry, i) => {
        const match = found[i];
        if (!match || Number(match[1]) !== entry.when)
            return 1;
        return text.slice(0, match.index).split('\n').length;
    });
}
/**
 * The migrations meta/_journal.json names, in journal order, with what drizzle-orm would miss: `.sql` files the
 * journal does not name (never run by drizzle-orm), and entries whose `when` is older than an entry before them
 * (skipped by drizzle-orm once that one is applied). A journal drizzle-orm cannot run is a problem.
 */
function readJournal(dir, relativeDir) {
    const journalFile = relativeDir ? `${relativeDir}/${DRIZZLE_JOURNAL}` : DRIZZLE_JOURNAL;
    const text = (0,external_node_fs_.readFileSync)((0,external_node_path_.join)(dir, DRIZZLE_JOURNAL), 'utf8');
    const problems = [];
    const notes = [];
    let journal;
    try {
        journal = JSON.parse(text);
    }
    catch (error) {
        return { migrations: [], problems: [`${journalFile} is not valid JSON: ${error.message}`], notes };
    }
    if (typeof journal.dialect === 'string' && !POSTGRES_DIALECTS.has(journal.dialect))
        problems.push(`${journalFile} is a ${journal.dialect} journal; shipline migrates PostgreSQL (dialect postgresql)`);
    if (!Array.isArray(journal.entries))
        return { migrations: [], problems: [...problems, `${journalFile} has no "entries" list`], notes };
    const raw = journal.entries;
    const lines = whenLines(text, raw);
    const entries = [];
    for (const [i, entry] of raw.entries()) {
        const { tag, when } = entry ?? {};
        if (typeof tag !== 'string' || !tag || /[\\/]/.test(tag) || typeof when !== 'number' || !Number.isSafeInteger(when))
            problems.push(`${journalFile}:${lines[i]}: entry ${i} needs a "tag" (a file name without .sql) and a "when" (milliseconds, an integer)`);
        else
            entries.push({ tag, when, line: lines[i] });
    }
    const byWhen = new Map();
    let newest;
    for (const entry of entries) {
        if (!(0,external_node_fs_.existsSync)((0,external_node_path_.join)(dir, `${entry.tag}.sql`)))
            problems.push(`${journalFile}:${entry.line}: names ${entry.tag}, but ${entry.tag}.sql is not in the folder (drizzle-orm's migrator stops there too)`);
        const twin = byWhen.get(entry.when);
        if (twin)
            problems.push(`${journalFile}:${entry.line}: ${twin.tag} and ${entry.tag} have the same "when" ${entry.when}; drizzle-orm records a migration by its "when" and, on a database where an earlier run applied one of them, skips the other`);
        byWhen.set(entry.when, entry);
        if (newest && entry.when < newest.when)
            notes.push({
                file: journalFile,
                line: entry.line,
                title: 'Journal entry older than the one before it',
                message: `${entry.tag} has "when" ${entry.when}, older than ${newest.tag} (${newest.when}) above it in the journal. drizzle-orm applies it only in the same run as everything before it: on a database where ${newest.tag} is already applied, drizzle-orm skips ${entry.tag} without a word. shipline refuses it there unless allow-out-of-order is set. Give it a "when" after ${newest.when} (or regenerate it with drizzle-kit generate).`,
            });
        if (!newest || entry.when > newest.when)
            newest = entry;
    }
    const named = new Set(entries.map((e) => `${e.tag}.sql`));
    for (const entry of (0,external_node_fs_.readdirSync)(dir, { withFileTypes: true })) {
        if (!entry.isFile() || !entry.name.endsWith('.sql') || named.has(entry.name))
            continue;
        notes.push({
            file: relativeDir ? `${relativeDir}/${entry.name}` : entry.name,
            line: 1,
            title: 'SQL file not in the Drizzle journal',
            message: `${entry.name} is not named in ${journalFile}: drizzle-orm's migrator never runs it, and neither does shipline. Delete it, or make it a journal entry (drizzle-kit generate --custom creates an empty one to write SQL into).`,
        });
    }
    const migrations = entries.map((e) => ({
        fileName: `${e.tag}.sql`,
        version: String(e.when),
        name: e.tag,
        at: { file: journalFile, line: e.line },
    }));
    return { migrations, problems, notes };
}
/** A PostgreSQL identifier, quoted as drizzle-orm's sql.identifier quotes it. */
const identifier = (name) => `"${name.replace(/"/g, '""')}"`;
/**
 * drizzle-orm's tracking table, created and written exactly as PgDialect.migrate() does (see the top of this
 * file), in the schema and table a team configured (drizzle's migrationsSchema / migrationsTable).
 */
function drizzleTracker(schema = 'drizzle', table = '__drizzle_migrations') {
    const qualified = `${identifier(schema)}.${identifier(table)}`;
    return {
        table: `${schema}.${table}`,
        setup: () => `CREATE SCHEMA IF NOT EXISTS ${identifier(schema)};
      CREATE TABLE IF NOT EXISTS ${qualified} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`,
        async read(db) {
            const { rows: found } = await db.query(`SELECT to_regclass(${quoteLiteral(qualified)}) IS NOT NULL AS present`);
            if (!found[0]?.present)
                return { rows: [], foreign: [], present: false };
            const { rows } = await db.query(`SELECT id, hash, created_at::text AS created_at FROM ${qualified} ORDER BY id`);
            const foreign = [];
            const applied = [];
            for (const r of rows) {
                // drizzle-orm always writes created_at; a row without one was written by hand and orders nothing.
                if (r.created_at === null)
                    foreign.push({ description: `row id ${r.id} with no created_at` });
                else
                    applied.push({ version: String(r.created_at), checksum: String(r.hash) });
            }
            return { rows: applied, foreign, present: true };
        },
        // created_at is the journal's `when`, an integer checked when the journal was read.
        record: (file, _statements, quote) => `INSERT INTO ${qualified} ("hash", "created_at") VALUES (${quote(drizzleHash(file.content))}, ${file.version})`,
    };
}

;// CONCATENATED MODULE: ./actions/migrate/src/formats.ts
// Migration folders: which files are migrations, their versions and order, and which part of each file is the
// "up" migration, for shipline's own formats and the tools a team may be switching from.






/** Only comments and blank lines: a down section the tool would run as nothing. */
const emptySql = (sql) => sql
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/--[^\n]*/g, '')
    .trim() === '';
/** The down section of a file that holds both directions (dbmate, goose), if it has a non-empty one. */
function downSection(file, start, end) {
    const part = between(file.content, start, end ?? /(?!)/);
    if (!part || emptySql(part.up))
        return undefined;
    return { sql: part.up, file: file.file, fileName: file.fileName, offset: part.offset, content: file.content };
}
/** A down script in a file of its own beside the up file (golang-migrate, Flyway undo), if there is a non-empty one. */
function downFile(file, dir, fileName) {
    if (!fileName)
        return undefined;
    const path = (0,external_node_path_.join)(dir, fileName);
    if (!(0,external_node_fs_.existsSync)(path))
        return undefined;
    const content = (0,external_node_fs_.readFileSync)(path, 'utf8');
    if (emptySql(content))
        return undefined;
    return { sql: content, file: file.file.replace(/[^/]*$/, fileName), fileName, offset: 0, content };
}
/**
 * Comments only shipline reads (`-- shipline:no-transaction`, `-- shipline-ignore <rule>`): they tell shipline how
 * to run or lint a file and are not part of the migration, so checksums and drift checks leave them out.
 */
const SHIPLINE_COMMENT = /^[ \t]*--[ \t]*shipline[:-][^\n]*(?:\n|$)/gm;
const withoutShiplineComments = (text) => text.replace(SHIPLINE_COMMENT, '');
/** sha256 of a file's up part as written: what rows written before shipline left its comments out hold. */
const checksumOf = (up) => (0,external_node_crypto_.createHash)('sha256').update(up).digest('hex');
/** shipline's own opt-out, accepted in every format, and Atlas's, which some teams already write. */
const formats_NO_TRANSACTION_MARKER = /^\s*--\s*(shipline:no-transaction|atlas:txmode\s+none)\s*$/im;
const textOrder = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
/** Numeric versions of any length (timestamps overflow a double). */
function numericOrder(a, b) {
    const x = BigInt(/^\d+/.exec(a)?.[0] ?? '0');
    const y = BigInt(/^\d+/.exec(b)?.[0] ?? '0');
    return x < y ? -1 : x > y ? 1 : textOrder(a, b);
}
/** Flyway's dotted versions: 1.10 after 1.9, 2 after 1.99. */
function dottedOrder(a, b) {
    const x = a.split('.').map(BigInt);
    const y = b.split('.').map(BigInt);
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
        const d = (x[i] ?? 0n) - (y[i] ?? 0n);
        if (d !== 0n)
            return d < 0n ? -1 : 1;
    }
    return 0;
}
const wholeFile = (content) => ({ up: content, offset: 0, noTransaction: formats_NO_TRANSACTION_MARKER.test(content) });
/** The lines between a start marker and an end marker (or the end of the file). */
function between(content, start, end) {
    const s = start.exec(content);
    if (!s)
        return undefined;
    const offset = s.index + s[0].length;
    const rest = content.slice(offset);
    const e = end.exec(rest);
    return { up: e ? rest.slice(0, e.index) : rest, offset, startLine: s[0] };
}
const FORMATS = {
    supabase: {
        name: 'supabase',
        match: (f) => {
            const m = /^([0-9]+)_(.*)\.sql$/.exec(f);
            return m ? { version: m[1], name: m[2] } : undefined;
        },
        compare: textOrder,
        up: wholeFile,
    },
    plain: {
        name: 'plain',
        // The CRB Analyser migrator tracks the whole stem ("001_initial_schema") as the version.
        match: (f) => {
            const m = /^(\d+)_(.+)\.sql$/.exec(f);
            return m ? { version: `${m[1]}_${m[2]}`, name: m[2] } : undefined;
        },
        compare: numericOrder,
        up: wholeFile,
    },
    dbmate: {
        name: 'dbmate',
        match: (f) => {
            const m = /^(\d+)_?(.*)\.sql$/.exec(f);
            return m ? { version: m[1], name: m[2] } : undefined;
        },
        compare: numericOrder,
        up: (content) => {
            const part = between(content, /^--\s*migrate:up\b.*$/m, /^--\s*migrate:down\b.*$/m);
            if (!part)
                throw new errors/* ShiplineError */.J0("no '-- migrate:up' line (dbmate format)");
            return {
                up: part.up,
                offset: part.offset,
                noTransaction: /transaction:false/.test(part.startLine) || formats_NO_TRANSACTION_MARKER.test(part.up),
            };
        },
        // dbmate runs everything after the `-- migrate:down` line (its pkg/dbmate/migration.go parseMigrationContents).
        down: (file) => downSection(file, /^--\s*migrate:down\b.*$/m, /^--\s*migrate:up\b.*$/m),
    },
    goose: {
        name: 'goose',
        match: (f) => {
            const m = /^(\d+)_(.+)\.sql$/.exec(f);
            return m ? { version: String(BigInt(m[1])), name: m[2] } : undefined;
        },
        compare: numericOrder,
        up: (content) => {
            const part = between(content, /^--\s*\+goose\s+Up\b.*$/im, /^--\s*\+goose\s+Down\b.*$/im);
            if (!part)
                throw new errors/* ShiplineError */.J0("no '-- +goose Up' line (goose format)");
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
            return m ? { version: String(BigInt(m[1])), name: m[2] } : undefined;
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
                ? { version: m[1].replace(/_/g, '.'), name: m[2].replace(/_/g, ' ') }
                : undefined;
        },
        ignore: (f) => /^[UR]\d*__/.test(f) || /^R__/.test(f),
        compare: dottedOrder,
        up: wholeFile,
        // Flyway's undo migration: U<version>__<description>.sql, the same version as the V file it undoes (any
        // description; the version is what pairs them).
        down: (file, dir) => downFile(file, dir, (0,external_node_fs_.readdirSync)(dir).find((f) => {
            const m = /^U(\d+(?:[._]\d+)*)__.+\.sql$/.exec(f);
            return m !== null && dottedOrder(m[1].replace(/_/g, '.'), file.version) === 0;
        })),
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
            late: (file) => ` (its journal "when"): drizzle-orm's migrator compares each entry only with the newest applied created_at, so it would skip ${file.name} without a word`,
            outOfOrder: 'In meta/_journal.json, give the entry a "when" after the newest applied one (drizzle-orm itself would skip it silently), or set \'allow-out-of-order: true\' to apply it.',
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
function resolveDir(workspace, dir) {
    if (dir) {
        const full = (0,external_node_path_.join)(workspace, dir);
        if (!(0,external_node_fs_.existsSync)(full) || !(0,external_node_fs_.statSync)(full).isDirectory())
            throw new errors/* ShiplineError */.J0(`Input 'dir': ${dir} is not a folder in the workspace (${workspace})`);
        return full;
    }
    const found = DEFAULT_DIRS.map((d) => (0,external_node_path_.join)(workspace, d)).find((d) => (0,external_node_fs_.existsSync)(d) && (0,external_node_fs_.statSync)(d).isDirectory());
    if (!found)
        throw new errors/* ShiplineError */.J0(`No migrations folder found in the workspace: looked for ${DEFAULT_DIRS.join(', ')}`, {
            hint: "Set input 'dir' to the folder holding your .sql migrations.",
        });
    return found;
}
/** The format a folder is written in, from its path, its file names and its markers. */
function detectFormat(dir) {
    if (/(^|[\\/])supabase[\\/]migrations[\\/]?$/.test(dir))
        return 'supabase';
    if (isPrismaFolder(dir))
        return 'prisma';
    if (isDrizzleFolder(dir))
        return 'drizzle';
    const files = (0,external_node_fs_.readdirSync)(dir).filter((f) => f.endsWith('.sql'));
    if (files.some((f) => /^V\d+(?:[._]\d+)*__.+\.sql$/.test(f)))
        return 'flyway';
    if (files.some((f) => /\.up\.sql$/.test(f)))
        return 'golang-migrate';
    const sample = files.slice(0, 20).map((f) => (0,external_node_fs_.readFileSync)((0,external_node_path_.join)(dir, f), 'utf8'));
    if (sample.some((c) => /^--\s*\+goose\s+Up/im.test(c)))
        return 'goose';
    if (sample.some((c) => /^--\s*migrate:up/m.test(c)))
        return 'dbmate';
    return 'plain';
}
function readFolder(dir, workspace, format) {
    if (format.name === 'prisma')
        return readPrismaFolder(dir, workspace);
    const skipped = [];
    const files = [];
    const problems = [];
    // One readdir with file types and plain string paths: status on a 10,000-file history stays well under a second.
    const relativeDir = (0,external_node_path_.relative)(workspace, dir).split(external_node_path_.sep).join('/');
    if (format.index)
        return readIndexedFolder(dir, relativeDir, format, format.index(dir, relativeDir));
    for (const entry of (0,external_node_fs_.readdirSync)(dir, { withFileTypes: true })) {
        const fileName = entry.name;
        if (!fileName.endsWith('.sql') || !entry.isFile())
            continue;
        const id = format.match(fileName);
        if (!id) {
            if (!format.ignore?.(fileName))
                skipped.push(fileName);
            continue;
        }
        const path = (0,external_node_path_.join)(dir, fileName);
        const content = (0,external_node_fs_.readFileSync)(path, 'utf8');
        const file = relativeDir ? `${relativeDir}/${fileName}` : fileName;
        try {
            const { up, offset, noTransaction, cuts } = format.up(content);
            files.push(migrationFile({ ...id, fileName, file, path, content, up, upOffset: offset, noTransaction, cuts }));
        }
        catch (error) {
            problems.push(`${file}: ${error.message}`);
        }
    }
    files.sort((a, b) => format.compare(a.version, b.version));
    for (let i = 1; i < files.length; i++) {
        const [a, b] = [files[i - 1], files[i]];
        if (format.compare(a.version, b.version) === 0)
            problems.push(`${a.file} and ${b.file} have the same version ${a.version}`);
    }
    skipped.sort();
    if (problems.length > 0)
        throw new errors/* ShiplineError */.J0(`The migrations folder has problems:\n- ${problems.join('\n- ')}`);
    return { files, skipped };
}
/** The migrations an index file names, in its order (the tool's order, which may differ from the versions'). */
function readIndexedFolder(dir, relativeDir, format, index) {
    const problems = [...index.problems];
    const files = [];
    for (const { fileName, version, name, at } of index.migrations) {
        const path = (0,external_node_path_.join)(dir, fileName);
        const file = relativeDir ? `${relativeDir}/${fileName}` : fileName;
        if (!(0,external_node_fs_.existsSync)(path))
            continue; // the index's reader reported it
        const content = (0,external_node_fs_.readFileSync)(path, 'utf8');
        try {
            const { up, offset, noTransaction, cuts } = format.up(content);
            files.push(migrationFile({ version, name, fileName, file, path, content, up, upOffset: offset, noTransaction, cuts, at }));
        }
        catch (error) {
            problems.push(`${file}: ${error.message}`);
        }
    }
    if (problems.length > 0)
        throw new errors/* ShiplineError */.J0(`The migrations folder has problems:\n- ${problems.join('\n- ')}`);
    return { files, skipped: [], notes: index.notes };
}
/**
 * A migration file whose checksum (of the up part without shipline's own comments) is computed when first asked
 * for (status on a Supabase folder never needs it).
 */
function migrationFile(fields) {
    let checksum;
    return Object.defineProperty(fields, 'checksum', {
        enumerable: true,
        get: () => (checksum ??= checksumOf(withoutShiplineComments(fields.up))),
    });
}

// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
// EXTERNAL MODULE: external "node:v8"
var external_node_v8_ = __webpack_require__(8877);
;// CONCATENATED MODULE: ./actions/migrate/src/parser-wasm.mjs
// The PostgreSQL parser's WebAssembly binary. Plain JavaScript on purpose: here ncc's asset relocator sees the
// `new URL(…, import.meta.url)` and ships the file next to the bundle byte for byte (from TypeScript, webpack
// rewrites import.meta.url first and the file is lost, or re-encoded as text).


function readParserWasm() {
  return (0,external_node_fs_.readFileSync)(__webpack_require__.ab + "libpg-query.wasm");
}

;// CONCATENATED MODULE: ./actions/migrate/src/pg-parser.ts
// The PostgreSQL parser (libpg_query compiled to WebAssembly, from the libpg-query package), loaded here rather
// than through the package's own entry point: that one finds its .wasm file through __dirname, which an ES module
// bundle does not have. The binary is read by parser-wasm.mjs (so ncc ships it next to the bundle), and handed
// to the Emscripten factory through its instantiateWasm hook.




class ParseError extends Error {
    /** 0-based character offset of the error in the parsed text (PostgreSQL counts characters here). */
    cursorPosition;
    constructor(message, cursorPosition) {
        super(message);
        this.cursorPosition = cursorPosition;
    }
}
/** The global WebAssembly API (this project's TypeScript lib settings do not declare it). */
const wasmApi = () => globalThis.WebAssembly;
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
let loading;
function load() {
    let fail = () => undefined;
    const failed = new Promise((_, reject) => {
        fail = reject;
    });
    loading ??= (async () => {
        const wasmBinary = readParserWasm();
        (0,external_node_v8_.setFlagsFromString)(BASELINE_ONLY_WASM_FLAGS);
        // The factory reads the free variable __dirname on Node (only to build a path it never uses once wasmBinary
        // is given); in an ES module bundle that variable does not exist, so it is provided globally.
        const scope = globalThis;
        scope.__dirname ??= (0,external_node_path_.dirname)((0,external_node_url_.fileURLToPath)(import.meta.url));
        // instantiateWasm: the Emscripten hook for supplying the module ourselves (this build ignores wasmBinary).
        const instantiateWasm = (imports, done) => {
            wasmApi()
                .instantiate(wasmBinary, imports)
                .then((result) => done(result.instance), fail);
            return {};
        };
        // The Emscripten glue (250 kB of JavaScript) is loaded here, with the parser, not with the code that imports
        // this module: a run connects to the database first, and one with nothing to apply never loads it.
        // @ts-expect-error: the Emscripten factory has no type declarations.
        const { default: PgQueryModule } = await __webpack_require__.e(/* import() */ 995).then(__webpack_require__.t.bind(__webpack_require__, 3995, 23));
        return Promise.race([PgQueryModule({ instantiateWasm }), failed]);
    })();
    return loading;
}
/** Parses SQL text into libpg_query's JSON parse tree, or throws ParseError with the server's message. */
async function parseSql(sql) {
    const wasm = await load();
    if (sql.trim() === '')
        return { stmts: [] };
    const length = wasm.lengthBytesUTF8(sql) + 1;
    const queryPtr = wasm._malloc(length);
    let resultPtr = 0;
    try {
        wasm.stringToUTF8(sql, queryPtr, length);
        resultPtr = wasm._wasm_parse_query_raw(queryPtr);
        if (!resultPtr)
            throw new Error('libpg_query: out of memory');
        // struct PgQueryParseResult { char *parse_tree; char *stderr_buffer; PgQueryError *error; }
        const treePtr = wasm.getValue(resultPtr, 'i32');
        const errorPtr = wasm.getValue(resultPtr + 8, 'i32');
        if (errorPtr) {
            // struct PgQueryError { char *message; char *funcname; char *filename; int lineno; int cursorpos; }
            const messagePtr = wasm.getValue(errorPtr, 'i32');
            const cursor = wasm.getValue(errorPtr + 16, 'i32');
            throw new ParseError(messagePtr ? wasm.UTF8ToString(messagePtr) : 'syntax error', cursor > 0 ? cursor - 1 : 0);
        }
        return JSON.parse(wasm.UTF8ToString(treePtr));
    }
    finally {
        wasm._free(queryPtr);
        if (resultPtr)
            wasm._wasm_free_parse_result(resultPtr);
    }
}
/**
 * Parses a PL/pgSQL function (a whole `CREATE FUNCTION … LANGUAGE plpgsql AS …` statement) into libpg_query's
 * JSON tree of PL/pgSQL statements, or throws ParseError with the PL/pgSQL compiler's message.
 */
async function parsePlpgsql(createFunction) {
    const wasm = await load();
    const length = wasm.lengthBytesUTF8(createFunction) + 1;
    const queryPtr = wasm._malloc(length);
    let resultPtr = 0;
    try {
        wasm.stringToUTF8(createFunction, queryPtr, length);
        resultPtr = wasm._wasm_parse_plpgsql(queryPtr);
        if (!resultPtr)
            throw new Error('libpg_query: out of memory');
        // Success is a JSON object; anything else is the error message.
        const text = wasm.UTF8ToString(resultPtr);
        if (!text.startsWith('{'))
            throw new ParseError(text, 0);
        return JSON.parse(text);
    }
    finally {
        wasm._free(queryPtr);
        if (resultPtr)
            wasm._wasm_free_string(resultPtr);
    }
}
/** The server's own lexer over `sql` (comments included as tokens), for exact statement boundaries. */
async function scanSql(sql) {
    const wasm = await load();
    if (sql.trim() === '')
        return [];
    const length = wasm.lengthBytesUTF8(sql) + 1;
    const queryPtr = wasm._malloc(length);
    let resultPtr = 0;
    try {
        wasm.stringToUTF8(sql, queryPtr, length);
        resultPtr = wasm._wasm_scan(queryPtr);
        if (!resultPtr)
            throw new Error('libpg_query: out of memory');
        const text = wasm.UTF8ToString(resultPtr);
        if (!text.startsWith('{'))
            throw new ParseError(text, 0);
        const tokens = JSON.parse(text).tokens ?? [];
        return tokens.map(({ start, end, tokenName }) => ({ start, end, tokenName }));
    }
    finally {
        wasm._free(queryPtr);
        if (resultPtr)
            wasm._wasm_free_string(resultPtr);
    }
}

;// CONCATENATED MODULE: ./actions/migrate/src/sql.ts
// Statement splitting and classification with the real PostgreSQL parser (libpg_query compiled to WASM), so
// dollar quotes, BEGIN ATOMIC bodies, nested comments and E'' strings split exactly as the server reads them.


/** 1-based line and column of a character offset. */
function positionAt(text, offset) {
    let line = 1;
    let lineStart = 0;
    for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
        line++;
        lineStart = i + 1;
    }
    return { line, column: offset - lineStart + 1 };
}
/** A SQL file that the PostgreSQL parser rejects; `offset` is a character offset in the whole file. */
class SqlSyntaxError extends errors/* ShiplineError */.J0 {
    offset;
    constructor(message, offset) {
        super(message);
        this.offset = offset;
    }
}
const CONCURRENT_REINDEX = (node) => (node.params ?? []).some((p) => p.DefElem?.defname === 'concurrently');
/** Statements PostgreSQL refuses inside a transaction block, recognised from the parse tree. */
function nonTransactionalReason(kind, node) {
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
const isSpace = (byte) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0x0c || byte === 0x0b;
/** Byte range [first token start, last token end) of a statement within [start, end) of `bytes`. */
async function ownText(bytes, start, end) {
    const text = bytes.subarray(start, end).toString('utf8');
    if (!text.includes('--') && !text.includes('/*')) {
        let [first, last] = [start, end];
        while (first < last && isSpace(bytes[first]))
            first++;
        while (last > first && isSpace(bytes[last - 1]))
            last--;
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
async function splitStatements(section, baseOffset = 0) {
    const bytes = Buffer.from(section, 'utf8');
    let tree;
    try {
        tree = await parseSql(section);
    }
    catch (error) {
        // PostgreSQL reports error positions in characters (not bytes), like the server does.
        if (error instanceof ParseError)
            throw new SqlSyntaxError(error.message, baseOffset + Math.min(error.cursorPosition, section.length));
        throw error;
    }
    // The parser's statement ranges include comments up to the `;` (or, for the last statement, to the end of the
    // text); where a statement's range holds a comment at all, the lexer's tokens say where its own text really
    // starts and ends (most statements have none, and skip the lexer).
    const statements = [];
    let previousEnd = 0; // byte offset just past the previous statement's `;`
    let charsBefore = 0; // characters before byte offset `bytesBefore`
    let bytesBefore = 0;
    const charAt = (byteOffset) => {
        charsBefore += bytes.subarray(bytesBefore, byteOffset).toString('utf8').length;
        bytesBefore = byteOffset;
        return charsBefore;
    };
    for (const raw of tree.stmts ?? []) {
        const start = raw.stmt_location ?? 0;
        const end = raw.stmt_len ? start + raw.stmt_len : bytes.length;
        const [kind, node] = Object.entries(raw.stmt)[0];
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

// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
;// CONCATENATED MODULE: ./shared/collections.ts
// Loops for lists whose length outside input decides (a migration file's statements, a health document's
// components, a watch's samples): `target.push(...items)` and `Math.max(...values)` pass every item as an argument,
// and past about 120,000 of them that overflows the stack (RangeError) whatever the memory.
/** Appends every item to `target`, one at a time. */
function appendAll(target, items) {
    for (const item of items)
        target.push(item);
    return target;
}
/** The largest of `values`, or `floor` when it is larger or there are none. */
function largest(values, floor = -Infinity) {
    let max = floor;
    for (const value of values)
        if (value > max)
            max = value;
    return max;
}
/** The smallest of `values`, or `ceiling` when it is smaller or there are none. */
function smallest(values, ceiling = Infinity) {
    let min = ceiling;
    for (const value of values)
        if (value < min)
            min = value;
    return min;
}
/**
 * How deeply arrays and objects nest in a parsed JSON value, counted without recursion (JSON.parse reads any depth,
 * but a recursive walk, JSON.stringify among them, overflows the stack near 10,000 levels). Stops counting past
 * `limit`: the answer is then `limit + 1`, whatever the real depth.
 */
function nestingDepth(value, limit) {
    let deepest = 0;
    const pending = [[value, 1]];
    while (pending.length > 0) {
        const [item, depth] = pending.pop();
        if (item === null || typeof item !== 'object')
            continue;
        if (depth > deepest)
            deepest = depth;
        if (deepest > limit)
            return limit + 1;
        for (const child of Object.values(item))
            if (child !== null && typeof child === 'object')
                pending.push([child, depth + 1]);
    }
    return deepest;
}

;// CONCATENATED MODULE: ./actions/migrate/src/tracking.ts
// Tracking tables: where each format records what has been applied, written exactly as its own tool writes it,
// so a team can switch to shipline (or back) without re-baselining. Every write happens inside the migration's
// own transaction, so a file and its tracking row commit together or not at all.







// The first query of a read has no parameters (the names are shipline's own, written as literals): it can then
// travel in one message with the migration lock (lock.ts, lockAndRead).
async function tableExists(db, name) {
    const { rows } = await db.query(`SELECT to_regclass(${quoteLiteral(name)}) IS NOT NULL AS present`);
    return Boolean(rows[0]?.present);
}
/**
 * Formats whose own table has no checksum (dbmate, goose, golang-migrate) keep it here, written in the same
 * transaction as the tool's row; the tool itself never looks at this schema.
 */
const SIDE = 'shipline_migrations.checksums';
const SIDE_SETUP = `CREATE SCHEMA IF NOT EXISTS shipline_migrations;
    CREATE TABLE IF NOT EXISTS ${SIDE} (tracking text NOT NULL, version text NOT NULL, checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (tracking, version))`;
async function readSide(db, tracking) {
    const { rows } = await db.query(`SELECT version, checksum FROM ${SIDE} WHERE tracking = $1`, [tracking]);
    return new Map(rows.map((r) => [String(r.version), String(r.checksum)]));
}
function recordSide(tracking, file, quote) {
    return `INSERT INTO ${SIDE} (tracking, version, checksum) VALUES (${quote(tracking)}, ${quote(file.version)}, ${quote(file.checksum)})
     ON CONFLICT (tracking, version) DO UPDATE SET checksum = excluded.checksum, applied_at = now()`;
}
/** Forgets a reverted file's checksum, where shipline's side table exists (a table the tool alone wrote has none). */
function unrecordSide(tracking, file, quote) {
    return `DO $shipline$ BEGIN IF to_regclass('${SIDE}') IS NOT NULL THEN
    DELETE FROM ${SIDE} WHERE tracking = ${quote(tracking)} AND version = ${quote(file.version)}; END IF; END $shipline$`;
}
const NONE = { rows: [], foreign: [], present: false };
const textArray = (values, quote) => `ARRAY[${values.map(quote).join(', ')}]::text[]`;
const supabase = {
    table: 'supabase_migrations.schema_migrations',
    // The Supabase CLI's own statements, minus its `SET lock_timeout = '4s'`, which leaks into user migrations.
    setup: () => `CREATE SCHEMA IF NOT EXISTS supabase_migrations;
      CREATE TABLE IF NOT EXISTS supabase_migrations.schema_migrations (version text NOT NULL PRIMARY KEY);
      ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS statements text[];
      ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS name text`,
    async read(db) {
        // Whether the table is there and has the column, in one round trip. pg_attribute, not information_schema: this
        // is often a new session's first query, and the view costs it some 15 ms of catalog loading on the server.
        const { rows: found } = await db.query(`SELECT to_regclass('supabase_migrations.schema_migrations') IS NOT NULL AS present, EXISTS (SELECT 1 FROM pg_attribute
         WHERE attrelid = to_regclass('supabase_migrations.schema_migrations') AND attname = 'statements' AND NOT attisdropped) AS statements`);
        if (!found[0]?.present)
            return NONE;
        const { rows } = await db.query(`SELECT version${found[0].statements ? ', statements' : ''} FROM supabase_migrations.schema_migrations`);
        return {
            rows: rows.map((r) => ({ version: String(r.version), statements: r.statements ?? undefined })),
            foreign: [],
            present: true,
        };
    },
    record(file, statements, quote) {
        return `INSERT INTO supabase_migrations.schema_migrations (version, name, statements) VALUES (${quote(file.version)}, ${quote(file.name)}, ${textArray(statements, quote)})`;
    },
};
/**
 * How a home-made `schema_migrations` writes a file's version. The CRB Analyser migrator stores the file stem
 * (`001_initial_schema`); others store the file name, the number as written (`001`) or the number (`1`).
 * Rule: each recorded version is matched against the files in this order of shapes, and new rows are written in
 * the shape the table already uses (the stem for a new table), so the team's own migrator keeps agreeing.
 */
const VERSION_SHAPES = ['stem', 'file', 'number', 'integer'];
const numberOf = (file) => /^\d+/.exec(file.fileName)?.[0] ?? file.version;
function versionInShape(file, shape) {
    switch (shape) {
        case 'stem':
            return file.version;
        case 'file':
            return file.fileName;
        case 'number':
            return numberOf(file);
        case 'integer':
            return String(BigInt(numberOf(file)));
    }
}
/** Recorded versions → the files they name, and the shape the table uses; an ambiguous version is an error. */
function matchShapes(recorded, files) {
    const indexes = VERSION_SHAPES.map((shape) => {
        const index = new Map();
        for (const f of files) {
            const key = versionInShape(f, shape);
            index.set(key, [...(index.get(key) ?? []), f]);
        }
        return [shape, index];
    });
    const used = new Map();
    const versions = [];
    for (const value of recorded) {
        const hit = indexes.find(([, index]) => index.has(value));
        if (!hit) {
            versions.push(value);
            continue;
        }
        const [shape, index] = hit;
        const matches = index.get(value);
        if (matches.length > 1)
            throw new errors/* ShiplineError */.J0(`schema_migrations records version ${value}, which could be any of ${matches.map((f) => f.file).join(', ')}`, {
                hint: 'Give those files distinct numbers, or record the full file stem as the version: shipline will not guess which one ran.',
            });
        used.set(shape, (used.get(shape) ?? 0) + 1);
        versions.push(matches[0].version);
    }
    const shape = [...used].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'stem';
    return { versions, shape };
}
function plainTracker() {
    let shape = 'stem';
    return {
        table: 'schema_migrations',
        // Adopts the CRB Analyser table (version, applied_at) as it is, adding only the checksum column.
        setup: () => `CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
        ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum text`,
        async read(db, files) {
            // Whether the table is there and has the column, in one round trip (pg_attribute: see the Supabase tracker).
            // The column is looked up on the table search_path finds, the one every later statement uses.
            const { rows: found } = await db.query(`SELECT to_regclass('schema_migrations') IS NOT NULL AS present, EXISTS (SELECT 1 FROM pg_attribute
           WHERE attrelid = to_regclass('schema_migrations') AND attname = 'checksum' AND NOT attisdropped) AS checksum`);
            if (!found[0]?.present)
                return NONE;
            const { rows } = await db.query(`SELECT version::text AS version${found[0].checksum ? ', checksum' : ''} FROM schema_migrations`);
            const matched = matchShapes(rows.map((r) => String(r.version)), files);
            shape = matched.shape;
            return {
                rows: rows.map((r, i) => ({ version: matched.versions[i], checksum: r.checksum ?? undefined })),
                foreign: [],
                present: true,
            };
        },
        record(file, _statements, quote) {
            return `INSERT INTO schema_migrations (version, applied_at, checksum) VALUES (${quote(versionInShape(file, shape))}, now(), ${quote(file.checksum)})`;
        },
    };
}
function withSide(tracker) {
    return {
        ...tracker,
        setup: (present) => [tracker.setup(present), SIDE_SETUP].filter(Boolean).join(';\n'),
        async read(db, files, dir) {
            // Both tables' presence in one round trip.
            const { rows: found } = await db.query(`SELECT to_regclass(${quoteLiteral(tracker.table)}) IS NOT NULL AS present, to_regclass('${SIDE}') IS NOT NULL AS side`);
            if (!found[0]?.present)
                return NONE;
            const checksums = found[0].side ? await readSide(db, tracker.table) : new Map();
            const versions = await tracker.readVersions(db, files);
            const foreign = tracker.foreign?.(versions, files, dir) ?? new Map();
            return {
                rows: versions.filter((v) => !foreign.has(v)).map((version) => ({ version, checksum: checksums.get(version) })),
                foreign: [...foreign].map(([version, description]) => ({
                    version,
                    description,
                    ordered: tracker.table === 'goose_db_version',
                })),
                present: true,
            };
        },
        record(file, _statements, quote) {
            return `${tracker.insert(file, quote)};\n${recordSide(tracker.table, file, quote)}`;
        },
        unrecord(file, _down, previous, quote) {
            return `${tracker.remove(file, previous, quote)};\n${unrecordSide(tracker.table, file, quote)}`;
        },
    };
}
const dbmate = withSide({
    table: 'schema_migrations',
    // As dbmate (2.27 and later) creates it: a plain varchar.
    setup: () => 'CREATE TABLE IF NOT EXISTS schema_migrations (version varchar PRIMARY KEY)',
    async readVersions(db) {
        const { rows } = await db.query('SELECT version::text AS version FROM schema_migrations');
        return rows.map((r) => String(r.version));
    },
    // dbmate never compares its rows with the files (a row of another --migrations-dir is normal to it).
    foreign: (versions, files) => {
        const known = new Set(files.map((f) => f.version));
        return new Map(versions
            .filter((v) => !known.has(v))
            .map((v) => [
            v,
            `dbmate version ${v}, with no file in this folder (dbmate itself does not check its rows against the files)`,
        ]));
    },
    insert: (file, quote) => `INSERT INTO schema_migrations (version) VALUES (${quote(file.version)})`,
    // dbmate's down deletes the version's row (pkg/driver/postgres/postgres.go, DeleteMigration:
    // "delete from schema_migrations where version = $1"), in the down's transaction.
    remove: (file, _previous, quote) => `DELETE FROM schema_migrations WHERE version = ${quote(file.version)}`,
});
const goose = withSide({
    table: 'goose_db_version',
    // goose creates its table with a version 0 row; goose itself relies on it. A table already there is left as it is.
    setup: (present) => present
        ? ''
        : `CREATE TABLE goose_db_version (id integer PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, version_id bigint NOT NULL,
      is_applied boolean NOT NULL, tstamp timestamp NOT NULL DEFAULT now());
      INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true)`,
    // The latest row per version says whether it is applied (a down migration adds an is_applied = false row).
    async readVersions(db) {
        const { rows } = await db.query(`SELECT version_id::text AS version FROM (
      SELECT DISTINCT ON (version_id) version_id, is_applied FROM goose_db_version ORDER BY version_id, id DESC) latest
      WHERE is_applied AND version_id <> 0`);
        return rows.map((r) => String(r.version));
    },
    // goose runs Go migrations (<version>_name.go, registered in code) from the same folder and the same table.
    foreign: (versions, files, dir) => {
        const known = new Set(files.map((f) => f.version));
        const goFiles = new Map();
        for (const name of safeList(dir)) {
            const m = /^(\d+)_.+\.go$/.exec(name);
            if (m && !name.endsWith('_test.go'))
                goFiles.set(String(BigInt(m[1])), name);
        }
        return new Map(versions
            .filter((v) => !known.has(v) && goFiles.has(v))
            .map((v) => [v, `goose Go migration ${goFiles.get(v)} (version ${v})`]));
    },
    insert: (file, quote) => `INSERT INTO goose_db_version (version_id, is_applied) VALUES (${quote(file.version)}, true)`,
    // goose v3 deletes the version's rows on a down rather than adding an is_applied = false row (provider_run.go,
    // maybeInsertOrDelete → store.Delete; internal/dialect/dialectquery/postgres.go, DeleteVersion:
    // "DELETE FROM goose_db_version WHERE version_id=$1"); the legacy goose.Down path does the same (migration.go,
    // deleteVersionSQL). readVersions above also reads the is_applied = false rows very old versions wrote.
    remove: (file, _previous, quote) => `DELETE FROM goose_db_version WHERE version_id = ${quote(file.version)}`,
});
/** golang-migrate keeps one row: the current version, and whether a migration died half-way (dirty). */
const golangMigrate = withSide({
    table: 'schema_migrations',
    setup: () => 'CREATE TABLE IF NOT EXISTS schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)',
    async readVersions(db, files) {
        const { rows } = await db.query('SELECT version::text AS version, dirty FROM schema_migrations LIMIT 1');
        const row = rows[0];
        if (!row)
            return [];
        if (row.dirty)
            throw new errors/* ShiplineError */.J0(`schema_migrations says version ${row.version} is dirty: a migration failed half-way outside a transaction`, {
                hint: 'Check that migration by hand, then set dirty = false (golang-migrate: migrate force <version>) and run again.',
            });
        const current = BigInt(row.version);
        // Everything up to the current version counts as applied, as golang-migrate reads it; the current version
        // itself is listed even without a file, so a missing file is noticed.
        const versions = files.filter((f) => BigInt(f.version) <= current).map((f) => f.version);
        return versions.includes(String(current)) ? versions : [...versions, String(current)];
    },
    insert: (file, quote) => `DELETE FROM schema_migrations; INSERT INTO schema_migrations (version, dirty) VALUES (${quote(file.version)}, false)`,
    // golang-migrate's down of version N leaves the version before it in the source (or none): migrate.go runs
    // SetVersion(prev, true), the down script, then SetVersion(prev, false); database/postgres SetVersion deletes the
    // row and inserts (version, dirty) only when version >= 0, so below the first migration the table is left empty.
    remove: (_file, previous, quote) => previous
        ? `DELETE FROM schema_migrations; INSERT INTO schema_migrations (version, dirty) VALUES (${quote(previous.version)}, false)`
        : 'DELETE FROM schema_migrations',
});
golangMigrate.beginUnsafe = (file, quote) => `DELETE FROM schema_migrations; INSERT INTO schema_migrations (version, dirty) VALUES (${quote(file.version)}, true)`;
function safeList(dir) {
    try {
        return (0,external_node_fs_.readdirSync)(dir);
    }
    catch {
        return [];
    }
}
/** Flyway's checksum: CRC32 over the script's lines without their line endings (BOM dropped), as a signed int. */
function flywayChecksum(content) {
    let crc = 0;
    const lines = content.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
    if (lines.length > 0 && lines[lines.length - 1] === '')
        lines.pop();
    for (const line of lines)
        crc = (0,external_node_zlib_.crc32)(Buffer.from(line, 'utf8'), crc);
    return crc | 0;
}
/** Row types of versioned migrations shipline runs from .sql files (and baselines, which count as applied). */
const FLYWAY_SQL_TYPES = new Set(['SQL', 'BASELINE', 'SQL_BASELINE', 'JDBC_BASELINE', 'SCRIPT_BASELINE']);
const FLYWAY_KINDS = {
    JDBC: 'Java migration',
    SPRING_JDBC: 'Spring Java migration',
    SCRIPT: 'script migration',
    CUSTOM: 'custom migration',
    UNDO_SQL: 'undo migration',
    UNDO_JDBC: 'Java undo migration',
    UNDO_SPRING_JDBC: 'Spring Java undo migration',
    UNDO_SCRIPT: 'undo script',
};
const flyway = {
    table: 'flyway_schema_history',
    setup: (present) => present
        ? ''
        : `CREATE TABLE flyway_schema_history (installed_rank integer NOT NULL, version varchar(50), description varchar(200) NOT NULL,
      type varchar(20) NOT NULL, script varchar(1000) NOT NULL, checksum integer, installed_by varchar(100) NOT NULL,
      installed_on timestamp NOT NULL DEFAULT now(), execution_time integer NOT NULL, success boolean NOT NULL,
      CONSTRAINT flyway_schema_history_pk PRIMARY KEY (installed_rank));
      CREATE INDEX flyway_schema_history_s_idx ON flyway_schema_history (success)`,
    async read(db) {
        if (!(await tableExists(db, 'flyway_schema_history')))
            return NONE;
        const { rows } = await db.query(`SELECT version, description, type, script, checksum, success FROM flyway_schema_history WHERE type NOT IN ('SCHEMA', 'DELETE') ORDER BY installed_rank`);
        const failed = rows.find((r) => !r.success);
        if (failed)
            throw new errors/* ShiplineError */.J0(`flyway_schema_history records a failed migration: ${failed.version === null ? `repeatable ${failed.script}` : `version ${failed.version}`}`, {
                hint: 'Clean up after it by hand, then remove the failed row (flyway repair) and run again.',
            });
        const history = { rows: [], foreign: [], present: true };
        const repeatables = new Map();
        // Flyway's undo records an UNDO_SQL row after the version's SQL row, and the version then counts as not
        // applied (Flyway's "Undone" state, documentation.red-gate.com "Flyway schema history table"); applied again,
        // it gets a new SQL row. So a version's latest row alone says what it is.
        const latest = new Map();
        rows.forEach((r, i) => r.version !== null && latest.set(String(r.version), i));
        for (const [i, r] of rows.entries()) {
            if (r.version !== null && (latest.get(String(r.version)) !== i || String(r.type).startsWith('UNDO_')))
                continue;
            const type = String(r.type);
            if (r.version === null) {
                // Flyway re-records a repeatable migration each time its checksum changes: the latest row stands for it.
                repeatables.set(String(r.script), {
                    description: `repeatable migration ${r.script} (${type}), re-run by Flyway when it changes`,
                });
            }
            else if (FLYWAY_SQL_TYPES.has(type)) {
                history.rows.push({
                    version: String(r.version),
                    checksum: type.endsWith('BASELINE') || r.checksum === null ? undefined : String(r.checksum),
                });
            }
            else {
                history.foreign.push({
                    version: String(r.version),
                    ordered: true,
                    description: `${FLYWAY_KINDS[type] ?? `${type} migration`} ${r.script} (version ${r.version}, ${type})`,
                });
            }
        }
        appendAll(history.foreign, repeatables.values());
        return history;
    },
    /**
     * Flyway Teams' undo adds a row for the undo script (type UNDO_SQL, the undone version, the U file's name,
     * description and checksum) rather than removing the SQL row.
     */
    unrecord(file, down, _previous, quote) {
        const description = /^U[^_]*(?:_\d+)*__(.+)\.sql$/.exec(down.fileName)?.[1]?.replace(/_/g, ' ') ?? file.name;
        return `INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
       SELECT coalesce(max(installed_rank), 0) + 1, ${quote(file.version)}, ${quote(description)}, 'UNDO_SQL', ${quote(down.fileName)}, ${flywayChecksum(down.content)},
         current_user, (extract(epoch FROM clock_timestamp() - now()) * 1000)::int, true FROM flyway_schema_history`;
    },
    // execution_time: the time since the migration's transaction began (now() is its start).
    record(file, _statements, quote) {
        return `INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
       SELECT coalesce(max(installed_rank), 0) + 1, ${quote(file.version)}, ${quote(file.name)}, 'SQL', ${quote(file.fileName)}, ${flywayChecksum(file.content)},
         current_user, (extract(epoch FROM clock_timestamp() - now()) * 1000)::int, true FROM flyway_schema_history`;
    },
};
/** The tracker of a format, fresh for each run (a home-made table's version shape is learnt when it is read). */
function trackerFor(format, names = {}) {
    if (format === 'plain')
        return plainTracker();
    if (format === 'prisma')
        return prismaTracker();
    if (format === 'drizzle')
        return drizzleTracker(names.drizzleSchema, names.drizzleTable);
    return { supabase, dbmate, goose, 'golang-migrate': golangMigrate, flyway }[format];
}
/** The value a format's tracking row holds for drift checks, to compare with a file. */
function expectedChecksum(format, file) {
    if (format === 'prisma')
        return prismaChecksum(file.content);
    return format === 'flyway' ? String(flywayChecksum(file.content)) : file.checksum;
}

;// CONCATENATED MODULE: ./actions/migrate/src/migrator.ts
// The migration engine: parse every file, check the folder against the tracking table before anything runs,
// then apply each pending file with its tracking row in one transaction (or, for statements PostgreSQL refuses
// in a transaction block, one by one with the row written last).








/** Reported problems, already annotated; the step fails with the summary line. */
class MigrationProblems extends errors/* ShiplineError */.J0 {
    problems;
    constructor(summary, problems, hint) {
        super(summary, { hint });
        this.problems = problems;
    }
}
const HARMLESS_OUTSIDE_TRANSACTION = new Set(['VariableSetStmt', 'VariableShowStmt']);
const harmless = (s) => HARMLESS_OUTSIDE_TRANSACTION.has(s.kind);
/** BEGIN/COMMIT/ROLLBACK (not savepoints, which live happily inside shipline's own transaction). */
const OWN_TRANSACTION_CONTROL = new Set([
    'TRANS_STMT_BEGIN',
    'TRANS_STMT_START',
    'TRANS_STMT_COMMIT',
    'TRANS_STMT_ROLLBACK',
    'TRANS_STMT_PREPARE',
    'TRANS_STMT_COMMIT_PREPARED',
    'TRANS_STMT_ROLLBACK_PREPARED',
]);
const ownTransactionControl = (s) => s.transactionControl && OWN_TRANSACTION_CONTROL.has(s.node?.kind);
/** How many statements from one end run outside the transaction: SETs may come along, but the run ends on one that must. */
function edgeRun(statements) {
    let run = 0;
    for (const [i, s] of statements.entries()) {
        if (s.nonTransactional)
            run = i + 1;
        else if (!harmless(s))
            break;
    }
    return run;
}
/** How a file will run, or the problem that stops it from running at all. */
function planFile(file, statements) {
    const all = statements.length;
    if (file.noTransaction)
        return { plan: { mode: 'no-transaction', before: all, after: 0, asWritten: false } };
    const outside = statements.filter((s) => s.nonTransactional);
    const own = statements.some(ownTransactionControl);
    if (outside.length === 0)
        return { plan: { mode: own ? 'own-transactions' : 'transaction', before: 0, after: 0, asWritten: own } };
    if (!own && statements.every((s) => s.nonTransactional || harmless(s)))
        return { plan: { mode: 'no-transaction', before: all, after: 0, asWritten: false } };
    const before = edgeRun(statements);
    const after = Math.min(edgeRun([...statements].reverse()), all - before);
    const plan = {
        mode: 'split',
        before,
        after,
        asWritten: statements.slice(before, all - after).some(ownTransactionControl),
    };
    const middle = statements.slice(before, all - after).find((s) => s.nonTransactional);
    if (!middle)
        return { plan };
    return {
        plan,
        problem: {
            file,
            offset: middle.offset,
            title: 'Statement that cannot run in a transaction, between others',
            message: `${middle.nonTransactional} cannot run inside a transaction block, and it sits between statements that run in one. shipline runs such a statement on its own only at the start or the end of a file (the rest of the file in one transaction). Move it to the start or the end of the file, or to a migration file of its own, or mark this file '-- shipline:no-transaction' to run every statement on its own (a failure then leaves the earlier statements applied).`,
        },
    };
}
/** The short label the summary puts after "applied". */
function modeLabel(plan) {
    switch (plan.mode) {
        case 'transaction':
            return '';
        case 'no-transaction':
            return ' (no transaction)';
        case 'own-transactions':
            return ' (its own BEGIN/COMMIT)';
        default:
            return ' (CONCURRENTLY outside the transaction)';
    }
}
/** What is atomic in a file, in a sentence: the plan and the summary state it for every file that is not one transaction. */
function atomicity(p) {
    const { plan } = p;
    const alone = (n, at) => `${p.statements
        .slice(at, at + n)
        .filter((s) => s.nonTransactional)
        .map((s) => s.nonTransactional)
        .join(', ')}`;
    switch (plan.mode) {
        case 'transaction':
            return 'one transaction with its tracking row: all or nothing';
        case 'no-transaction':
            return 'no transaction: each statement commits on its own, the tracking row last; a failure leaves the earlier statements applied and the file unrecorded';
        case 'own-transactions':
            return 'its own BEGIN/COMMIT, run as written (as the Supabase CLI runs it); the tracking row is written right after, in the same session: what the file commits before a failure stays, and the file is then not recorded';
        default: {
            const parts = [];
            if (plan.before > 0)
                parts.push(`${alone(plan.before, 0)} first, on its own outside a transaction`);
            const body = p.statements.length - plan.before - plan.after;
            if (body > 0)
                parts.push(plan.asWritten
                    ? `then the rest as written (its own BEGIN/COMMIT)`
                    : `then the other ${body} statement(s) in one transaction${plan.after === 0 ? ' with the tracking row' : ''}`);
            if (plan.after > 0)
                parts.push(`then ${alone(plan.after, p.statements.length - plan.after)} on its own, then the tracking row`);
            return `${parts.join('; ')}. A failure keeps what committed before it, and the file is not recorded: a CONCURRENTLY statement that fails leaves an INVALID index to drop before the next run`;
        }
    }
}
/** A file's statements, part by part where its tool cuts it (see MigrationFile.cuts). */
async function splitParts(file) {
    const bounds = [0, ...(file.cuts ?? []), file.up.length];
    const statements = [];
    let trailing = '';
    for (let i = 1; i < bounds.length; i++) {
        const [from, to] = [bounds[i - 1], bounds[i]];
        if (to <= from)
            continue;
        const part = await splitStatements(file.up.slice(from, to), file.upOffset + from);
        appendAll(statements, part.statements);
        trailing = part.trailing;
    }
    return { statements, trailing };
}
/** Each file is parsed once per run, whether ahead of time (parseAhead) or when it is prepared. */
const parsed = new WeakMap();
function splitPartsOnce(file) {
    let parts = parsed.get(file);
    if (!parts) {
        parts = splitParts(file);
        // A syntax error is reported when the file is prepared; a file parsed ahead but never prepared stays silent.
        parts.catch(() => undefined);
        parsed.set(file, parts);
    }
    return parts;
}
/**
 * How long parseAhead waits before it starts: a database this near (loopback, the same host or network) has
 * answered by then and the parse starts only for the files that turn out to be pending, so a run with nothing to
 * apply never loads the parser; for a database farther away the wait would be idle anyway.
 */
const PARSE_AHEAD_AFTER_MS = 15;
/**
 * Parses files, newest first, while the step would otherwise sit waiting for a database far away (connecting, the
 * lock, the tracking table), so that the parse of the files that turn out to be pending (usually the newest) is
 * already done when they are prepared. The first file also loads the WebAssembly parser. One file at a time,
 * yielding between files, so the server's answers are handled as they arrive; `stop()` ends it (a long applied
 * history is never parsed whole). `finished` settles once the pass has ended, by running out of files or by `stop()`.
 */
function parseAhead(files, afterMs = PARSE_AHEAD_AFTER_MS) {
    let stopped = false;
    let ended = () => undefined;
    const finished = new Promise((resolve) => {
        ended = resolve;
    });
    const yieldToIo = () => new Promise((resolve) => setImmediate(resolve));
    const timer = setTimeout(() => {
        void (async () => {
            for (let i = files.length - 1; i >= 0 && !stopped; i--) {
                await splitPartsOnce(files[i]).catch(() => undefined);
                await yieldToIo();
            }
            ended();
        })();
    }, afterMs);
    return {
        stop: () => {
            stopped = true;
            clearTimeout(timer);
            ended();
        },
        finished,
    };
}
/** Parses every file; all problems (syntax, transaction rules) are collected before any is reported. */
async function prepare(files) {
    const prepared = [];
    const problems = [];
    for (const file of files) {
        let statements;
        let trailing;
        try {
            ({ statements, trailing } = await splitPartsOnce(file));
        }
        catch (error) {
            if (!(error instanceof SqlSyntaxError))
                throw error;
            problems.push({
                file,
                offset: error.offset,
                title: 'SQL syntax error',
                message: `${file.file}: ${error.message}`,
            });
            continue;
        }
        const { plan, problem } = planFile(file, statements);
        if (problem)
            problems.push(problem);
        const stored = statements.map((s) => s.stored);
        if (trailing)
            stored.push(trailing);
        prepared.push({ file, statements, stored, transactional: plan.mode === 'transaction', plan });
    }
    return { prepared, problems };
}
/**
 * The stored statements are the file's text minus the `;` between statements and the blank space around them,
 * whoever split it (the Supabase CLI or shipline): so without `;` and white space, they must equal the file.
 * No parsing needed, which keeps `status` fast on a long history. shipline's own comments are not part of the
 * migration: adding `-- shipline:no-transaction` to a file the CLI applied is not a change.
 */
const squash = (text) => withoutShiplineComments(text).replace(/[\s;]+/g, '');
function changed(format, file, row) {
    if (format === 'supabase')
        return row.statements !== undefined && squash(row.statements.join('\n')) !== squash(file.up);
    if (row.checksum === undefined || row.checksum === expectedChecksum(format, file))
        return false;
    // The same file without shipline's comments (a marker added after another tool applied it), or, for rows written
    // before shipline left its comments out of checksums, the file as it is.
    const bare = { ...file, content: withoutShiplineComments(file.content), up: withoutShiplineComments(file.up) };
    if (row.checksum === expectedChecksum(format, { ...bare, checksum: file.checksum }))
        return false;
    return row.checksum !== checksumOf(file.up);
}
function compareWithDatabase(format, tracker, files, applied, options) {
    const rows = new Map(applied.map((r) => [r.version, r]));
    const versions = new Set(files.map((f) => f.version));
    const newestApplied = applied
        .map((r) => r.version)
        .sort(format.compare)
        .at(-1);
    const result = {
        states: [],
        pending: [],
        problems: [],
        warnings: [],
        newestApplied,
        hints: format.hints,
    };
    for (const file of files) {
        const row = rows.get(file.version);
        if (row) {
            if (changed(format.name, file, row)) {
                result.states.push({ version: file.version, file, status: 'changed' });
                const message = `${file.file} was changed after it was applied (version ${file.version} in ${tracker.table})`;
                (options.allowChanged ? result.warnings : result.problems).push({ message, file });
            }
            else
                result.states.push({ version: file.version, file, status: 'applied' });
            continue;
        }
        const late = newestApplied !== undefined && format.compare(file.version, newestApplied) < 0;
        result.states.push({ version: file.version, file, status: late ? 'out-of-order' : 'pending' });
        result.pending.push(file);
        if (late) {
            const message = `${file.file} is not applied but is older than the newest applied version ${newestApplied}${format.hints?.late?.(file) ?? ''}`;
            (options.allowOutOfOrder ? result.warnings : result.problems).push({ message, file, at: file.at });
        }
    }
    for (const row of applied) {
        if (versions.has(row.version))
            continue;
        result.states.push({ version: row.version, status: 'missing' });
        result.problems.push({
            message: `version ${row.version} is recorded in ${tracker.table} but no migration file has it (deleted or renamed?)`,
        });
    }
    result.states.sort((a, b) => format.compare(a.version, b.version));
    return result;
}
function settingsList(settings, scope) {
    const parts = [];
    if (settings.statementTimeoutMs !== undefined)
        parts.push(`SET ${scope} statement_timeout = ${Math.round(settings.statementTimeoutMs)}`);
    if (settings.lockTimeoutMs !== undefined)
        parts.push(`SET ${scope} lock_timeout = ${Math.round(settings.lockTimeoutMs)}`);
    if (settings.connectionCheckMs !== undefined)
        parts.push(`SET ${scope} client_connection_check_interval = ${settings.connectionCheckMs}`);
    return parts;
}
/** The settings every file runs with, from the inputs and what the server supports (reported when it connected). */
function sessionSettings(db, timeouts) {
    return { ...timeouts, connectionCheckMs: serverVersionNum(db) >= 140000 ? 1000 : undefined };
}
/** A migration failed on the server (or the connection died while it ran); located in its file. */
class StatementFailed extends errors/* ShiplineError */.J0 {
    file;
    /** Character offset in the file the annotation points at. */
    offset;
    pg;
    constructor(file, offset, message, hint, pg, cause) {
        super(message, { hint, cause });
        this.file = file;
        this.offset = offset;
        this.pg = pg;
    }
}
/** What a server error says, in one line: message, SQLSTATE, detail and hint. */
function describePgError(pg) {
    const extra = [pg.detail && `Detail: ${pg.detail}`, pg.hint && `Hint: ${pg.hint}`].filter(Boolean).join(' ');
    return `${pg.message}${pg.code ? ` (SQLSTATE ${pg.code})` : ''}${extra ? `. ${extra}` : ''}`;
}
const TIMESTAMP = 'SELECT extract(epoch FROM clock_timestamp())::text';
/**
 * How many statements a piece of SQL that shipline writes holds (tracking rows, the golang-migrate mark): the same
 * for every file of a tracker (only literals differ), so parsed once per tracker and kind.
 */
const statementCounts = new WeakMap();
async function countStatements(tracker, kind, sql) {
    const counts = statementCounts.get(tracker) ?? new Map();
    statementCounts.set(tracker, counts);
    const known = counts.get(kind);
    if (known !== undefined)
        return known;
    const count = (await parseSql(sql)).stmts?.length ?? 1;
    counts.set(kind, count);
    return count;
}
/** A file's commands, in the order they run (see RunMode). */
async function fileCommands(index, p, tracker, settings, quote) {
    const commands = [];
    const own = (text, role = 'setup', extra = {}) => commands.push({ text, count: 1, file: index, role, ...extra });
    const statement = (i, alone = false) => commands.push({
        text: p.statements[i].sql,
        count: 1,
        file: index,
        role: 'statement',
        statement: i,
        alone,
    });
    // Asked for only where it runs: after beginUnsafe, where a tracker has one, so it can finish the row begun there.
    const record = async () => {
        // The file may have changed search_path; the tracking table is found through the session's own.
        own('RESET search_path');
        const text = tracker.record(p.file, p.stored, quote);
        commands.push({ text, count: await countStatements(tracker, 'record', text), file: index, role: 'record' });
    };
    const { plan } = p;
    const all = p.statements.length;
    // RESET ALL first: a SET in the previous file must not leak into this one.
    own('RESET ALL');
    if (plan.mode === 'transaction') {
        own('BEGIN');
        const start = tracker.startFile?.(p.file);
        if (start)
            own(start);
        for (const q of settingsList(settings, 'LOCAL'))
            own(q);
        for (let i = 0; i < all; i++)
            statement(i);
        await record();
        own('COMMIT', 'commit', { completes: true });
    }
    else {
        for (const q of settingsList(settings, 'SESSION'))
            own(q);
        const unsafe = tracker.beginUnsafe?.(p.file, quote);
        if (unsafe)
            commands.push({
                text: unsafe,
                count: await countStatements(tracker, 'unsafe', unsafe),
                file: index,
                role: 'setup',
            });
        for (let i = 0; i < plan.before; i++)
            statement(i, true);
        const body = [plan.before, all - plan.after];
        if (body[1] > body[0]) {
            // As written: the file's own BEGIN/COMMIT divide it, exactly as in the Supabase CLI's batch. Statements after
            // its last COMMIT then join the tracking row's transaction below (the BEGIN there takes them in).
            if (!plan.asWritten)
                own('BEGIN');
            for (let i = body[0]; i < body[1]; i++)
                statement(i);
            if (!plan.asWritten && plan.after === 0) {
                await record();
                own('COMMIT', 'commit', { completes: true });
            }
            else if (!plan.asWritten)
                own('COMMIT', 'commit');
        }
        for (let i = all - plan.after; i < all; i++)
            statement(i, true);
        if (!commands.some((c) => c.completes)) {
            own('BEGIN');
            await record();
            own('COMMIT', 'commit', { completes: true });
        }
    }
    own(TIMESTAMP, 'timestamp');
    return commands;
}
/**
 * A simple-protocol query that counts its completed statements, so that when one statement of a batch fails we
 * know which (the count of CommandComplete messages before the error; node-postgres's Submittable interface), and
 * keeps the first value of the rows of chosen statements (the server's clock between files).
 */
class CountingQuery extends esm/* default.Query */.Ay.Query {
    keep;
    progress;
    completed = 0;
    kept = new Map();
    constructor(text, keep, 
    /** Called as each statement's completion arrives, with the number completed so far: files are reported as they do. */
    progress) {
        super(text);
        this.keep = keep;
        this.progress = progress;
    }
    handleDataRow(message) {
        if (this.keep.has(this.completed))
            this.kept.set(this.completed, String(message.fields[0]));
        esm/* default.Query */.Ay.Query.prototype.handleDataRow.call(this, message);
    }
    handleCommandComplete(message, connection) {
        this.completed++;
        esm/* default.Query */.Ay.Query.prototype.handleCommandComplete.call(this, message, connection);
        this.progress(this.completed, this.kept);
    }
}
function send(db, text, keep, progress) {
    const query = new CountingQuery(text, keep, progress);
    return new Promise((resolve) => {
        query.on('end', () => resolve({ completed: query.completed, values: query.kept }));
        query.on('error', (error) => resolve({ completed: query.completed, values: query.kept, error }));
        db.query(query);
    });
}
/** UTF-16 index in `text` of the 1-based character position PostgreSQL reports (it counts code points). */
function indexOfPosition(text, position) {
    let index = 0;
    for (let n = 1; n < position && index < text.length; n++)
        index += (text.codePointAt(index) ?? 0) > 0xffff ? 2 : 1;
    return index;
}
/** The sentence a failure's hint gives: what stays applied after a failure in this part of this file. */
function afterFailure(p, command) {
    const { plan } = p;
    switch (plan.mode) {
        case 'transaction':
            return 'The file was rolled back: nothing of it is applied, and no later migration ran.';
        case 'no-transaction':
            return 'This file runs outside a transaction: the statements before this one stay applied and the file is not recorded. Make its statements safe to run again (IF NOT EXISTS), fix it, and run again.';
        case 'own-transactions':
            return 'This file runs its own BEGIN/COMMIT as written: what it committed before the failure stays applied, the open transaction was rolled back, and the file is not recorded; no later migration ran.';
        default: {
            const i = command.statement ?? -1;
            if (command.role === 'statement' && i < plan.before)
                return `This statement runs outside a transaction at the start of the file: the statements before it in the file stay applied, nothing after it ran, and the file is not recorded. A failed CREATE INDEX CONCURRENTLY leaves an INVALID index: drop it before running again.`;
            if (command.role === 'statement' && i >= p.statements.length - plan.after)
                return `This statement runs outside the transaction at the end of the file: the rest of the file before it is committed, and the file is not recorded, so the next run runs that part again (make it safe to, e.g. IF NOT EXISTS, or move this statement to a file of its own). A failed CREATE INDEX CONCURRENTLY leaves an INVALID index: drop it before running again.`;
            return `The file's transaction was rolled back${plan.before > 0 ? '; the statement(s) it runs on their own before it stay applied (the next run runs them again: IF NOT EXISTS makes that safe)' : ''}; the file is not recorded, and no later migration ran.`;
        }
    }
}
/** Any failure while a command ran, as a StatementFailed at its place in the file. */
function locate(error, p, command, query, sentAt, tracker) {
    const s = command.statement !== undefined ? p.statements[command.statement] : undefined;
    const last = p.statements.at(-1);
    const hint = afterFailure(p, command);
    const pgError = isPgError(error) ? error : undefined;
    const reason = pgError
        ? describePgError(pgError)
        : `the connection failed: ${error?.message ?? String(error)}`;
    if (s) {
        // The server's position is 1-based, in characters of the whole query as sent.
        const within = pgError?.position ? indexOfPosition(query, Number(pgError.position)) - sentAt : 0;
        const offset = within >= 0 && within <= s.sql.length ? s.offset + within : s.offset;
        return new StatementFailed(p.file, offset, `${p.file.file}: ${reason}`, hint, pgError, error);
    }
    // Not one of the file's statements: shipline's own around them. Before the first statement, it is located at the
    // file's start; after it (the tracking row, the COMMIT that checks deferred constraints), at the file's end.
    const afterStatements = command.role === 'record' || command.role === 'commit' || (command.role === 'timestamp' && p.statements.length > 0);
    const offset = afterStatements && last ? last.end : (p.statements[0]?.offset ?? p.file.upOffset);
    const where = command.role === 'record'
        ? ` while recording it in ${tracker.table}`
        : command.role === 'commit'
            ? ' at COMMIT, after its last statement'
            : afterStatements
                ? ' after its last statement'
                : ' before its first statement';
    return new StatementFailed(p.file, offset, `${p.file.file}${where}: ${reason}`, hint, pgError, error);
}
/** Pending files are sent in batches of up to this many characters of SQL (a file is never cut in two). */
const BATCH_CHARS = 512 * 1024;
/** The tracking table could not be created: no file ran. */
class TrackingSetupFailed extends errors/* ShiplineError */.J0 {
}
/**
 * The connection was lost after a file's COMMIT went out and before its answer came back: the server may have
 * committed the file (tracking row included) or not. `files` are those files, in order.
 */
class FateUnknown extends errors/* ShiplineError */.J0 {
    files;
    table;
    reason;
    constructor(files, table, reason, cause) {
        super(`${lostAfterCommit(files, reason)}: ${fateUnknown(files, table)}`, {
            hint: 'The next run reads the tracking table and applies only what is not recorded there.',
            cause,
        });
        this.files = files;
        this.table = table;
        this.reason = reason;
    }
}
const names = (files) => files.map((p) => p.file.file).join(', ');
function lostAfterCommit(files, reason) {
    return `The connection to the database was lost (${reason}) after the COMMIT of ${names(files)} was sent`;
}
/** The sentence for files whose COMMIT was sent without an answer (also the step timeout's, commands/apply.ts). */
function fateUnknown(files, table) {
    const one = files.length === 1;
    return `the fate of ${names(files)} is unknown (the server may have committed ${one ? 'it' : 'them'} before the connection went): check ${table} for ${one ? 'its version' : 'their versions'}`;
}
/**
 * Applies the pending files in order and records each, calling `applied` once a file is committed with how long
 * it took on the server. `setup` (Tracker.setup: the tracking table where it is missing) goes first, in the same
 * query as the first file, and joins its transaction. Files are pipelined: consecutive files go to the server as one multi-statement query
 * (each still its own transaction with its tracking row), so the number of round trips does not grow with the
 * number of files; a statement PostgreSQL refuses in a multi-statement query goes alone. The server stops a
 * query at its first error, so a failure stops the rest, the files before it stay committed, and the count of
 * completed statements says which file and statement failed.
 */
async function applyAll(db, tracker, pending, settings, applied, setup = '', batchChars = BATCH_CHARS, 
/** Called as a batch goes out, with the files whose COMMIT it carries (their fate is unknown until it answers). */
committing = () => undefined) {
    if (pending.length === 0)
        return { roundTrips: 0 };
    const quote = quoteLiteral;
    const queue = [{ text: TIMESTAMP, count: 1, file: -1, role: 'timestamp' }];
    if (setup)
        queue.unshift({ text: setup, count: (await parseSql(setup)).stmts?.length ?? 1, file: -1, role: 'setup' });
    let roundTrips = 0;
    let clock; // the server's clock after the last committed file, in ms
    let started = performance.now();
    const run = async (commands) => {
        if (commands.length === 0)
            return;
        let text = '';
        const starts = [];
        const keep = new Set();
        let n = 0;
        for (const c of commands) {
            starts.push(text.length);
            if (c.role === 'timestamp')
                keep.add(n);
            n += c.count;
            text += `${c.text};\n`;
        }
        roundTrips++;
        const commits = (from) => commands.slice(from).flatMap((c) => (c.completes ? [pending[c.file]] : []));
        committing(commits(0));
        // Each file is reported as soon as its answers arrive (its clock reading, after its COMMIT), while the rest of
        // the batch still runs. The server sends a query's answers whenever its 8 kB output buffer fills and at the end,
        // so a long batch shows progress in steps of a few dozen files, and little is left to do after the last answer.
        let done = 0;
        let next = 0;
        let reportFailure;
        const report = (completed, values) => {
            for (let c = commands[next]; c && done + c.count <= completed; c = commands[++next]) {
                done += c.count;
                if (c.role !== 'timestamp')
                    continue;
                const now = Number(values.get(done - 1)) * 1000;
                try {
                    if (c.file >= 0 && clock !== undefined && Number.isFinite(now))
                        applied(pending[c.file], now - clock);
                    else if (c.file >= 0)
                        applied(pending[c.file], performance.now() - started);
                }
                catch (error) {
                    reportFailure ??= error; // thrown once the query has ended, not inside the driver's message handler
                }
                clock = Number.isFinite(now) ? now : undefined;
                started = performance.now();
            }
        };
        const sent = await send(db, text, keep, report);
        report(sent.completed, sent.values);
        if (reportFailure)
            throw reportFailure;
        // The first command the server did not complete, if any: it failed, or the connection died while it ran.
        const c = commands[next];
        if (c) {
            if (transactionStatus(db) !== 'I')
                await db.query('ROLLBACK').catch(() => undefined);
            const p = pending[c.file];
            if (!p && c.role === 'setup')
                throw new TrackingSetupFailed(`Cannot create the tracking table ${tracker.table}: ${isPgError(sent.error) ? describePgError(sent.error) : sent.error?.message}`, {
                    hint: 'Nothing was applied. The user in database-url needs to be able to create it (CREATE on the database, or on the schema it goes in).',
                    cause: sent.error,
                });
            if (!p)
                throw sent.error;
            // No server error but a lost connection: a COMMIT that went out may have been carried out, answer unseen.
            const unanswered = isPgError(sent.error) ? [] : commits(next);
            if (unanswered.length > 0)
                throw new FateUnknown(unanswered, tracker.table, sent.error?.message ?? String(sent.error), sent.error);
            throw locate(sent.error, p, c, text, starts[next], tracker);
        }
        if (sent.error)
            throw sent.error;
    };
    let batch = [];
    let size = 0;
    for (const [index, p] of pending.entries()) {
        const commands = [...queue.splice(0), ...(await fileCommands(index, p, tracker, settings, quote))];
        if (size > 0 && size + commands.reduce((sum, c) => sum + c.text.length, 0) > batchChars) {
            await run(batch);
            batch = [];
            size = 0;
        }
        for (const c of commands) {
            if (c.alone) {
                await run(batch);
                await run([c]);
                batch = [];
                size = 0;
            }
            else {
                batch.push(c);
                size += c.text.length;
            }
        }
    }
    await run(batch);
    return { roundTrips };
}

;// CONCATENATED MODULE: ./actions/migrate/src/commands/context.ts
// What every command of one run shares: the inputs, the workspace and the bound on the step. Handed down as an
// argument, so a module holds no state of a run and two runs in one process could not see each other's.

/** A connection the step's bound destroys when it passes. */
async function context_open(context, url, options) {
    return context.timeout.track(await connect(url, options));
}
/** What the step is doing, for the sentence the bound's error says. */
function doing(context, what) {
    context.timeout.doing = what;
}

// EXTERNAL MODULE: ./shared/sanitise.ts + 1 modules
var sanitise = __webpack_require__(1193);
;// CONCATENATED MODULE: ./shared/schema-changes.ts
// Contract migrations a release's pipeline applied (migrate's `contract-migrations` output), as deploy records them
// in the ledger and rollback reads them: a release older than one of them would meet a schema it does not know.
// Also how every report says so before merge: migrate plan's summary and deploy's pull request comment.


/** Where the two-release pattern (expand, then contract) is shown for the common cases. */
const EXPAND_CONTRACT_DOCS = 'https://github.com/shipline/shipline/blob/main/actions/migrate/README.md#two-releases-expand-then-contract';
/**
 * The "not rollback-safe" section: each contract migration's file:line, why and statement, and the way to ship
 * the change safely. `verb` says whether the migrations are to come (plan, a pull request) or ran (apply).
 */
function notRollbackSafe(changes, verb) {
    const rows = changes.map((c) => `| ${(0,sanitise/* escapeMarkdown */.FV)(`${c.file}:${c.line}`)} | ${(0,sanitise/* escapeMarkdown */.FV)(c.reason)} | ${c.statement ? (0,sanitise/* codeSpan */.SS)(c.statement, 200) : '–'} |`);
    return [
        '#### Not rollback-safe',
        '',
        `${summary/* MARK */.M$.warning} **This release is not rollback-safe**: these migrations ${verb} a schema the release before them does not know: rolling the app back past them would fail on its first query against it (rollback refuses, unless allow-schema-ahead or migrate-down). Ship such a change in two releases, expand then contract: [how, for renaming a column, dropping one and adding NOT NULL](${EXPAND_CONTRACT_DOCS}).`,
        '',
        '| Where | Why | Statement |',
        '| --- | --- | --- |',
        ...rows,
    ].join('\n');
}
/** At most this many are recorded per release: the ledger's payload stays small, and one is enough to refuse. */
const RECORDED = 20;
/** migrate's `contract-migrations` output, read: an empty input is none; anything but its JSON form is a problem. */
function parseContractMigrations(raw) {
    const expected = "Input 'contract-migrations' must be migrate's contract-migrations output: a JSON array of {file, line, reason}";
    if (raw.trim() === '')
        return { changes: [] };
    let parsed;
    try {
        parsed = JSON.parse(raw);
    }
    catch {
        return { problem: `${expected} (it is not JSON)` };
    }
    if (!Array.isArray(parsed))
        return { problem: `${expected} (it is not an array)` };
    const changes = [];
    for (const item of parsed) {
        const { file, line, reason, statement } = (item ?? {});
        if (typeof file !== 'string' || typeof reason !== 'string' || !Number.isInteger(line))
            return { problem: `${expected} (an item lacks a file, line or reason)` };
        changes.push({
            file: file.slice(0, 300),
            line: line,
            reason: reason.slice(0, 300),
            ...(typeof statement === 'string' ? { statement: statement.slice(0, 300) } : {}),
        });
    }
    return { changes: changes.slice(0, RECORDED) };
}
const describeChange = (c) => `${c.file}:${c.line} (${c.reason})`;

;// CONCATENATED MODULE: ./actions/migrate/src/commands/report.ts
// What a command reports: its outputs, the summary's tables and header, and the line for a failed run.






function writeOutputs(outcome, format, applying = false) {
    (0,runner/* setOutput */.uH)('applied', JSON.stringify(outcome.applied));
    // Of what apply ran, only the files that committed changed the schema; plan and the dry run report all pending.
    const contracts = outcome.contracts && applying
        ? outcome.contracts.filter((c) => outcome.applied.some((a) => a.file === c.file))
        : outcome.contracts;
    (0,runner/* setOutput */.uH)('contract-migrations', contracts ? JSON.stringify(contracts) : '');
    (0,runner/* setOutput */.uH)('rollback-safe', contracts ? String(contracts.length === 0) : '');
    (0,runner/* setOutput */.uH)('applied-count', outcome.applied.length);
    const comparison = outcome.comparison;
    if (!comparison || !format) {
        (0,runner/* setOutput */.uH)('pending-count', '');
        (0,runner/* setOutput */.uH)('current-version', '');
        return;
    }
    const appliedNow = outcome.applied.map((a) => a.version);
    const versions = comparison.states
        .filter((s) => s.status === 'applied' || s.status === 'changed' || s.status === 'missing')
        .map((s) => s.version);
    const foreign = outcome.foreign.filter((f) => f.ordered && f.version !== undefined).map((f) => f.version);
    (0,runner/* setOutput */.uH)('pending-count', comparison.pending.length - appliedNow.length);
    (0,runner/* setOutput */.uH)('current-version', [...versions, ...foreign, ...appliedNow].sort(format.compare).at(-1) ?? '');
}
/** The summary's word on rollback safety: which files an app rollback could not run against, and why. */
function rollbackSafety(contracts, verb) {
    if (contracts.length === 0)
        return `**Rollback-safe**: every migration only adds to the schema, so the release before it still runs against it.`;
    return notRollbackSafe(contracts, verb);
}
const formatMs = (ms) => ms === undefined ? '' : ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`;
function foreignSection(foreign) {
    if (foreign.length === 0)
        return '';
    const rows = foreign.slice(0, 100).map((f) => [f.version ?? '–', f.description]);
    const more = foreign.length > rows.length ? `\n\n${foreign.length - rows.length} more not listed.` : '';
    return `\n\n#### Recorded by the tool itself, not SQL files of this folder (left as they are)\n\n${(0,summary/* table */.tp)(['Version', 'Migration'], rows)}${more}`;
}
function summaryTable(rows) {
    return (0,summary/* table */.tp)(['File', 'Version', 'Statements', 'Duration', 'Status'], rows.map((r) => [r.file, r.version, r.statements, formatMs(r.ms), r.status]));
}
function header(title, inputs, folder, extra = [], database) {
    return [
        `### ${title}`,
        (0,summary/* facts */.Ix)([
            ['Database', database ?? (inputs['database-url'] ? describeServer(inputs['database-url']) : 'none (files only)')],
            ['Folder', folder ? `${folder.dir.replace(`${(0,workspace/* workspaceOf */.B)()}/`, '')} (${folder.format.name})` : undefined],
            ['Tracking table', folder?.tracker.table],
            ...extra,
        ]),
    ].join('\n\n');
}
/** A line per file that is not one plain transaction, saying what is atomic in it (plan and summary). */
function atomicityNotes(files) {
    const notes = files.filter((p) => p.plan.mode !== 'transaction').map((p) => `- \`${p.file.file}\`: ${atomicity(p)}.`);
    return notes.length > 0
        ? `\n\n#### How these files run\n\nEvery other file runs in one transaction with its tracking row.\n\n${notes.join('\n')}`
        : '';
}
/** The summary's line for a failed run: what stopped it, and what was applied before (never "up to date"). */
function failed(context, error, appliedCount) {
    const reason = context.timeout.hasPassed
        ? context.timeout.error().message
        : error instanceof Error
            ? error.message
            : String(error);
    return `${summary/* MARK */.M$.failed} ${reason.split('\n')[0]} — ${appliedCount === 0 ? 'nothing was applied' : `${appliedCount} migration(s) applied before the failure`}`;
}

;// CONCATENATED MODULE: ./actions/migrate/src/commands/folder.ts
// The folder and the tracking table: reading the files, comparing them with what the database records, and
// parsing the files that will run. Shared by every command that reads the folder.







function annotate(problem, level = 'error') {
    const { line, column } = positionAt(problem.file.content, problem.offset);
    (level === 'error' ? runner/* error */.z3 : runner/* warning */.$e)(problem.message, {
        file: problem.file.file,
        startLine: line,
        startColumn: column,
        title: problem.title,
    });
}
/** Reads the folder; nothing touches the database here. */
function loadFolder(inputs, workspace) {
    const dir = resolveDir(workspace, inputs.dir);
    const name = inputs.format === 'auto' ? detectFormat(dir) : inputs.format;
    const format = FORMATS[name];
    const { files, skipped, notes } = readFolder(dir, workspace, format);
    for (const f of skipped)
        (0,runner/* warning */.$e)(`Skipping ${f}: not a ${name} migration file name`, { title: 'Skipped file' });
    for (const n of notes ?? [])
        (0,runner/* warning */.$e)(n.message, { file: n.file, startLine: n.line, title: n.title });
    const tracker = trackerFor(name, {
        drizzleSchema: inputs['drizzle-migrations-schema'],
        drizzleTable: inputs['drizzle-migrations-table'],
    });
    (0,runner/* info */.pq)(`${files.length} ${name} migration(s) in ${dir.slice(workspace.length + 1) || dir}, tracked in ${tracker.table}.`);
    return { dir, format, tracker, files };
}
/**
 * Parses the files that will run (only those: a long applied history is never re-parsed) and checks their
 * transaction rules; every problem is annotated before the step fails, and before anything runs.
 */
async function parseToRun(files) {
    const started = performance.now();
    const { prepared, problems } = await prepare(files);
    (0,runner/* debug */.Yz)(`Parsed ${files.length} file(s) in ${formatMs(performance.now() - started)}`);
    if (problems.length > 0) {
        for (const p of problems)
            annotate(p);
        throw new MigrationProblems(`${problems.length} migration file problem(s) found before anything ran; see the annotations`, problems);
    }
    return prepared;
}
/** Where a finding is annotated: the index file's line that orders it (Drizzle's journal), else the file. */
const placeOf = (finding) => finding.at ? { file: finding.at.file, startLine: finding.at.line } : { file: finding.file?.file };
function reportComparison(comparison, fail) {
    for (const w of comparison.warnings)
        (0,runner/* warning */.$e)(w.message, { ...placeOf(w), title: 'Allowed by input' });
    if (comparison.problems.length === 0)
        return;
    for (const p of comparison.problems)
        (fail ? runner/* error */.z3 : runner/* warning */.$e)(p.message, { ...placeOf(p), title: 'Migrations do not match the database' });
    if (!fail)
        return;
    const kinds = new Set(comparison.states.map((s) => s.status));
    const hints = [
        kinds.has('changed') &&
            "Put the applied file back as it was and add a new migration for the change (or set 'allow-changed: true').",
        kinds.has('missing') &&
            'Restore the missing file. Remove its row from the tracking table only if that migration was really reverted in the database (a file that still exists under another version would then run again).',
        kinds.has('out-of-order') &&
            (comparison.hints?.outOfOrder ??
                "Rename the new file to a version after the newest applied one (or set 'allow-out-of-order: true')."),
    ].filter(Boolean);
    throw new errors/* ShiplineError */.J0(`Nothing was applied: ${comparison.problems.map((p) => p.message).join('; ')}`, {
        hint: hints.join(' '),
    });
}
async function readHistory(db, folder) {
    return db ? folder.tracker.read(db, folder.files, folder.dir) : { rows: [], foreign: [], present: false };
}
/**
 * Compares the folder with the tracking table. Rows the tool itself wrote for migrations that are not SQL files
 * here are reported, not drift; a pending file older than one the tool orders among the files is out of order.
 */
function compare(inputs, folder, history, outcome) {
    const comparison = compareWithDatabase(folder.format, folder.tracker, folder.files, history.rows, allow(inputs));
    outcome.comparison = comparison;
    outcome.foreign = history.foreign;
    if (history.foreign.length > 0) {
        const shown = history.foreign.slice(0, 20).map((f) => f.description);
        (0,runner/* info */.pq)(`${folder.tracker.table} also records ${history.foreign.length} migration(s) of the tool's own that are not SQL files of this folder; shipline leaves them as they are: ${shown.join('; ')}${history.foreign.length > shown.length ? '; …' : ''}`);
    }
    const newestForeign = history.foreign
        .filter((f) => f.ordered && f.version !== undefined)
        .map((f) => f.version)
        .sort(folder.format.compare)
        .at(-1);
    if (newestForeign === undefined)
        return comparison;
    for (const state of comparison.states) {
        if (state.status !== 'pending' || !state.file || folder.format.compare(state.file.version, newestForeign) >= 0)
            continue;
        state.status = 'out-of-order';
        const message = `${state.file.file} is not applied but is older than version ${newestForeign}, recorded in ${folder.tracker.table} by the tool itself`;
        (inputs['allow-out-of-order'] ? comparison.warnings : comparison.problems).push({ message, file: state.file });
    }
    return comparison;
}
const allow = (inputs) => ({
    allowChanged: inputs['allow-changed'],
    allowOutOfOrder: inputs['allow-out-of-order'],
});

;// CONCATENATED MODULE: ./actions/migrate/src/lint.ts

const RULES = {
    'require-concurrent-index-creation': {
        severity: 'warning',
        description: 'CREATE INDEX without CONCURRENTLY on an existing table blocks writes while it builds',
    },
    'require-concurrent-index-deletion': {
        severity: 'warning',
        description: 'DROP INDEX without CONCURRENTLY blocks reads and writes of the table',
    },
    'constraint-missing-not-valid': {
        severity: 'warning',
        description: 'a FOREIGN KEY or CHECK added without NOT VALID (or validated in the transaction that added it) scans the table under a lock',
    },
    'adding-field-with-default': {
        severity: 'warning',
        description: 'a column with a volatile default, a serial, identity or stored generated column rewrites the whole table',
    },
    'adding-required-field': {
        severity: 'warning',
        description: 'a NOT NULL column without a default fails on a table with rows',
    },
    'adding-not-nullable-field': {
        severity: 'warning',
        description: 'SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock',
    },
    'adding-serial-primary-key-field': {
        severity: 'warning',
        description: 'ADD PRIMARY KEY without USING INDEX builds its index under an ACCESS EXCLUSIVE lock',
    },
    'disallowed-unique-constraint': {
        severity: 'warning',
        description: 'ADD UNIQUE without USING INDEX builds its index under an ACCESS EXCLUSIVE lock',
    },
    'changing-column-type': {
        severity: 'warning',
        description: 'changing a column type usually rewrites the table under an ACCESS EXCLUSIVE lock',
    },
    'ban-drop-table': { severity: 'warning', description: 'DROP TABLE destroys data; code still running may use it' },
    'ban-drop-column': { severity: 'warning', description: 'DROP COLUMN destroys data; code still running may use it' },
    'ban-drop-database': { severity: 'warning', description: 'DROP DATABASE destroys everything in it' },
    'renaming-column': { severity: 'warning', description: 'renaming a column breaks code still using the old name' },
    'renaming-table': { severity: 'warning', description: 'renaming a table breaks code still using the old name' },
    'ban-truncate-cascade': {
        severity: 'warning',
        description: 'TRUNCATE … CASCADE empties every table that references this one',
    },
    'require-lock-timeout': {
        severity: 'warning',
        description: "statements that lock existing tables without a lock_timeout can queue every query behind them (SET lock_timeout, or input 'migration-lock-timeout')",
    },
    'unlinted-dynamic-sql': {
        severity: 'warning',
        description: 'SQL a DO block builds at run time (EXECUTE of an expression), or a DO body that does not parse, cannot be linted',
    },
};
/** Functions whose default value differs per row, so adding a column with it rewrites the table. */
const VOLATILE = new Set([
    'random',
    'gen_random_uuid',
    'uuid_generate_v4',
    'uuid_generate_v1',
    'clock_timestamp',
    'timeofday',
    'nextval',
    'txid_current',
    'statement_timestamp',
]);
/** Column types whose default is nextval() of a new sequence: adding one fills every row. */
const SERIAL_TYPES = new Set(['smallserial', 'serial', 'bigserial', 'serial2', 'serial4', 'serial8']);
/** A table's name as the lint compares names: `public.x` and `x` are the same table (public is the default schema). */
const tableName = (schema, name) => schema && schema !== 'public' ? `${schema}.${name}` : String(name ?? '');
const relName = (rv) => (rv ? tableName(rv.schemaname, rv.relname) : '');
/** The names of a parse-tree name list (`List` of `String`). */
const namesOf = (object) => (object?.List?.items ?? []).map((i) => i.String?.sval);
/** The table of a `DROP POLICY p ON t` / `DROP TRIGGER tr ON t` object (its name list minus the last item). */
function ownerTable(object) {
    const names = namesOf(object);
    return names.length >= 2 ? tableName(names.length > 2 ? names[0] : undefined, names[names.length - 2]) : '';
}
/** The relation a `DROP TABLE` / `DROP VIEW` / `DROP INDEX` object names. */
function droppedTable(object) {
    const names = namesOf(object);
    return tableName(names.length > 1 ? names[names.length - 2] : undefined, names[names.length - 1]);
}
/** `interval` without fields (`interval(3)`, not `interval day to second`): PostgreSQL's INTERVAL_FULL_RANGE. */
const INTERVAL_FULL_RANGE = 0x7fff;
/** The time types keep at most 6 fractional digits: a precision of 6 or more is no limit at all. */
const MAX_TIME_PRECISION = 6;
const TIME_TYPES = new Set(['timestamp', 'timestamptz', 'time', 'timetz']);
/** The integer of an A_Const (the parse tree's JSON leaves out a zero: `{ ival: {} }`), else undefined. */
const intOf = (node) => (node?.A_Const?.ival ? (node.A_Const.ival.ival ?? 0) : undefined);
/** The type of a parse-tree TypeName. */
function typeOf(typeName) {
    const names = (typeName?.names ?? []).map((n) => n.String?.sval);
    const base = names[names.length - 1];
    if (!base)
        return undefined;
    // An array of a type is another type: only an identical array type is known to need no rewrite.
    const name = `${base}${'[]'.repeat((typeName.arrayBounds ?? []).length)}`;
    const mods = (typeName.typmods ?? []).map(intOf).filter((m) => typeof m === 'number');
    if (name === 'varchar' || name === 'varbit')
        return { name, length: mods[0] };
    if (TIME_TYPES.has(name))
        return { name, precision: mods[0] };
    if (name === 'numeric')
        return mods.length > 0 ? { name, precision: mods[0], scale: mods[1] ?? 0 } : { name };
    if (name === 'interval')
        return { name, range: mods[0] ?? INTERVAL_FULL_RANGE, precision: mods[1] };
    return mods.length > 0 ? { name, length: mods[0] } : { name };
}
/** A type as format_type() prints it (`character varying(255)`, `numeric(10,2)`, …), for columns read from the database. */
function parseFormattedType(formatted) {
    let m = /^(character varying|bit varying)(?:\((\d+)\))?$/.exec(formatted);
    if (m)
        return { name: m[1] === 'bit varying' ? 'varbit' : 'varchar', length: m[2] ? Number(m[2]) : undefined };
    m = /^(timestamp|time)(?:\((\d+)\))? (with|without) time zone$/.exec(formatted);
    if (m)
        return { name: `${m[1]}${m[3] === 'with' ? 'tz' : ''}`, precision: m[2] ? Number(m[2]) : undefined };
    m = /^numeric(?:\((\d+)(?:,(\d+))?\))?$/.exec(formatted);
    if (m)
        return m[1] ? { name: 'numeric', precision: Number(m[1]), scale: Number(m[2] ?? 0) } : { name: 'numeric' };
    m = /^interval( [a-z ]+?)?(?:\((\d+)\))?$/.exec(formatted);
    // A field list (`interval day to second`) is some range other than the full one; which one does not matter here.
    if (m)
        return { name: 'interval', range: m[1] ? 0 : INTERVAL_FULL_RANGE, precision: m[2] ? Number(m[2]) : undefined };
    return { name: formatted };
}
/** A limit of at least `from`'s, where undefined is no limit: what the length and precision rules below share. */
const atLeast = (from, to, max = Infinity) => to === undefined || to >= max || (from !== undefined && from < max && to >= from);
/**
 * PostgreSQL changes these types without rewriting the table or its indexes (its length-coercion support
 * functions, varchar_support, numeric_support, timestamp_support, time_support, interval_support, turn the
 * conversion into a relabel): a longer or no varchar/varbit limit; varchar ↔ text without a limit
 * (binary-coercible); more precision for the time types and interval; more numeric precision at the same scale, or
 * none; and the same type with the same modifiers.
 */
function widensWithoutRewrite(from, to) {
    const unbounded = (t) => t.name === 'text' || (t.name === 'varchar' && t.length === undefined);
    if (from.name !== to.name)
        return (from.name === 'varchar' || from.name === 'text') && unbounded(to);
    if (from.name === 'varchar' || from.name === 'varbit')
        return atLeast(from.length, to.length);
    if (TIME_TYPES.has(from.name))
        return atLeast(from.precision, to.precision, MAX_TIME_PRECISION);
    if (from.name === 'numeric')
        return (to.precision === undefined ||
            (from.precision !== undefined && to.scale === from.scale && to.precision >= from.precision));
    if (from.name === 'interval')
        return to.range === INTERVAL_FULL_RANGE && atLeast(from.precision, to.precision, MAX_TIME_PRECISION);
    return from.length === to.length && from.precision === to.precision && from.scale === to.scale;
}
/** The columns whose type a file changes (`table.column`), so their current type can be looked up first. */
function alteredColumns(statements) {
    const found = [];
    for (const s of statements)
        if (s.kind === 'AlterTableStmt')
            for (const { AlterTableCmd: cmd } of s.node.cmds ?? [])
                if (cmd?.subtype === 'AT_AlterColumnType')
                    found.push({ table: relName(s.node.relation), column: String(cmd.name) });
    return found;
}
function funcNames(node, into = []) {
    if (Array.isArray(node))
        for (const n of node)
            funcNames(n, into);
    else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
            if (key === 'FuncCall') {
                const names = (value.funcname ?? []).map((n) => n.String?.sval);
                into.push(String(names[names.length - 1] ?? '').toLowerCase());
            }
            funcNames(value, into);
        }
    }
    return into;
}
function constraintsOf(column) {
    return (column?.constraints ?? []).map((c) => c.Constraint).filter(Boolean);
}
/** Relations a statement creates: tables (CREATE TABLE, … AS, SELECT … INTO), views, materialized views, indexes. */
function createdBy(s) {
    if (s.kind === 'CreateStmt')
        return relName(s.node.relation);
    if (s.kind === 'CreateTableAsStmt')
        return relName(s.node.into?.rel);
    if (s.kind === 'SelectStmt' && s.node.intoClause)
        return relName(s.node.intoClause.rel);
    if (s.kind === 'ViewStmt')
        return relName(s.node.view);
    if (s.kind === 'IndexStmt' && s.node.idxname)
        return tableName(s.node.relation?.schemaname, s.node.idxname);
    return undefined;
}
/** LOCK TABLE's modes by the parser's number, from SHARE up: the ones that block writes. */
const LOCK_MODES = {
    5: 'SHARE',
    6: 'SHARE ROW EXCLUSIVE',
    7: 'EXCLUSIVE',
    8: 'ACCESS EXCLUSIVE',
};
/**
 * ALTER TABLE sub-commands that take only SHARE UPDATE EXCLUSIVE, which blocks neither reads nor writes (the lock
 * table of PostgreSQL's ALTER TABLE page). An ALTER TABLE made of these alone queues no query behind it.
 */
const SHARE_UPDATE_EXCLUSIVE = new Set([
    'AT_SetStatistics',
    'AT_SetOptions',
    'AT_ResetOptions',
    'AT_SetRelOptions',
    'AT_ResetRelOptions',
    'AT_ValidateConstraint',
    'AT_ClusterOn',
    'AT_DropCluster',
]);
/** Sub-commands that take SHARE ROW EXCLUSIVE (triggers switched on or off): writes wait, reads do not. */
const SHARE_ROW_EXCLUSIVE = new Set([
    'AT_EnableTrig',
    'AT_EnableAlwaysTrig',
    'AT_EnableReplicaTrig',
    'AT_EnableTrigAll',
    'AT_EnableTrigUser',
    'AT_DisableTrig',
    'AT_DisableTrigAll',
    'AT_DisableTrigUser',
]);
/** The tables a statement's foreign keys reference: adding a foreign key locks them SHARE ROW EXCLUSIVE. */
function referencedTables(constraints) {
    return constraints.filter((c) => c?.contype === 'CONSTR_FOREIGN').map((c) => relName(c.pktable));
}
/** Every constraint of an ALTER TABLE's sub-commands: added ones and those inline in an added column. */
function alterConstraints(n) {
    return (n.cmds ?? []).flatMap(({ AlterTableCmd: cmd }) => cmd?.subtype === 'AT_AddConstraint'
        ? [cmd.def?.Constraint]
        : cmd?.subtype === 'AT_AddColumn'
            ? constraintsOf(cmd.def?.ColumnDef)
            : []);
}
/** Every constraint of a CREATE TABLE: table constraints and column constraints. */
function createConstraints(n) {
    return (n.tableElts ?? []).flatMap((e) => (e.Constraint ? [e.Constraint] : constraintsOf(e.ColumnDef)));
}
function alterTableLock(n) {
    const cmds = (n.cmds ?? []).map((c) => c.AlterTableCmd).filter(Boolean);
    const concurrentDetach = (cmd) => cmd.subtype === 'AT_DetachPartition' && cmd.def?.PartitionCmd?.concurrent;
    if (cmds.every((cmd) => SHARE_UPDATE_EXCLUSIVE.has(cmd.subtype) || concurrentDetach(cmd) || cmd.subtype === 'AT_AttachPartition'))
        return undefined;
    const addsForeignKey = (cmd) => cmd.subtype === 'AT_AddConstraint' && cmd.def?.Constraint?.contype === 'CONSTR_FOREIGN';
    if (cmds.every((cmd) => SHARE_UPDATE_EXCLUSIVE.has(cmd.subtype) || SHARE_ROW_EXCLUSIVE.has(cmd.subtype) || addsForeignKey(cmd)))
        return 'SHARE ROW EXCLUSIVE';
    return 'ACCESS EXCLUSIVE';
}
const hasOption = (options, name) => (options ?? []).some((o) => o.DefElem?.defname === name &&
    o.DefElem.arg?.Boolean?.boolval !== false &&
    o.DefElem.arg?.String?.sval !== 'false');
/**
 * The first lock a statement takes that blocks reads or writes of a relation that existed before the file, in
 * the order the server takes them; undefined when it takes none. PostgreSQL's lock table (explicit locking) and
 * each command's page say which lock: ACCESS EXCLUSIVE for most ALTER TABLE forms, policies, DROP, TRUNCATE, a
 * replaced view, a non-concurrent materialized-view refresh, CLUSTER, VACUUM FULL and a partition created under a
 * parent; SHARE ROW EXCLUSIVE for triggers and for the table a new foreign key references (also from a new table);
 * SHARE for a non-concurrent index build or REINDEX; LOCK TABLE in SHARE mode or stronger.
 */
function blockingLock(s, created) {
    const existing = (relation) => relation !== '' && !created.has(relation);
    const first = (...candidates) => {
        const found = candidates.find(([relation, mode]) => mode && existing(relation));
        return found ? { relation: found[0], mode: found[1] } : undefined;
    };
    const n = s.node;
    const references = (constraints) => referencedTables(constraints).map((t) => [t, 'SHARE ROW EXCLUSIVE']);
    switch (s.kind) {
        case 'AlterTableStmt': {
            const attached = (n.cmds ?? [])
                .filter(({ AlterTableCmd: c }) => c?.subtype === 'AT_AttachPartition')
                .map(({ AlterTableCmd: c }) => [
                relName(c.def?.PartitionCmd?.name),
                'ACCESS EXCLUSIVE',
            ]);
            return first([relName(n.relation), alterTableLock(n)], ...attached, ...references(alterConstraints(n)));
        }
        case 'CreateStmt': {
            const parents = n.partbound
                ? (n.inhRelations ?? []).map((r) => [relName(r.RangeVar), 'ACCESS EXCLUSIVE'])
                : [];
            return first(...parents, ...references(createConstraints(n)));
        }
        case 'IndexStmt':
            return n.concurrent ? undefined : first([relName(n.relation), 'SHARE']);
        case 'CreatePolicyStmt':
        case 'AlterPolicyStmt':
            return first([relName(n.table), 'ACCESS EXCLUSIVE']);
        case 'CreateTrigStmt':
            return first([relName(n.relation), 'SHARE ROW EXCLUSIVE']);
        case 'RenameStmt':
            // ALTER INDEX … RENAME takes SHARE UPDATE EXCLUSIVE (PostgreSQL 12 and later); renames of other objects that
            // are not relations (schemas, types, functions) lock no table.
            return n.renameType === 'OBJECT_INDEX' || !n.relation
                ? undefined
                : first([relName(n.relation), 'ACCESS EXCLUSIVE']);
        case 'TruncateStmt':
            return first(...(n.relations ?? []).map((r) => [relName(r.RangeVar), 'ACCESS EXCLUSIVE']));
        case 'DropStmt': {
            const objects = n.objects ?? [];
            if (['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_FOREIGN_TABLE'].includes(n.removeType))
                return first(...objects.map((o) => [droppedTable(o), 'ACCESS EXCLUSIVE']));
            if (['OBJECT_POLICY', 'OBJECT_TRIGGER', 'OBJECT_RULE'].includes(n.removeType))
                return first(...objects.map((o) => [ownerTable(o), 'ACCESS EXCLUSIVE']));
            if (n.removeType === 'OBJECT_INDEX' && !n.concurrent)
                return first(...objects.map((o) => [droppedTable(o), 'ACCESS EXCLUSIVE']));
            return undefined;
        }
        case 'ViewStmt':
            return n.replace ? first([relName(n.view), 'ACCESS EXCLUSIVE']) : undefined;
        case 'RefreshMatViewStmt':
            return n.concurrent ? undefined : first([relName(n.relation), 'ACCESS EXCLUSIVE']);
        case 'LockStmt':
            return first(...(n.relations ?? []).map((r) => [
                relName(r.RangeVar),
                LOCK_MODES[n.mode ?? 8],
            ]));
        case 'ClusterStmt':
            return first([n.relation ? relName(n.relation) : 'every clustered table', 'ACCESS EXCLUSIVE']);
        case 'VacuumStmt': {
            if (!n.is_vacuumcmd || !hasOption(n.options, 'full'))
                return undefined;
            const rels = n.rels ?? [];
            return rels.length === 0
                ? first(['every table of the database', 'ACCESS EXCLUSIVE'])
                : first(...rels.map((r) => [relName(r.VacuumRelation?.relation), 'ACCESS EXCLUSIVE']));
        }
        case 'ReindexStmt':
            if (hasOption(n.params, 'concurrently'))
                return undefined;
            if (n.relation)
                return first([relName(n.relation), n.kind === 'REINDEX_OBJECT_INDEX' ? 'ACCESS EXCLUSIVE' : 'SHARE']);
            return first([`every index of ${String(n.name ?? 'the database')}`, 'SHARE']);
        default:
            return undefined;
    }
}
/**
 * What a statement does to lock_timeout: true when it sets a limit, false when it switches the limit off (0) or
 * back to the server's default, undefined when it leaves it alone. `SET`, `SET LOCAL`, `RESET` and
 * `SELECT set_config('lock_timeout', …)` count.
 */
function lockTimeoutChange(s) {
    if (s.kind === 'VariableSetStmt' && s.node.name === 'lock_timeout') {
        if (s.node.kind === 'VAR_RESET' || s.node.kind === 'VAR_SET_DEFAULT')
            return 'default';
        const value = s.node.args?.[0];
        return !isZeroDuration(intOf(value) ?? value?.A_Const?.sval?.sval);
    }
    if (s.kind === 'SelectStmt') {
        for (const target of s.node.targetList ?? []) {
            const call = target.ResTarget?.val?.FuncCall;
            const name = call?.funcname?.at(-1)?.String?.sval;
            const [setting, value] = (call?.args ?? []).map((a) => a.A_Const?.sval?.sval ?? intOf(a));
            if (name === 'set_config' && setting === 'lock_timeout')
                return !isZeroDuration(value);
        }
    }
    return undefined;
}
const isZeroDuration = (value) => value === 0 || (typeof value === 'string' && /^\s*0+(\.0*)?\s*(ms|s|min|h|d)?\s*$/i.test(value));
/** The column a CHECK constraint proves NOT NULL (`CHECK (col IS NOT NULL)`), if that is all it says. */
function notNullColumnOf(c) {
    const test = c?.raw_expr?.NullTest;
    const fields = test?.arg?.ColumnRef?.fields ?? [];
    return test?.nulltesttype === 'IS_NOT_NULL' && fields.length === 1 ? fields[0].String?.sval : undefined;
}
/**
 * All findings of one file, before ignores and severities. `memory` holds what is known before this file — column
 * types from the database or earlier files, CHECK (col IS NOT NULL) constraints of earlier files — and is updated
 * with this file's. `transactional`: the file runs in one transaction (so a VALIDATE in it gains nothing).
 * `doBodies`: the parsed bodies of the file's DO blocks by statement index (`parseDoBodies`).
 */
function lintStatements(statements, options) {
    const findings = [];
    const created = new Set();
    const memory = options.memory ?? { columns: options.columns ?? new Map(), notNullChecks: new Map() };
    const addedNotValid = new Set();
    let lockTimeout = options.lockTimeoutSet;
    let lockTimeoutReported = false;
    const visit = (s, add) => {
        const n = s.node;
        const change = lockTimeoutChange(s);
        if (change !== undefined)
            lockTimeout = change === 'default' ? options.lockTimeoutSet : change;
        const lock = lockTimeout || lockTimeoutReported ? undefined : blockingLock(s, created);
        if (lock) {
            lockTimeoutReported = true;
            add('require-lock-timeout', `this statement takes ${/^[AE]/.test(lock.mode) ? 'an' : 'a'} ${lock.mode} lock on ${lock.relation} and no lock_timeout is set before it: while it waits for the lock, every query on ${lock.relation} queues behind it`);
        }
        const table = createdBy(s);
        switch (s.kind) {
            case 'CreateStmt':
                for (const element of n.tableElts ?? []) {
                    const type = typeOf(element.ColumnDef?.typeName);
                    if (type)
                        memory.columns.set(`${table}.${element.ColumnDef.colname}`, type);
                }
                break;
            case 'IndexStmt':
                // ON ONLY a partitioned table builds an invalid index on the parent alone, at once: CONCURRENTLY is not
                // allowed there, and each partition's index is built (concurrently) and attached afterwards.
                if (!n.concurrent && n.relation?.inh === true && !created.has(relName(n.relation)))
                    add('require-concurrent-index-creation', `CREATE INDEX on ${relName(n.relation)} without CONCURRENTLY blocks writes to the table while it builds`);
                break;
            case 'DropStmt':
                if (n.removeType === 'OBJECT_INDEX' &&
                    !n.concurrent &&
                    (n.objects ?? []).some((o) => !created.has(droppedTable(o))))
                    add('require-concurrent-index-deletion', 'DROP INDEX without CONCURRENTLY locks the table');
                // A table created earlier in the same file holds no data yet.
                if (n.removeType === 'OBJECT_TABLE' && (n.objects ?? []).some((o) => !created.has(droppedTable(o))))
                    add('ban-drop-table', 'DROP TABLE destroys its data');
                break;
            case 'DropdbStmt':
                add('ban-drop-database', `DROP DATABASE ${n.dbname}`);
                break;
            case 'RenameStmt':
                // A relation this file created has no code using its name yet (a table built under a temporary name, then
                // swapped in).
                if (n.renameType === 'OBJECT_COLUMN' && !created.has(relName(n.relation)))
                    add('renaming-column', `renaming column ${n.subname} to ${n.newname} breaks code still using ${n.subname}`);
                if (n.renameType === 'OBJECT_TABLE' && !created.has(relName(n.relation)))
                    add('renaming-table', `renaming table ${relName(n.relation)} to ${n.newname} breaks code still using it`);
                followRename(n, memory);
                break;
            case 'CreateFunctionStmt': {
                const name = String(n.funcname?.at(-1)?.String?.sval ?? '').toLowerCase();
                const volatility = (n.options ?? []).find((o) => o.DefElem?.defname === 'volatility')?.DefElem?.arg?.String
                    ?.sval;
                memory.functions ??= new Map();
                if (name)
                    memory.functions.set(name, volatility === undefined || volatility === 'volatile');
                break;
            }
            case 'TruncateStmt':
                if (n.behavior === 'DROP_CASCADE')
                    add('ban-truncate-cascade', 'TRUNCATE … CASCADE also empties every table referencing this one');
                break;
            case 'AlterTableStmt':
                if (!created.has(relName(n.relation)))
                    lintAlterTable(n, add, memory, { transactional: options.transactional !== false, addedNotValid });
                remember(n, memory, addedNotValid);
                break;
        }
        if (table)
            created.add(table);
    };
    statements.forEach((s, statement) => {
        visit(s, (rule, message) => findings.push({ rule, message, statement }));
        const body = s.kind === 'DoStmt' ? options.doBodies?.get(statement) : undefined;
        for (const nested of body?.statements ?? [])
            visit(nested, (rule, message) => findings.push({ rule, message, statement, offset: nested.offset }));
        for (const { offset, why } of body?.unlinted ?? [])
            findings.push({
                rule: 'unlinted-dynamic-sql',
                message: `${why}: lint cannot see what it runs`,
                statement,
                offset,
            });
    });
    return findings;
}
/** The PL/pgSQL statements that run SQL, in the order they are written, with the line of the body they start on. */
function sqlOfBody(tree) {
    const found = [];
    const walk = (node) => {
        if (Array.isArray(node))
            for (const item of node)
                walk(item);
        else if (node && typeof node === 'object') {
            for (const [key, value] of Object.entries(node)) {
                const v = value;
                if (key === 'PLpgSQL_stmt_execsql')
                    found.push({ kind: 'sql', query: String(v.sqlstmt?.PLpgSQL_expr?.query ?? ''), line: v.lineno ?? 1 });
                else if (key === 'PLpgSQL_stmt_perform')
                    found.push({ kind: 'sql', query: String(v.expr?.PLpgSQL_expr?.query ?? ''), line: v.lineno ?? 1 });
                else if (key === 'PLpgSQL_stmt_dynexecute')
                    found.push({ kind: 'dynamic', query: String(v.query?.PLpgSQL_expr?.query ?? ''), line: v.lineno ?? 1 });
                walk(value);
            }
        }
    };
    walk(tree);
    return found;
}
/** The text of a single string constant (`'…'`, `E'…'`, `$$…$$`), or undefined for any other expression. */
async function constantText(expression) {
    try {
        const tree = await parseSql(`SELECT ${expression}`);
        const value = tree.stmts?.[0]?.stmt?.SelectStmt?.targetList;
        return value?.length === 1 ? value[0].ResTarget?.val?.A_Const?.sval?.sval : undefined;
    }
    catch {
        return undefined;
    }
}
/**
 * The statements each DO block of a file runs, parsed with PostgreSQL's own PL/pgSQL parser (libpg_query), so lint
 * sees the DDL teams wrap in DO blocks to make it idempotent. EXECUTE of a string constant is read too; EXECUTE of
 * anything built at run time, a body that does not parse and a DO block in another language are reported as SQL
 * lint could not read.
 */
async function parseDoBodies(statements) {
    const bodies = new Map();
    for (const [index, s] of statements.entries()) {
        if (s.kind !== 'DoStmt')
            continue;
        const option = (name) => (s.node.args ?? []).find((a) => a.DefElem?.defname === name)?.DefElem?.arg?.String?.sval;
        const language = option('language') ?? 'plpgsql';
        const body = option('as') ?? '';
        const found = { statements: [], unlinted: [] };
        bodies.set(index, found);
        if (language.toLowerCase() !== 'plpgsql') {
            found.unlinted.push({ offset: s.offset, why: `a DO block in ${language}` });
            continue;
        }
        // Where the body starts in the file: verbatim between dollar quotes; a quoted body ('' escapes) is not.
        const at = s.sql.indexOf(body);
        const bodyStart = at >= 0 ? s.offset + at : s.offset;
        const offsetOf = (line, text) => {
            if (at < 0)
                return s.offset;
            let lineStart = 0;
            for (let l = 1; l < line && lineStart >= 0; l++)
                lineStart = body.indexOf('\n', lineStart) + 1 || -1;
            const inBody = lineStart < 0 ? -1 : body.indexOf(text, lineStart);
            return bodyStart + (inBody >= 0 ? inBody : Math.max(lineStart, 0));
        };
        let tree;
        try {
            const quote = '$shipline_do_body$';
            tree = await parsePlpgsql(`CREATE FUNCTION shipline_do_block() RETURNS void LANGUAGE plpgsql AS ${quote}${body}${quote}`);
        }
        catch (error) {
            found.unlinted.push({
                offset: s.offset,
                why: `this DO block's body does not parse as PL/pgSQL (${error.message})`,
            });
            continue;
        }
        for (const { kind, query, line } of sqlOfBody(tree)) {
            const text = kind === 'sql' ? query : await constantText(query);
            if (text === undefined) {
                found.unlinted.push({
                    offset: offsetOf(line, query),
                    why: `EXECUTE ${query.length > 60 ? `${query.slice(0, 57)}...` : query} builds its SQL at run time`,
                });
                continue;
            }
            try {
                for (const raw of (await parseSql(text)).stmts ?? []) {
                    const [nestedKind, node] = Object.entries(raw.stmt)[0];
                    found.statements.push({ kind: nestedKind, node, offset: offsetOf(line, kind === 'sql' ? query : text) });
                }
            }
            catch {
                found.unlinted.push({ offset: offsetOf(line, query), why: 'a statement in this DO block does not parse' });
            }
        }
    }
    return bodies;
}
/** lintStatements with the file's DO blocks read first. */
async function lintFile(statements, options) {
    return lintStatements(statements, { ...options, doBodies: await parseDoBodies(statements) });
}
/** Column types and NOT NULL checks follow a renamed column or table. */
function followRename(n, memory) {
    const table = relName(n.relation);
    const move = (from, to) => {
        for (const map of [memory.columns, memory.notNullChecks])
            for (const [key, value] of [...map])
                if (key.startsWith(from)) {
                    map.delete(key);
                    map.set(to + key.slice(from.length), value);
                }
    };
    if (n.renameType === 'OBJECT_COLUMN') {
        const type = memory.columns.get(`${table}.${n.subname}`);
        memory.columns.delete(`${table}.${n.subname}`);
        if (type)
            memory.columns.set(`${table}.${n.newname}`, type);
        for (const check of memory.notNullChecks.values())
            if (check.column === n.subname)
                check.column = String(n.newname);
    }
    if (n.renameType === 'OBJECT_TABLE')
        move(`${table}.`, `${tableName(n.relation?.schemaname, n.newname)}.`);
}
/** Column types and NOT NULL checks an ALTER TABLE adds or changes, for the statements and files after it. */
function remember(n, memory, addedNotValid) {
    const table = relName(n.relation);
    for (const { AlterTableCmd: cmd } of n.cmds ?? []) {
        if (cmd?.subtype === 'AT_AddColumn') {
            const type = typeOf(cmd.def?.ColumnDef?.typeName);
            if (type)
                memory.columns.set(`${table}.${cmd.def.ColumnDef.colname}`, type);
        }
        if (cmd?.subtype === 'AT_AlterColumnType') {
            const type = typeOf(cmd.def?.ColumnDef?.typeName);
            if (type)
                memory.columns.set(`${table}.${cmd.name}`, type);
        }
        if (cmd?.subtype === 'AT_AddConstraint') {
            const c = cmd.def?.Constraint;
            const column = notNullColumnOf(c);
            // An unnamed CHECK on one column is named <table>_<column>_check by the server.
            const name = c?.conname ?? (column ? `${n.relation?.relname}_${column}_check` : undefined);
            if (column && name)
                memory.notNullChecks.set(`${table}.${name}`, { column, validated: !c.skip_validation });
            if (name && c?.skip_validation)
                addedNotValid.add(`${table}.${name}`);
        }
        if (cmd?.subtype === 'AT_ValidateConstraint') {
            const check = memory.notNullChecks.get(`${table}.${cmd.name}`);
            if (check)
                check.validated = true;
        }
    }
}
function lintAlterTable(n, add, memory, file) {
    const table = relName(n.relation);
    for (const { AlterTableCmd: cmd } of n.cmds ?? []) {
        if (!cmd)
            continue;
        switch (cmd.subtype) {
            case 'AT_AddColumn': {
                const column = cmd.def?.ColumnDef;
                const constraints = constraintsOf(column);
                const defaultValue = constraints.find((c) => c.contype === 'CONSTR_DEFAULT');
                const type = typeOf(column?.typeName);
                const identity = constraints.some((c) => c.contype === 'CONSTR_IDENTITY');
                // PostgreSQL 18's virtual generated columns are computed when read; stored ones are written into every row.
                const stored = constraints.some((c) => c.contype === 'CONSTR_GENERATED' && c.generated_kind !== 'v');
                const serial = type !== undefined && SERIAL_TYPES.has(type.name);
                if (constraints.some((c) => c.contype === 'CONSTR_NOTNULL') &&
                    !defaultValue &&
                    !identity &&
                    !serial &&
                    !constraints.some((c) => c.contype === 'CONSTR_GENERATED'))
                    add('adding-required-field', `column ${column?.colname} is NOT NULL without a default: adding it fails once ${table} has rows`);
                if (serial || identity || stored)
                    add('adding-field-with-default', `column ${column?.colname} is ${serial ? `a ${type?.name}` : identity ? 'an identity' : 'a stored generated'} column: adding it writes a value into every row, rewriting ${table} under an ACCESS EXCLUSIVE lock`);
                else if (defaultValue &&
                    funcNames(defaultValue.raw_expr).some((f) => VOLATILE.has(f) || memory.functions?.get(f) === true))
                    add('adding-field-with-default', `column ${column?.colname} has a volatile default: adding it rewrites ${table}`);
                for (const c of constraints) {
                    // Without a default the new column is NULL in every row, and PostgreSQL checks no row.
                    if (c.contype === 'CONSTR_FOREIGN' && !c.skip_validation && (defaultValue || serial || identity || stored))
                        add('constraint-missing-not-valid', `the foreign key on ${column?.colname} is checked against every row of ${table} under a lock: add it NOT VALID, then VALIDATE CONSTRAINT`);
                    if (c.contype === 'CONSTR_PRIMARY')
                        add('adding-serial-primary-key-field', `the primary key on ${column?.colname} builds its index while ${table} is locked ACCESS EXCLUSIVE: build a unique index CONCURRENTLY, then ADD PRIMARY KEY USING INDEX`);
                    if (c.contype === 'CONSTR_UNIQUE')
                        add('disallowed-unique-constraint', `the unique constraint on ${column?.colname} builds its index while ${table} is locked ACCESS EXCLUSIVE: build a unique index CONCURRENTLY, then ADD CONSTRAINT … UNIQUE USING INDEX`);
                }
                break;
            }
            case 'AT_AddConstraint': {
                const c = cmd.def?.Constraint;
                if ((c?.contype === 'CONSTR_FOREIGN' || c?.contype === 'CONSTR_CHECK') && !c.skip_validation)
                    add('constraint-missing-not-valid', `${c.contype === 'CONSTR_FOREIGN' ? 'FOREIGN KEY' : 'CHECK'} constraint${c.conname ? ` ${c.conname}` : ''} validates every row of ${table} under a lock: add it NOT VALID, then VALIDATE CONSTRAINT in a later migration`);
                if (c?.contype === 'CONSTR_PRIMARY' && !c.indexname)
                    add('adding-serial-primary-key-field', `ADD PRIMARY KEY builds its index while ${table} is locked ACCESS EXCLUSIVE: build a unique index CONCURRENTLY, then ADD PRIMARY KEY USING INDEX`);
                if (c?.contype === 'CONSTR_UNIQUE' && !c.indexname)
                    add('disallowed-unique-constraint', `ADD UNIQUE${c.conname ? ` (${c.conname})` : ''} builds its index while ${table} is locked ACCESS EXCLUSIVE: build a unique index CONCURRENTLY, then ADD CONSTRAINT … UNIQUE USING INDEX`);
                break;
            }
            case 'AT_ValidateConstraint':
                if (file.transactional && file.addedNotValid.has(`${table}.${cmd.name}`))
                    add('constraint-missing-not-valid', `${cmd.name} is validated in the transaction that added it NOT VALID: the lock taken by the add is held through the whole scan, so NOT VALID gains nothing. Validate it in a later migration`);
                break;
            case 'AT_SetNotNull': {
                const proven = [...memory.notNullChecks].some(([key, check]) => key.startsWith(`${table}.`) && check.column === cmd.name && check.validated);
                // PostgreSQL skips the scan when a validated CHECK (col IS NOT NULL) proves the column has no NULL.
                if (!proven)
                    add('adding-not-nullable-field', `SET NOT NULL on ${table}.${cmd.name} scans the whole table under an ACCESS EXCLUSIVE lock (add a CHECK (… IS NOT NULL) NOT VALID and validate it first)`);
                break;
            }
            case 'AT_AlterColumnType': {
                const from = memory.columns.get(`${table}.${cmd.name}`);
                const to = typeOf(cmd.def?.ColumnDef?.typeName);
                // A USING expression is conservatively a rewrite; without one, widening a type in place is not.
                if (from && to && !cmd.def?.ColumnDef?.raw_default && widensWithoutRewrite(from, to))
                    break;
                add('changing-column-type', `changing the type of ${table}.${cmd.name} can rewrite the table under an ACCESS EXCLUSIVE lock`);
                break;
            }
            case 'AT_DropColumn':
                add('ban-drop-column', `dropping ${table}.${cmd.name} destroys its data`);
                break;
        }
    }
}
/** Rules named in `-- shipline-ignore rule-a, rule-b` (or squawk's own `-- squawk-ignore`) comments. */
function ignoredRules(leading) {
    const rules = new Set();
    // Asked for every finding; nearly every statement has no ignore comment at all.
    if (!leading.includes('-ignore'))
        return rules;
    // Line by line, in one pass each: /ignore\s+([a-z0-9,\s-]+?)\s*$/m let its lazy group and the blanks around it
    // share every blank, and a long blank run ending in another character took quadratic time.
    for (const line of leading.split('\n')) {
        // From `namesFrom` on, the line holds only rule names, commas and blanks.
        let namesFrom = line.length;
        while (namesFrom > 0 && /[a-z0-9,\s-]/.test(line[namesFrom - 1]))
            namesFrom--;
        for (const marker of line.matchAll(/--\s*(?:shipline|squawk)-ignore/g)) {
            const end = marker.index + marker[0].length;
            if (end < namesFrom || !/\s/.test(line[end] ?? ''))
                continue;
            for (const r of line.slice(end).split(/[\s,]+/))
                if (r)
                    rules.add(r);
            break;
        }
    }
    return rules;
}
function severityOf(rule, overrides) {
    return overrides[rule] ?? RULES[rule]?.severity ?? 'warning';
}

;// CONCATENATED MODULE: ./actions/migrate/src/schema-change.ts
// Expand or contract: whether the release before a migration can still run against the schema after it. A rollback
// of the app leaves the database where the migrations took it, so a release older than a contract migration meets
// a schema it does not know (a dropped or renamed column, a NOT NULL it never fills) and fails on its first query.

const newReleaseSchema = () => ({ created: new Set(), addedColumns: new Set() });
/** Objects whose DROP (or RENAME) takes away something the previous release may call or query. */
const USED_OBJECTS = {
    OBJECT_TABLE: 'table',
    OBJECT_VIEW: 'view',
    OBJECT_MATVIEW: 'materialized view',
    OBJECT_FOREIGN_TABLE: 'foreign table',
    OBJECT_COLUMN: 'column',
    OBJECT_FUNCTION: 'function',
    OBJECT_PROCEDURE: 'procedure',
    OBJECT_ROUTINE: 'routine',
    OBJECT_TYPE: 'type',
    OBJECT_DOMAIN: 'domain',
    OBJECT_SCHEMA: 'schema',
    OBJECT_SEQUENCE: 'sequence',
};
const nameOf = (object) => object?.List
    ? droppedTable(object)
    : object?.ObjectWithArgs
        ? (object.ObjectWithArgs.objname ?? []).map((n) => n.String?.sval).join('.')
        : String(object?.String?.sval ?? object?.TypeName?.names?.at(-1)?.String?.sval ?? '');
/**
 * Why a statement is a contract change (the release before it cannot run against the schema after it), or
 * undefined for an expand change. Changes to what this release created are expand changes: the previous release
 * never knew those objects. `release` is updated with what the statement creates.
 */
function contractReason(s, release) {
    const n = s.node;
    const known = (relation) => relation !== '' && !release.created.has(relation);
    const reason = (() => {
        switch (s.kind) {
            case 'DropStmt': {
                const what = USED_OBJECTS[n.removeType];
                const names = (n.objects ?? [])
                    .map(nameOf)
                    .filter((name) => !['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW'].includes(n.removeType) || known(name));
                return what && names.length > 0
                    ? `drops ${what} ${names.join(', ')}, which the previous release may still use`
                    : undefined;
            }
            case 'RenameStmt': {
                const what = USED_OBJECTS[n.renameType];
                if (!what || (n.relation && !known(relName(n.relation))))
                    return undefined;
                const from = n.renameType === 'OBJECT_COLUMN'
                    ? `${relName(n.relation)}.${n.subname}`
                    : n.relation
                        ? relName(n.relation)
                        : nameOf(n.object);
                return `renames ${what} ${from} to ${n.newname}: the previous release still uses the old name`;
            }
            case 'AlterObjectSchemaStmt':
                return n.relation && known(relName(n.relation))
                    ? `moves ${relName(n.relation)} to schema ${n.newschema}: the previous release looks for it where it was`
                    : undefined;
            case 'AlterEnumStmt':
                return n.oldVal
                    ? `renames the value '${n.oldVal}' of type ${nameOf({ TypeName: { names: n.typeName } })}: the previous release still writes '${n.oldVal}'`
                    : undefined;
            case 'TruncateStmt': {
                const tables = (n.relations ?? []).map((r) => relName(r.RangeVar)).filter(known);
                return tables.length > 0 ? `empties ${tables.join(', ')}: a rollback does not bring the rows back` : undefined;
            }
            case 'DeleteStmt':
                return known(relName(n.relation))
                    ? `deletes rows of ${relName(n.relation)}: a rollback does not bring them back`
                    : undefined;
            case 'UpdateStmt': {
                const table = relName(n.relation);
                const columns = (n.targetList ?? []).map((t) => String(t.ResTarget?.name));
                // A backfill of the columns this release added is part of the expansion; rewriting older data is not.
                const older = columns.filter((c) => !release.addedColumns.has(`${table}.${c}`));
                return known(table) && older.length > 0
                    ? `rewrites ${older.map((c) => `${table}.${c}`).join(', ')} in place: a rollback does not restore the old values`
                    : undefined;
            }
            case 'AlterTableStmt': {
                const table = relName(n.relation);
                if (!known(table))
                    return undefined;
                for (const { AlterTableCmd: cmd } of n.cmds ?? []) {
                    if (!cmd)
                        continue;
                    if (cmd.subtype === 'AT_DropColumn')
                        return `drops column ${table}.${cmd.name}, which the previous release may still read or write`;
                    if (cmd.subtype === 'AT_AlterColumnType')
                        return `changes the type of ${table}.${cmd.name}: the previous release reads and writes the old type`;
                    if (cmd.subtype === 'AT_SetNotNull')
                        return `makes ${table}.${cmd.name} NOT NULL: the previous release may insert rows without it`;
                    if (cmd.subtype === 'AT_ColumnDefault' && !cmd.def)
                        return `drops the default of ${table}.${cmd.name}: the previous release may insert rows relying on it`;
                    // A foreign key or check that goes only loosens what the previous release may write; a unique or primary key
                    // it relies on (ON CONFLICT) does not. Which kind a name is comes from PostgreSQL's (and Prisma's) naming;
                    // a constraint the same file adds again under the name is replaced, not removed.
                    if (cmd.subtype === 'AT_DropConstraint' &&
                        !/_(fkey|check|fk)$/i.test(String(cmd.name)) &&
                        !release.readded?.has(`${table}.${cmd.name}`))
                        return `drops constraint ${cmd.name} of ${table}: a query of the previous release may rely on it (ON CONFLICT on a unique or primary key)`;
                    if (cmd.subtype === 'AT_AddColumn') {
                        const column = cmd.def?.ColumnDef;
                        const constraints = constraintsOf(column);
                        const filled = constraints.some((c) => ['CONSTR_DEFAULT', 'CONSTR_IDENTITY', 'CONSTR_GENERATED'].includes(c.contype)) ||
                            SERIAL_TYPES.has(String(typeOf(column?.typeName)?.name));
                        if (constraints.some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY') && !filled)
                            return `adds ${table}.${column?.colname} NOT NULL without a default: the previous release inserts rows without it`;
                    }
                }
                return undefined;
            }
            default:
                return undefined;
        }
    })();
    const created = createdBy(s);
    if (created)
        release.created.add(created);
    if (s.kind === 'AlterTableStmt')
        for (const { AlterTableCmd: cmd } of n.cmds ?? [])
            if (cmd?.subtype === 'AT_AddColumn')
                release.addedColumns.add(`${relName(n.relation)}.${cmd.def?.ColumnDef?.colname}`);
    return reason;
}
/** The first contract change of a file (its own statements and those inside its DO blocks, in order), if any. */
function firstContract(statements, doBodies, release) {
    let first;
    release.readded = new Set([...statements, ...[...doBodies.values()].flatMap((b) => b.statements)]
        .filter((s) => s.kind === 'AlterTableStmt')
        .flatMap((s) => (s.node.cmds ?? []).map(({ AlterTableCmd: cmd }) => cmd?.subtype === 'AT_AddConstraint' && cmd.def?.Constraint?.conname
        ? `${relName(s.node.relation)}.${cmd.def.Constraint.conname}`
        : undefined))
        .filter((key) => key !== undefined));
    statements.forEach((s, index) => {
        const found = contractReason(s, release);
        if (found && !first)
            first = { offset: s.offset, sql: s.sql, reason: found };
        for (const nested of doBodies.get(index)?.statements ?? []) {
            const inside = contractReason(nested, release);
            if (inside && !first)
                first = { offset: nested.offset, sql: s.sql, reason: inside };
        }
    });
    return first;
}

;// CONCATENATED MODULE: ./actions/migrate/src/commands/lint-findings.ts
// Lint findings for the files that will run, with the team's severities: warnings and errors for plan, the errors
// that block apply.






/**
 * The current types of the columns the pending files change, so lint can tell a varchar widened in place from a
 * rewrite. Without a database, lint learns types from the earlier files it reads.
 */
async function currentColumnTypes(db, pending) {
    const columns = new Map();
    if (!db)
        return columns;
    const key = (c) => `${c.table}.${c.column}`;
    const named = [...new Map(pending.flatMap((p) => alteredColumns(p.statements)).map((c) => [key(c), c])).values()];
    if (named.length === 0)
        return columns;
    const found = (c, type) => c && columns.set(key(c), parseFormattedType(String(type)));
    // All of them in one round trip: a database far away costs one per query, and a folder changes dozens of types.
    const all = await db
        .query(`SELECT c.n::int AS n, format_type(a.atttypid, a.atttypmod) AS type
         FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS c(rel, col, n)
         JOIN pg_attribute a ON a.attrelid = to_regclass(c.rel) AND a.attname = c.col AND NOT a.attisdropped`, [named.map((c) => c.table), named.map((c) => c.column)])
        .then((result) => result.rows, () => undefined);
    if (all) {
        for (const { n, type } of all)
            found(named[n - 1], type);
        return columns;
    }
    // A name to_regclass cannot read (too many dots) fails the whole query: then one at a time, each on its own.
    for (const c of named) {
        const { rows } = await db
            .query('SELECT format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attname = $2 AND NOT a.attisdropped', [c.table, c.column])
            .catch(() => ({ rows: [] }));
        if (rows[0])
            found(c, rows[0].type);
    }
    return columns;
}
/**
 * Lint findings at `minimum` severity or above (annotated), and the files' expand/contract classification (each
 * contract migration annotated as a notice at its statement): one parse of each file's DO blocks serves both.
 */
async function lint(inputs, pending, minimum, columns = new Map()) {
    const rows = [];
    const contracts = [];
    const release = newReleaseSchema();
    let errors = 0;
    const overrides = { ...inputs['lint-severity'] };
    for (const rule of inputs['lint-ignore'])
        overrides[rule] = 'off';
    // What one file teaches lint about the next (column types, CHECK (col IS NOT NULL) constraints).
    const memory = { columns, notNullChecks: new Map() };
    for (const p of pending) {
        const doBodies = await parseDoBodies(p.statements);
        const contract = firstContract(p.statements, doBodies, release);
        if (contract) {
            const { line, column } = positionAt(p.file.content, contract.offset);
            const statement = contract.sql.length > 200 ? `${contract.sql.slice(0, 197)}...` : contract.sql;
            contracts.push({ file: p.file.file, version: p.file.version, line, statement, reason: contract.reason });
            (0,runner/* notice */.lm)(`Contract migration: this statement ${contract.reason}. An app rollback to the release before it would meet a schema it does not know; ship the change in two releases (expand, then contract) to keep rollbacks safe: ${EXPAND_CONTRACT_DOCS}`, {
                file: p.file.file,
                startLine: line,
                startColumn: column,
                title: 'Not rollback-safe',
            });
        }
        for (const finding of lintStatements(p.statements, {
            lockTimeoutSet: inputs['migration-lock-timeout'] !== undefined,
            memory,
            transactional: p.transactional,
            doBodies,
        })) {
            const statement = p.statements[finding.statement];
            if (!statement || ignoredRules(statement.leading).has(finding.rule))
                continue;
            const severity = severityOf(finding.rule, overrides);
            if (severity === 'off' || (minimum === 'error' && severity !== 'error'))
                continue;
            if (severity === 'error')
                errors++;
            const { line, column } = positionAt(p.file.content, finding.offset ?? statement.offset);
            (severity === 'error' ? runner/* error */.z3 : runner/* warning */.$e)(`${finding.rule}: ${finding.message}`, {
                file: p.file.file,
                startLine: line,
                startColumn: column,
                title: `Lint: ${finding.rule}`,
            });
            rows.push([`${p.file.file}:${line}`, finding.rule, severity, finding.message]);
        }
    }
    return { rows, errors, contracts };
}
/** Lint findings at severity error block apply (the team chose to make them so); returns the files unchanged. */
async function checkLint(inputs, pending, columns) {
    const blocking = await lint(inputs, pending, 'error', columns);
    if (blocking.errors > 0)
        throw new errors/* ShiplineError */.J0(`${blocking.errors} lint finding(s) at severity error; nothing was applied (see the annotations)`);
    return { pending, contracts: blocking.contracts };
}

;// CONCATENATED MODULE: ./actions/migrate/src/commands/apply.ts
// apply: takes the migration lock, checks the folder against the tracking table, and applies the pending files
// (or, with dry-run, says which it would apply).











async function apply(context) {
    const { inputs, workspace } = context;
    const url = inputs['database-url'];
    const timeoutMs = inputs['connect-timeout'];
    const outcome = { applied: [], foreign: [] };
    let folder;
    let lockDb;
    let heldToolLock;
    let db;
    const rows = [];
    let failure;
    let toRun = [];
    // Both connections at once: each costs several round trips to a database far away.
    const lockConnection = inputs['dry-run'] ? undefined : context_open(context, url, { timeoutMs, label: 'lock' });
    lockConnection?.catch(() => undefined); // a failure is reported where it is awaited, once
    let ahead;
    // The migrations connection starts before the folder is read: its start-up round trips overlap the reading.
    const connection = context_open(context, url, { timeoutMs, label: 'migrations' });
    connection.catch(() => undefined); // reported where it is awaited, below
    try {
        folder = loadFolder(inputs, workspace);
        doing(context, 'connecting');
        // The parse happens while the connections, the lock and the tracking table are waited for (a database far
        // away costs several round trips before the pending files are known); started once both connections are.
        ahead = parseAhead(folder.files);
        db = await connection;
        if (inputs['dry-run']) {
            doing(context, 'reading the tracking table');
            const comparison = compare(inputs, folder, await readHistory(db, folder), outcome);
            ahead.stop();
            reportComparison(comparison, true);
            toRun = await parseToRun(comparison.pending);
            const checked = await checkLint(inputs, toRun, await currentColumnTypes(db, toRun));
            outcome.contracts = checked.contracts;
            for (const p of checked.pending)
                rows.push({
                    file: p.file.file,
                    version: p.file.version,
                    statements: p.statements.length,
                    status: `would apply${modeLabel(p.plan)}`,
                });
            const names = comparison.pending.map((f) => f.fileName);
            const shown = names.length > 10
                ? `${names.slice(0, 10).join(', ')} and ${names.length - 10} more`
                : names.join(', ') || 'none';
            (0,runner/* info */.pq)(`Dry run: ${names.length} migration(s) would be applied: ${shown}.`);
            return;
        }
        lockDb = await lockConnection;
        doing(context, 'waiting for the migration lock');
        // The tool's own lock before shipline's, so a run of the tool elsewhere and this one never apply together.
        const toolLock = toolLockFor(folder.format);
        if (toolLock) {
            await acquireLock(lockDb, inputs['lock-timeout'], toolLock);
            heldToolLock = toolLock;
        }
        // The lock and the tracking table in one round trip (on the lock's connection) when the lock is free.
        const history = await lockAndRead(lockDb, inputs['lock-timeout'], (locked) => readHistory(locked, folder));
        const comparison = compare(inputs, folder, history, outcome);
        ahead.stop();
        reportComparison(comparison, true);
        const parsed = await parseToRun(comparison.pending);
        const { pending, contracts } = await checkLint(inputs, parsed, await currentColumnTypes(db, parsed));
        toRun = pending;
        outcome.contracts = contracts;
        if (pending.length === 0)
            (0,runner/* info */.pq)('Database is up to date: nothing to apply.');
        // Only now, with every check passed, is anything written: the tracking table, where missing, in the same query
        // as the first file. The outcome's applied list grows as files commit: a failure part-way still reports the
        // files that did apply.
        await applyPending(context, db, folder, pending, rows, outcome.applied, history.present);
    }
    catch (error) {
        failure = error;
        throw error;
    }
    finally {
        ahead?.stop();
        const unlocked = lockDb;
        // A lock connection opened in parallel but never used (a refusal or failure came first) is closed too.
        const unused = lockDb ? undefined : await lockConnection?.catch(() => undefined);
        // Neither connection's goodbye is waited for (hangUp): everything this run needed from the server has arrived.
        hangUp(unused);
        if (!db)
            hangUp(await connection.catch(() => undefined)); // the folder was refused before it was awaited
        if (unlocked)
            releaseLockAndHangUp(unlocked, heldToolLock);
        hangUp(db);
        writeOutputs(outcome, folder?.format, !inputs['dry-run']);
        const title = inputs['dry-run'] ? 'Migrations (dry run)' : 'Migrations';
        const result = failure === undefined ? undefined : failed(context, failure, outcome.applied.length);
        const body = rows.length > 0
            ? `${summaryTable(rows)}${atomicityNotes(toRun)}`
            : failure === undefined
                ? 'Nothing to apply: the database is up to date.'
                : '';
        const ran = inputs['dry-run']
            ? outcome.contracts
            : outcome.contracts?.filter((c) => outcome.applied.some((a) => a.file === c.file));
        const safety = ran && (ran.length > 0 || rows.length > 0)
            ? `\n\n${rollbackSafety(ran, inputs['dry-run'] ? 'would leave' : 'left')}`
            : '';
        (0,summary/* appendSummary */.fe)(`${header(title, inputs, folder, [
            ['Result', result],
            ['Applied', outcome.applied.length],
            ['Pending before', outcome.comparison?.pending.length],
        ])}${body ? `\n\n${body}` : ''}${safety}${foreignSection(outcome.foreign)}`);
    }
}
/** Applies the pending files in order, a summary row each; the first failure stops the run. */
async function applyPending(context, db, folder, pending, rows, applied, trackingPresent) {
    const { inputs, timeout } = context;
    const settings = sessionSettings(db, {
        statementTimeoutMs: inputs['statement-timeout'],
        lockTimeoutMs: inputs['migration-lock-timeout'],
    });
    // Files go to the server in batches: what runs is known when a batch answers; the step timeout's message names the
    // first file not yet confirmed.
    if (pending[0])
        doing(context, `applying ${pending[0].file.file}`);
    // Files whose COMMIT is on its way (sent, not answered): if the connection goes now, their fate is unknown.
    let unanswered = [];
    timeout.unanswered = () => (unanswered.length > 0 ? fateUnknown(unanswered, folder.tracker.table) : undefined);
    // The files of one answer from the server are logged in one write: a write per file costs the runner's host as
    // much CPU as the rest of the client's work while the server applies (it shares those cores). The write is queued
    // as the first file of an answer is reported, so it comes before anything reported after that answer.
    let lines = [];
    const flushLines = () => {
        if (lines.length > 0)
            (0,runner/* infoLines */.Gw)(lines);
        lines = [];
    };
    try {
        const { roundTrips } = await applyAll(db, folder.tracker, pending, settings, (p, ms) => {
            rows.push({
                file: p.file.file,
                version: p.file.version,
                statements: p.statements.length,
                ms,
                status: `${summary/* MARK */.M$.passed} applied${modeLabel(p.plan)}`,
            });
            applied.push({
                version: p.file.version,
                name: p.file.name,
                file: p.file.file,
                statements: p.statements.length,
                durationMs: Math.round(ms),
            });
            if (lines.length === 0)
                queueMicrotask(flushLines);
            lines.push(`Applied ${p.file.file} (${p.statements.length} statements, ${formatMs(ms)})`);
            const next = pending[applied.length];
            if (next)
                doing(context, `applying ${next.file.file}`);
            unanswered = unanswered.filter((u) => u !== p);
        }, folder.tracker.setup(trackingPresent), undefined, (files) => {
            unanswered = files;
        });
        if (pending.length > 0)
            (0,runner/* debug */.Yz)(`${pending.length} file(s) applied in ${roundTrips} quer${roundTrips === 1 ? 'y' : 'ies'}`);
    }
    catch (e) {
        const index = applied.length;
        const failed = e instanceof TrackingSetupFailed ? undefined : pending[index];
        if (e instanceof TrackingSetupFailed)
            for (const p of pending)
                rows.push({
                    file: p.file.file,
                    version: p.file.version,
                    statements: p.statements.length,
                    status: `${summary/* MARK */.M$.none} not run`,
                });
        if (failed && e instanceof FateUnknown) {
            const fate = timeout.hasPassed
                ? undefined
                : await settleFate(context, inputs['database-url'], db, folder, e.files, inputs['connect-timeout']);
            for (const p of e.files) {
                const committed = fate?.get(p);
                const status = committed === undefined
                    ? `? fate unknown: check ${folder.tracker.table}`
                    : committed
                        ? `${summary/* MARK */.M$.passed} applied (its answer was lost; read back after reconnecting)`
                        : `${summary/* MARK */.M$.failed} not applied (rolled back when the connection went)`;
                rows.push({ file: p.file.file, version: p.file.version, statements: p.statements.length, status });
                if (committed)
                    applied.push({
                        version: p.file.version,
                        name: p.file.name,
                        file: p.file.file,
                        statements: p.statements.length,
                        durationMs: 0,
                    });
            }
            for (const later of pending.slice(index + e.files.length))
                rows.push({
                    file: later.file.file,
                    version: later.file.version,
                    statements: later.statements.length,
                    status: `${summary/* MARK */.M$.none} not run`,
                });
            if (fate) {
                const said = e.files
                    .map((p) => `${p.file.file} ${fate.get(p) ? 'was committed' : 'was not committed'}`)
                    .join('; ');
                throw new errors/* ShiplineError */.J0(`${lostAfterCommit(e.files, e.reason)}; reconnected and read ${folder.tracker.table}: ${said}`, { hint: e.hint, cause: e });
            }
        }
        else if (failed) {
            const label = failed.plan.mode === 'transaction'
                ? `${summary/* MARK */.M$.failed} failed, rolled back`
                : `${summary/* MARK */.M$.failed} failed${modeLabel(failed.plan)}`;
            rows.push({
                file: failed.file.file,
                version: failed.file.version,
                statements: failed.statements.length,
                status: label,
            });
            for (const later of pending.slice(index + 1))
                rows.push({
                    file: later.file.file,
                    version: later.file.version,
                    statements: later.statements.length,
                    status: `${summary/* MARK */.M$.none} not run`,
                });
        }
        if (e instanceof StatementFailed) {
            const { line, column } = positionAt(e.file.content, e.offset);
            (0,runner/* error */.z3)(e.message, {
                file: e.file.file,
                startLine: line,
                startColumn: column,
                title: `Migration ${e.file.fileName} failed`,
            });
        }
        throw e;
    }
}
/**
 * What became of files whose COMMIT went out on a connection that was then lost: one new connection (within the
 * step's bound) ends the old session if the server still runs it (its transaction then commits or rolls back for
 * good), waits until it is gone, and reads the tracking table. undefined when that could not be done: the fate
 * stays unknown and the message says where to look.
 */
async function settleFate(context, url, lost, folder, files, timeoutMs) {
    let check;
    try {
        doing(context, `reconnecting to learn whether ${files.map((p) => p.file.file).join(', ')} committed`);
        check = await context_open(context, url, { timeoutMs, label: 'fate' });
        const pid = lost.processID;
        if (pid) {
            await check.query('SELECT pg_terminate_backend($1)', [pid]).catch(() => undefined);
            // The old session is gone once its backend has exited: its transaction then has its final outcome.
            for (let alive = true; alive;) {
                const { rows } = await check.query('SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $1) AS alive', [pid]);
                alive = rows[0]?.alive === true;
                if (alive)
                    await new Promise((r) => setTimeout(r, 50));
            }
        }
        const history = await readHistory(check, folder);
        const recorded = new Set(history.rows.map((r) => r.version));
        return new Map(files.map((p) => [p, recorded.has(p.file.version)]));
    }
    catch (error) {
        (0,runner/* debug */.Yz)(`Could not read back the fate of ${files.map((p) => p.file.file).join(', ')}: ${error?.message ?? String(error)}`);
        return undefined;
    }
    finally {
        hangUp(check);
    }
}

;// CONCATENATED MODULE: ./actions/migrate/src/commands/exec.ts
// exec: the team's own migration tool, run while the migration lock is held; the folder is not read.







/** Runs the team's own migration command while holding the migration lock. */
async function exec(context) {
    const { inputs, workspace } = context;
    const url = inputs['database-url'];
    const lockDb = await context_open(context, url, { timeoutMs: inputs['connect-timeout'], label: 'lock for exec' });
    const started = performance.now();
    let exitCode = null;
    try {
        doing(context, 'waiting for the migration lock');
        await acquireLock(lockDb, inputs['lock-timeout']);
        doing(context, `running '${inputs.exec}'`);
        exitCode = await (0,runner/* group */.Os)(`$ ${inputs.exec}`, () => runShell(inputs.exec, workspace, url, context.timeout));
    }
    finally {
        const ms = performance.now() - started;
        await releaseLock(lockDb);
        await db_close(lockDb);
        (0,runner/* setOutput */.uH)('exit-code', exitCode ?? '');
        (0,summary/* appendSummary */.fe)(`${header('Migrations (exec)', inputs, undefined, [
            ['Command', `\`${inputs.exec}\``],
            ['Exit code', exitCode],
            ['Duration', formatMs(ms)],
        ])}`);
    }
    if (exitCode !== 0)
        throw new errors/* ShiplineError */.J0(`'${inputs.exec}' exited with code ${exitCode} (the lock was held throughout and is released)`);
    (0,runner/* info */.pq)(`'${inputs.exec}' finished under the migration lock.`);
}
/**
 * Runs the team's command in a shell through @actions/exec, each output line through info() (forLog): it is
 * outside text like any other, so it cannot issue workflow commands or show a registered secret.
 * @actions/exec gives no handle on the child, yet when input 'timeout' passes the command must be stopped, not
 * left migrating after the step failed. So exec runs a small node wrapper (this same runtime) that starts the command
 * in a shell as its own process group (`detached`) and writes the group's id to a file: the step timeout signals the
 * whole group, the command and everything it started. (A shell's `set -m` makes no group when not interactive.)
 */
const EXEC_WRAPPER = [
    "const { spawn } = require('node:child_process');",
    "const child = spawn(process.env.SHIPLINE_EXEC_COMMAND, { shell: true, stdio: 'inherit', detached: true });",
    "require('node:fs').writeFileSync(process.env.SHIPLINE_EXEC_PID_FILE, String(child.pid));",
    "child.on('error', (e) => { console.error(e.message); process.exit(127); });",
    "child.on('exit', (code, signal) => process.exit(code ?? 128 + (require('node:os').constants.signals[signal] ?? 0)));",
].join('\n');
async function runShell(command, cwd, url, timeout) {
    const { exec } = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 2876));
    const { mkdtempSync, readFileSync, rmSync } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 3024, 23));
    const { join } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 6760, 23));
    const { tmpdir } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 8161, 23));
    const scratch = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'shipline-exec-'));
    const pidFile = join(scratch, 'pid');
    const stop = () => {
        try {
            process.kill(-Number(readFileSync(pidFile, 'utf8')), 'SIGTERM');
        }
        catch {
            // Not started yet or already gone: nothing left to stop.
        }
    };
    // When input 'timeout' passes, the command goes too: nothing may keep running after the step has failed.
    timeout.onExpire(stop);
    try {
        const env = Object.fromEntries(Object.entries(process.env).filter((e) => e[1] !== undefined));
        return await exec(process.execPath, ['-e', EXEC_WRAPPER], {
            cwd,
            // DATABASE_URL is what Alembic's env.py, dbmate, Prisma and most tools read.
            env: { ...env, DATABASE_URL: url, SHIPLINE_EXEC_COMMAND: command, SHIPLINE_EXEC_PID_FILE: pidFile },
            silent: true,
            ignoreReturnCode: true,
            listeners: { stdline: (line) => (0,runner/* info */.pq)(line), errline: (line) => (0,runner/* info */.pq)(line) },
        });
    }
    finally {
        rmSync(scratch, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./actions/migrate/src/commands/plan.ts
// plan: what apply would run, with lint findings, changing nothing; a database is optional (without one, every
// file is pending and lint learns column types from the earlier files).













async function plan(context) {
    const { inputs, workspace } = context;
    const outcome = { applied: [], foreign: [] };
    let folder;
    try {
        folder = loadFolder(inputs, workspace);
        await planFolder(context, folder, outcome);
    }
    finally {
        writeOutputs(outcome, folder?.format);
    }
}
/**
 * Without a database, in a pull request: the same folder in a checkout of the base branch (`baseDir`, relative to
 * the workspace) stands for what is applied, so only the files the pull request adds are pending and classified,
 * and one it changed is reported as changed. Absent there (a new folder), nothing is.
 */
function baseHistory(workspace, baseDir, folder) {
    const dir = (0,external_node_path_.join)(workspace, baseDir, (0,external_node_path_.relative)(workspace, folder.dir));
    if (!(0,external_node_fs_.existsSync)(dir))
        return { rows: [], foreign: [], present: false };
    const base = readFolder(dir, workspace, folder.format);
    (0,runner/* info */.pq)(`${base.files.length} migration(s) in the base branch's ${(0,external_node_path_.relative)(workspace, dir)} count as applied.`);
    return {
        rows: base.files.map((f) => ({ version: f.version, checksum: expectedChecksum(folder.format.name, f) })),
        foreign: [],
        present: true,
    };
}
async function planFolder(context, folder, outcome) {
    const { inputs, workspace } = context;
    let db;
    let comparison;
    let pending;
    let columns;
    try {
        if (inputs['database-url'])
            db = await context_open(context, inputs['database-url'], { timeoutMs: inputs['connect-timeout'], label: 'plan' });
        const history = !db && inputs['base-dir'] ? baseHistory(workspace, inputs['base-dir'], folder) : await readHistory(db, folder);
        comparison = compare(inputs, folder, history, outcome);
        reportComparison(comparison, false);
        pending = await parseToRun(comparison.pending);
        columns = await currentColumnTypes(db, pending);
    }
    finally {
        await db_close(db);
    }
    const findings = await lint(inputs, pending, 'warning', columns);
    outcome.contracts = findings.contracts;
    const rows = pending.map((p) => ({
        file: p.file.file,
        version: p.file.version,
        statements: p.statements.length,
        status: `will apply${modeLabel(p.plan)}`,
    }));
    for (const p of pending)
        (0,runner/* info */.pq)(`Would apply ${p.file.file} (${p.statements.length} statements; ${atomicity(p)})`);
    const parts = [
        header('Migration plan', inputs, folder, [
            ['Pending', rows.length],
            ['Lint findings', findings.rows.length],
        ]),
    ];
    parts.push(rows.length > 0
        ? `${summaryTable(rows)}${atomicityNotes(pending)}`
        : comparison.problems.length > 0
            ? 'Nothing would be applied: apply would refuse to run (below).'
            : 'Nothing to apply: the database is up to date.');
    if (outcome.foreign.length > 0)
        parts.push(foreignSection(outcome.foreign).trim());
    parts.push(rollbackSafety(findings.contracts, 'would leave'));
    if (findings.rows.length > 0)
        parts.push(`#### Lint\n\n${(0,summary/* table */.tp)(['Where', 'Rule', 'Severity', 'Finding'], findings.rows)}`);
    if (comparison.problems.length > 0)
        parts.push(`#### Problems that block apply\n\n${comparison.problems.map((p) => `- ${p.message}`).join('\n')}`);
    (0,summary/* appendSummary */.fe)(parts.join('\n\n'));
    if (findings.errors > 0)
        throw new errors/* ShiplineError */.J0(`${findings.errors} lint finding(s) at severity error (see the annotations)`, {
            hint: "Fix them, silence one with '-- shipline-ignore <rule>' above the statement, or change input 'lint-severity'.",
        });
    if (comparison.problems.length > 0)
        throw new errors/* ShiplineError */.J0(`apply would refuse to run: ${comparison.problems.map((p) => p.message).join('; ')}`);
}

;// CONCATENATED MODULE: ./actions/migrate/src/commands/status.ts
// status: every file as applied, pending, changed, missing or out of order; never fails on drift.






const STATUS_LABEL = {
    applied: `${summary/* MARK */.M$.passed} applied`,
    pending: '… pending',
    changed: `${summary/* MARK */.M$.warning} changed since applied`,
    missing: `${summary/* MARK */.M$.failed} applied, file missing`,
    'out-of-order': `${summary/* MARK */.M$.warning} pending, out of order`,
};
async function status_status(context) {
    const { inputs, workspace } = context;
    const outcome = { applied: [], foreign: [] };
    let folder;
    try {
        folder = loadFolder(inputs, workspace);
        await statusOf(context, folder, outcome);
    }
    finally {
        writeOutputs(outcome, folder?.format);
    }
}
async function statusOf(context, folder, outcome) {
    const { inputs } = context;
    const db = await context_open(context, inputs['database-url'], {
        timeoutMs: inputs['connect-timeout'],
        label: 'status',
    });
    let comparison;
    try {
        comparison = compare(inputs, folder, await readHistory(db, folder), outcome);
    }
    finally {
        await db_close(db);
    }
    reportComparison(comparison, false);
    const counts = new Map();
    for (const s of comparison.states)
        counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
    (0,runner/* info */.pq)([...counts].map(([k, v]) => `${v} ${k}`).join(', ') || 'No migrations.');
    const rows = comparison.states.map((s) => [s.file?.file ?? '(no file)', s.version, STATUS_LABEL[s.status]]);
    // The job summary holds 1 MiB: a long history is summarised, every file that needs attention is still listed.
    const shown = rows.length > 500 ? rows.filter((_, i) => comparison.states[i]?.status !== 'applied') : rows;
    const note = shown.length < rows.length ? `\n\n${rows.length - shown.length} applied migrations not listed.` : '';
    (0,summary/* appendSummary */.fe)(`${header('Migration status', inputs, folder, [...counts])}\n\n${(0,summary/* table */.tp)(['File', 'Version', 'Status'], shown)}${note}${foreignSection(outcome.foreign)}`);
}

;// CONCATENATED MODULE: ./actions/migrate/src/commands/verify.ts
// verify: replays every file on a throw-away database (of the database-url server, or an embedded PostgreSQL)
// and drops it; the target database is never written.









async function verify(context) {
    const { inputs, workspace } = context;
    const outcome = { applied: [], foreign: [] };
    let folder;
    try {
        folder = loadFolder(inputs, workspace);
        const all = await parseToRun(folder.files);
        if (inputs['database-url'])
            return await replay(context, folder, all, inputs['database-url'], outcome);
        (0,runner/* info */.pq)('No database-url: starting an embedded PostgreSQL for the replay…');
        const { startEmbedded } = await __webpack_require__.e(/* import() */ 795).then(__webpack_require__.bind(__webpack_require__, 3795));
        const server = await startEmbedded(workspace);
        try {
            await replay(context, folder, all, server.url, outcome);
        }
        finally {
            await server.stop();
        }
    }
    finally {
        // verify applies nothing to the target: its outputs say so (the replayed files are in the summary).
        writeOutputs({ applied: [], foreign: [] }, undefined);
    }
}
/** Which platform stand-ins verify creates: input 'stand-ins', where auto means supabase for the supabase format. */
function standInsFor(inputs, folder) {
    const choice = inputs['stand-ins'];
    if (choice === 'none')
        return undefined;
    return choice === 'supabase' || folder.format.name === 'supabase' ? 'supabase' : undefined;
}
/** Replays every file on a new database of the server at `url`, then drops it. */
async function replay(context, folder, all, url, outcome) {
    const { inputs } = context;
    const name = `shipline_verify_${process.pid}_${Date.now().toString(36)}`;
    const admin = await context_open(context, url, { timeoutMs: inputs['connect-timeout'], label: 'verify' });
    const rows = [];
    const standIns = standInsFor(inputs, folder);
    let result = '';
    let created = [];
    try {
        try {
            await admin.query(`CREATE DATABASE ${name}`);
        }
        catch (e) {
            throw new errors/* ShiplineError */.J0(`verify needs to create a throw-away database on ${describeServer(url)}: ${e.message}`, {
                hint: 'Use a user with CREATEDB (a CI service container or a local server), not production.',
            });
        }
        const platform = standIns ? await __webpack_require__.e(/* import() */ 793).then(__webpack_require__.bind(__webpack_require__, 5793)) : undefined;
        // Before the replay connects: ALTER DATABASE settings apply to new sessions only.
        if (platform)
            await admin.query(platform.supabaseDatabaseSettings(name));
        const db = await context_open(context, url, { timeoutMs: inputs['connect-timeout'], label: 'verify', database: name });
        try {
            if (platform) {
                doing(context, 'creating the Supabase stand-ins');
                const report = await platform.createSupabaseStandIns(db, all);
                created = report.created;
                (0,runner/* info */.pq)(`Supabase stand-ins created first: ${created.join('; ')}.`);
                for (const m of report.missing) {
                    const { line, column } = positionAt(m.file.content, m.offset);
                    (0,runner/* error */.z3)(`This server has no extension "${m.name}" (the Supabase platform provides it): ${m.file.file} cannot be replayed here`, {
                        file: m.file.file,
                        startLine: line,
                        startColumn: column,
                        title: 'Extension not available for verify',
                    });
                }
                if (report.missing.length > 0)
                    (0,runner/* warning */.$e)(`verify's server lacks extension(s) ${report.missing.map((m) => m.name).join(', ')} that the folder creates; the replay stops at the first file that needs one.`);
            }
            // A database created just now: no tracking table yet.
            await applyPending(context, db, folder, all, rows, outcome.applied, false);
            result = `${summary/* MARK */.M$.passed} all ${all.length} migration(s) apply cleanly from scratch`;
            (0,runner/* info */.pq)(result);
        }
        catch (e) {
            result = failed(context, e, outcome.applied.length).replace(/ — .*$/, '');
            throw e;
        }
        finally {
            await db_close(db);
        }
    }
    finally {
        await admin
            .query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
            .catch((e) => (0,runner/* warning */.$e)(`Could not drop the throw-away database ${name}: ${e.message}`));
        await db_close(admin);
        const server = inputs['database-url'] ? undefined : 'embedded PostgreSQL, started for this replay';
        const facts = [
            ['Result', result],
            ['Platform stand-ins', created.length > 0 ? `Supabase: ${created.join('; ')}` : undefined],
        ];
        (0,summary/* appendSummary */.fe)(`${header('Migration verify (throw-away database)', inputs, folder, facts, server)}${rows.length > 0 ? `\n\n${summaryTable(rows)}` : ''}`);
    }
}

;// CONCATENATED MODULE: ./actions/migrate/src/step-timeout.ts
// The bound on the whole step (input 'timeout'). Once connected, node-postgres waits for an answer as long as the
// socket stays open, and a network that silently stops forwarding keeps it open: a partition mid-apply would hang
// until the job is killed. When the bound passes, every connection is destroyed, which makes whatever query is
// waiting fail at once, and the step fails with a sentence saying so. Unlike shared/deadline.ts's Deadline, a
// point in time that a wait consults, this acts on its own when the bound passes: nothing here is waiting to
// consult anything while a silent socket holds the driver.

class StepTimedOut extends errors/* ShiplineError */.J0 {
}
class StepTimeout {
    ms;
    clients = new Set();
    timer;
    passed = false;
    onExpiry = [];
    /** What the step was doing, for the message: updated as it goes. */
    doing = 'starting';
    /**
     * Set while a batch whose COMMITs went out waits for its answer: the sentence for those files (their fate is
     * unknown if the bound passes now), else undefined. Made only if the bound passes: the list changes with every
     * file that commits, and naming hundreds of files each time would cost more than applying some of them.
     */
    unanswered = () => undefined;
    constructor(ms) {
        this.ms = ms;
    }
    /** Connections to destroy when the bound passes; returns the client for chaining. */
    track(client) {
        this.clients.add(client);
        client.once('end', () => this.clients.delete(client));
        return client;
    }
    /** Something else to stop when the bound passes (a child process). */
    onExpire(stop) {
        this.onExpiry.push(stop);
    }
    /** Runs `body` within the bound; afterwards, the timer is gone either way. */
    async run(body) {
        let expire = () => undefined;
        const expired = new Promise((_, reject) => {
            expire = reject;
        });
        this.timer = setTimeout(() => {
            this.passed = true;
            for (const client of this.clients)
                destroy(client);
            for (const stop of this.onExpiry)
                stop();
            expire(this.error());
        }, this.ms);
        const work = body();
        // The body still settles after the sockets are destroyed (its finally blocks close and report): never unseen.
        work.catch(() => undefined);
        try {
            return await Promise.race([work, expired]);
        }
        catch (error) {
            // With every connection destroyed the body's finally blocks (the outputs, the summary) run at once: they are
            // waited for, within a bound of their own, so that they are written before the step ends (the entry point
            // ends the process as soon as the step has reported).
            if (this.passed)
                await settledWithin(work, SETTLE_MS);
            throw error;
        }
        finally {
            clearTimeout(this.timer);
        }
    }
    get hasPassed() {
        return this.passed;
    }
    error() {
        const unanswered = this.unanswered();
        return new StepTimedOut(`The step did not finish within input 'timeout' (${formatBound(this.ms)}): it was ${this.doing} when the database stopped answering or the work ran too long; every connection was closed`, {
            hint: unanswered
                ? `A COMMIT was sent and no answer came: ${unanswered}; the next run applies only what is not recorded there. If a migration legitimately needs longer, raise input 'timeout'.`
                : "If the network to the database is down, nothing more was committed than the summary shows (a file's transaction is rolled back by the server when the connection goes). If a migration legitimately needs longer, raise input 'timeout'.",
        });
    }
}
/** How long the step's own reporting may take once the bound has passed and every connection is gone. */
const SETTLE_MS = 5_000;
function settledWithin(work, ms) {
    let timer;
    const bound = new Promise((resolve) => {
        timer = setTimeout(resolve, ms);
    });
    return Promise.race([
        work.then(() => undefined, () => undefined),
        bound,
    ]).finally(() => clearTimeout(timer));
}
function destroy(client) {
    // The socket underneath node-postgres's connection: ending it politely would wait for the silent peer.
    client.connection?.stream?.destroy();
}
function formatBound(ms) {
    if (ms % 3_600_000 === 0)
        return `${ms / 3_600_000}h`;
    if (ms % 60_000 === 0)
        return `${ms / 60_000}m`;
    return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

;// CONCATENATED MODULE: ./actions/migrate/src/run.ts
// migrate: apply, plan, verify or status for a folder of SQL migrations, or run the team's own migration tool
// (`exec`) under the same lock. Problems are annotations at file:line:column; the summary has one row per file.
// Each command is a module of commands/; this one bounds the step and picks the command.







async function run(inputs) {
    const context = { inputs, workspace: (0,workspace/* workspaceOf */.B)(), timeout: new StepTimeout(inputs.timeout) };
    await context.timeout.run(() => command(context));
}
function command(context) {
    if (context.inputs.exec)
        return exec(context);
    switch (context.inputs.command) {
        case 'plan':
            return plan(context);
        case 'status':
            return status_status(context);
        case 'verify':
            return verify(context);
        default:
            return apply(context);
    }
}


/***/ })

};
