export const id = 478;
export const ids = [478];
export const modules = {

/***/ 4478:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  prepareDowns: () => (/* binding */ prepareDowns)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
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
function db_serverVersionNum(db) {
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
// EXTERNAL MODULE: ./shared/runner.ts
var runner = __webpack_require__(2798);
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
class LockBusy extends (/* unused pure expression or super */ null && (Error)) {
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
const formats_withoutShiplineComments = (text) => text.replace(SHIPLINE_COMMENT, '');
/** sha256 of a file's up part as written: what rows written before shipline left its comments out hold. */
const formats_checksumOf = (up) => (0,external_node_crypto_.createHash)('sha256').update(up).digest('hex');
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
        get: () => (checksum ??= formats_checksumOf(formats_withoutShiplineComments(fields.up))),
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
// EXTERNAL MODULE: ./shared/collections.ts
var collections = __webpack_require__(9243);
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
        (0,collections/* appendAll */.u2)(history.foreign, repeatables.values());
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
function tracking_expectedChecksum(format, file) {
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
        (0,collections/* appendAll */.u2)(statements, part.statements);
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

;// CONCATENATED MODULE: ./actions/migrate/src/schema-snapshot.ts
/** Schemas that are PostgreSQL's own or shipline's, never the application's. */
const SYSTEM_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'shipline_migrations')
  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'`;
/** One query per kind of object, each giving one line per object. */
const QUERIES = [
    // Tables, views, materialized views, sequences, foreign and partitioned tables.
    `SELECT format('relation %s %I.%I', c.relkind, n.nspname, c.relname) FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'v', 'm', 'S', 'f', 'p') AND ${SYSTEM_SCHEMAS} AND NOT (c.relname = ANY ($1))`,
    `SELECT format('column %I.%I.%I %s%s%s%s', n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
            CASE WHEN a.attnotnull THEN ' not null' ELSE '' END,
            coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), ''),
            CASE a.attidentity WHEN 'a' THEN ' identity always' WHEN 'd' THEN ' identity by default' ELSE '' END)
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'v', 'm', 'f', 'p') AND ${SYSTEM_SCHEMAS}
      AND NOT (c.relname = ANY ($1))`,
    `SELECT format('constraint %I.%I %I %s', n.nspname, c.relname, k.conname, pg_get_constraintdef(k.oid))
     FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE ${SYSTEM_SCHEMAS} AND NOT (c.relname = ANY ($1))`,
    `SELECT format('index %s', pg_get_indexdef(i.indexrelid)) FROM pg_index i
     JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE ${SYSTEM_SCHEMAS} AND NOT (c.relname = ANY ($1))`,
    `SELECT format('view %I.%I %s', n.nspname, c.relname, pg_get_viewdef(c.oid)) FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('v', 'm') AND ${SYSTEM_SCHEMAS}`,
    `SELECT format('function %s', pg_get_functiondef(p.oid)) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE p.prokind IN ('f', 'p') AND ${SYSTEM_SCHEMAS}
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`,
    `SELECT format('trigger %s', pg_get_triggerdef(t.oid)) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND ${SYSTEM_SCHEMAS}`,
    `SELECT format('type %I.%I enum %s', n.nspname, t.typname,
            (SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid))
     FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype = 'e' AND ${SYSTEM_SCHEMAS}`,
    `SELECT format('policy %I.%I %I %s %s using %s check %s', schemaname, tablename, policyname, cmd, roles::text,
            coalesce(qual, '-'), coalesce(with_check, '-')) FROM pg_policies n
    WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`,
    `SELECT format('extension %I', extname) FROM pg_extension WHERE extname <> 'plpgsql'`,
    `SELECT format('schema %I', n.nspname) FROM pg_namespace n WHERE ${SYSTEM_SCHEMAS} AND n.nspname <> 'public'`,
];
/** The schema's lines, sorted; `ignore` names tables left out (the tracking tables). */
async function schemaSnapshot(db, ignore) {
    const lines = [];
    for (const sql of QUERIES) {
        const { rows } = await db.query({ text: sql, values: sql.includes('$1') ? [ignore] : [], rowMode: 'array' });
        for (const row of rows)
            lines.push(String(row[0]));
    }
    return lines.sort();
}
/** What differs between two snapshots: lines only in `before` (lost) and only in `after` (left behind). */
function schemaDifference(before, after) {
    const a = new Set(before);
    const b = new Set(after);
    return { lost: before.filter((l) => !b.has(l)), extra: after.filter((l) => !a.has(l)) };
}

;// CONCATENATED MODULE: ./actions/migrate/src/down.ts
// Down migrations: which applied files a rollback reverts, proof on a throw-away database that their down scripts
// restore the schema, and running them on the target under the migration lock, recording each in the tool's
// tracking table as the tool's own down would.
//
// The downs run newest first in ONE transaction on the target, not one transaction each as the tools' own down
// commands do: the app is switched only after the last one, so until then the live release keeps serving, and it
// needs the schema it was deployed with. Files reverted before a failing one would otherwise stay reverted under
// it. One transaction means a failure leaves the database exactly as it was (tracking table included).






/** A down script failed; located in the file it is in. */
class DownFailed extends errors/* ShiplineError */.J0 {
    step;
    line;
    constructor(step, line, message, options) {
        super(message, options);
        this.step = step;
        this.line = line;
    }
}
/**
 * The applied files from `from` (a version) to the newest, newest first, each with its down script; `missing` are
 * those without one (no down section, an empty one, or no down file beside it).
 */
function downsFrom(folder, applied, from) {
    const steps = [];
    const missing = [];
    folder.files.forEach((file, index) => {
        if (!applied.has(file.version) || folder.format.compare(file.version, from) < 0)
            return;
        const down = folder.format.down?.(file, folder.dir);
        if (down)
            steps.push({ file, down, previous: folder.files[index - 1] });
        else
            missing.push(file);
    });
    return { steps: steps.reverse(), missing };
}
/**
 * Runs the downs in order in one transaction on `db`, statement by statement, recording each in the tracking
 * table; a failure rolls all of them back and throws DownFailed naming the file and the failing statement's line.
 * Every script is parsed before the transaction begins: a syntax error changes nothing either.
 */
async function runDowns(db, tracker, steps) {
    const unrecord = tracker.unrecord;
    if (!unrecord)
        throw new errors/* ShiplineError */.J0(`The ${tracker.table} format has no down migrations`);
    const failed = (step, offset, error) => {
        const line = positionAt(step.down.content, offset).line;
        return new DownFailed(step, line, `The down script of ${step.file.file} failed (${step.down.file}:${line}): ${error.message}`, { cause: error });
    };
    const parsed = [];
    for (const step of steps) {
        try {
            parsed.push({ step, statements: (await splitStatements(step.down.sql, step.down.offset)).statements });
        }
        catch (error) {
            throw failed(step, error instanceof SqlSyntaxError ? error.offset : step.down.offset, error);
        }
    }
    await db.query('BEGIN');
    for (const { step, statements } of parsed) {
        let at = step.down.offset;
        try {
            for (const statement of statements) {
                at = statement.offset;
                await db.query(statement.sql);
            }
            at = step.down.offset;
            // The script may have changed search_path; the tracking table is found through the session's own.
            await db.query('RESET search_path');
            await db.query(unrecord(step.file, step.down, step.previous, quoteLiteral));
        }
        catch (error) {
            await db.query('ROLLBACK').catch(() => undefined);
            const position = isPgError(error) && error.position ? Number(error.position) - 1 : 0;
            throw failed(step, at + Math.max(0, position), error);
        }
    }
    await db.query('COMMIT');
}
/**
 * Proves the downs on a new database of the server at `url`: replays the applied files before the first one
 * reverted and reads the schema, replays the rest, runs the downs, and reads it again. Both readings (and the
 * tracking table's versions) must agree. The database is dropped afterwards, whatever happened.
 */
async function proveDowns(url, connectTimeoutMs, folder, appliedFiles, steps) {
    const started = performance.now();
    const reverted = new Set(steps.map((s) => s.file.version));
    const kept = appliedFiles.filter((f) => !reverted.has(f.version));
    const redone = appliedFiles.filter((f) => reverted.has(f.version));
    const { prepared, problems } = await prepare([...kept, ...redone]);
    if (problems.length > 0)
        throw new errors/* ShiplineError */.J0(`Cannot replay the migrations to prove the down scripts: ${problems.map((p) => p.message).join('; ')}`);
    const name = `shipline_downs_${process.pid}_${Date.now().toString(36)}`;
    const admin = await connect(url, { timeoutMs: connectTimeoutMs, label: 'down proof' });
    try {
        try {
            await admin.query(`CREATE DATABASE ${name}`);
        }
        catch (e) {
            throw new errors/* ShiplineError */.J0(`The proof of the down scripts needs a throw-away database on ${describeServer(url)}: ${e.message}`, { hint: "Give a user with CREATEDB, or set 'migrate-proof-url' to a server where one may be created." });
        }
        const db = await connect(url, { timeoutMs: connectTimeoutMs, label: 'down proof', database: name });
        try {
            const ignore = [folder.tracker.table.replace(/^.*\./, '')];
            const settings = {};
            await applyAll(db, folder.tracker, prepared.slice(0, kept.length), settings, () => undefined, folder.tracker.setup(false));
            const before = await schemaSnapshot(db, ignore);
            const versionsBefore = (await folder.tracker.read(db, folder.files, folder.dir)).rows.map((r) => r.version);
            await applyAll(db, folder.tracker, prepared.slice(kept.length), settings, () => undefined, kept.length === 0 ? folder.tracker.setup(false) : '');
            await runDowns(db, folder.tracker, steps);
            const after = await schemaSnapshot(db, ignore);
            const versionsAfter = (await folder.tracker.read(db, folder.files, folder.dir)).rows.map((r) => r.version);
            const { lost, extra } = schemaDifference(before, after);
            if (lost.length > 0 || extra.length > 0) {
                const list = (lines) => lines.length > 8 ? `${lines.slice(0, 8).join('; ')} and ${lines.length - 8} more` : lines.join('; ');
                throw new errors/* ShiplineError */.J0(`The down scripts do not restore the schema: after replaying ${redone.map((f) => f.fileName).join(', ')} and their downs on a throw-away database, ${[
                    lost.length > 0 ? `missing: ${list(lost)}` : '',
                    extra.length > 0 ? `left behind: ${list(extra)}` : '',
                ]
                    .filter(Boolean)
                    .join('; ')}`, { hint: 'Fix the down scripts so that each undoes its up exactly, or roll forward instead.' });
            }
            if (versionsBefore.join() !== versionsAfter.join())
                throw new errors/* ShiplineError */.J0(`After the downs, ${folder.tracker.table} records ${versionsAfter.join(', ') || 'nothing'} instead of ${versionsBefore.join(', ') || 'nothing'}`);
            return { ms: performance.now() - started, tables: before.filter((l) => l.startsWith('relation r ')).length };
        }
        finally {
            hangUp(db);
        }
    }
    finally {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
        hangUp(admin);
    }
}
/**
 * On the target: takes the migration lock, checks that the tracking table still records what was proved (another
 * migrator may have run since), runs the downs in one transaction, and releases the lock.
 */
async function runDownsLocked(db, folder, steps, expected, lockTimeoutMs) {
    try {
        await acquireLock(db, lockTimeoutMs);
        const now = (await folder.tracker.read(db, folder.files, folder.dir)).rows.map((r) => r.version);
        if (now.join() !== expected.join())
            throw new errors/* ShiplineError */.J0(`${folder.tracker.table} changed between the check and the downs (another migrator ran): nothing was reverted`, { hint: 'Run the rollback again: it checks and proves the downs against what is recorded now.' });
        await runDowns(db, folder.tracker, steps);
    }
    finally {
        releaseLockAndHangUp(db);
    }
}

;// CONCATENATED MODULE: ./actions/rollback/src/migrate-down.ts
// migrate-down: a rollback past contract migrations reverts them with their down scripts before the app switches.
//
// Which migrations: the ledger says which contract migrations were applied after the target release (deploy records
// migrate's contract-migrations with each release), and only the ledger links a migration to a release. What is
// applied, and in which order, is the tool's tracking table's word: it is written in the same transaction as each
// migration, so it cannot disagree with the schema, where the ledger records only the contract migrations (up to
// 20 a release) of deploys that reached the ledger. So every applied file from the oldest contract migration after
// the target to the newest applied one is reverted, newest first: expand migrations applied after the target but
// before that one stay (the target runs with them), and nothing older than it is touched.
//
// Before anything changes: each of those files must have a down script and be unchanged since it was applied, and
// the downs are proved on a throw-away database (actions/migrate/src/down.ts). Then they run on the target in one
// transaction under the migration lock, and only then does the provider switch.






const CONNECT_TIMEOUT_MS = 15_000;
const list = (names) => names.length > 6 ? `${names.slice(0, 6).join(', ')} and ${names.length - 6} more` : names.join(', ');
/**
 * Works out, checks and proves the downs for a rollback to `target`, past the contract migrations `ahead` (the
 * ledger's, newest release first). Throws, before anything changes, when any of that fails.
 */
async function prepareDowns(inputs, workspace, target, ahead, io) {
    const url = inputs['database-url'];
    const dir = resolveDir(workspace, inputs['migrations-dir']);
    const name = inputs['migrations-format'] === 'auto' ? detectFormat(dir) : inputs['migrations-format'];
    const format = FORMATS[name];
    const tracker = trackerFor(name);
    if (!format.down || !tracker.unrecord)
        throw new errors/* ShiplineError */.J0(`migrate-down: ${name} migrations have no down scripts, so the contract migrations after ${target.id} cannot be reverted`, { hint: "Roll forward with a fix, or set 'allow-schema-ahead' if the old release runs against the new schema." });
    const { files } = readFolder(dir, workspace, format);
    const folder = { dir, format, tracker, files };
    // The contract migrations the ledger names, found in the folder by file name (the folder may sit elsewhere in
    // this checkout than in the deploy's).
    const byName = new Map(files.map((f) => [f.fileName, f]));
    const named = ahead.flatMap((a) => a.changes.map((c) => ({ change: c, release: a.release })));
    const absent = named.filter((n) => !byName.has((0,external_node_path_.basename)(n.change.file)));
    if (absent.length > 0)
        throw new errors/* ShiplineError */.J0(`migrate-down: the ledger names contract migrations applied after ${target.id} that are not in ${dir.slice(workspace.length + 1) || dir}: ${list(absent.map((a) => `${a.change.file} (with ${a.release.id})`))}`, {
            hint: "Check out the commit of the live release (it has every migration applied so far), or set 'migrations-dir'.",
        });
    const from = named
        .map((n) => byName.get((0,external_node_path_.basename)(n.change.file)).version)
        .sort(format.compare)[0];
    const db = await connect(url, { timeoutMs: CONNECT_TIMEOUT_MS, label: 'rollback' });
    let history;
    try {
        history = await tracker.read(db, files, dir);
    }
    finally {
        hangUp(db);
    }
    const applied = new Set(history.rows.map((r) => r.version));
    const { steps, missing } = downsFrom(folder, applied, from);
    const changed = steps.filter((s) => {
        const row = history.rows.find((r) => r.version === s.file.version);
        return row?.checksum !== undefined && row.checksum !== tracking_expectedChecksum(name, s.file);
    });
    const fromFile = files.find((f) => f.version === from)?.file ?? `version ${from}`;
    if (missing.length > 0)
        throw new errors/* ShiplineError */.J0(`Rollback refused: migrate-down needs a down script for every migration applied from ${fromFile} (the oldest contract migration after ${target.id}) on, and ${list(missing.map((f) => f.file))} ${missing.length === 1 ? 'has' : 'have'} none. Nothing was changed`, {
            hint: `Write the missing down script(s) (${downForm(name)}), or roll forward with a fix.`,
        });
    if (changed.length > 0)
        throw new errors/* ShiplineError */.J0(`Rollback refused: ${list(changed.map((s) => s.file.file))} changed since ${changed.length === 1 ? 'it was' : 'they were'} applied (${tracker.table}), so ${changed.length === 1 ? 'its' : 'their'} down script may not undo what ran. Nothing was changed`);
    if (steps.length === 0) {
        io.info(`migrate-down: none of the migrations from version ${from} on is applied (${tracker.table}): nothing to revert.`);
        return { files: [], note: `nothing to revert: ${tracker.table} records none of them`, run: async () => undefined };
    }
    const names = steps.map((s) => s.file.fileName);
    const proofUrl = inputs['migrate-proof-url'] ?? url;
    io.info(`migrate-down: reverting ${names.join(', ')} (newest first); proving the down scripts on a throw-away database on ${describeServer(proofUrl)}…`);
    const appliedFiles = files.filter((f) => applied.has(f.version));
    const proof = await proveDowns(proofUrl, CONNECT_TIMEOUT_MS, folder, appliedFiles, steps);
    io.info(`migrate-down: proved in ${(proof.ms / 1000).toFixed(1)}s: replaying ${appliedFiles.length} migration(s) and the ${steps.length} down(s) restores the schema before ${names[names.length - 1]}.`);
    const expected = history.rows.map((r) => r.version);
    return {
        files: steps.map((s) => s.file.file),
        note: `reverted ${list(names)} with their down scripts (proved on a throw-away database, then run in one transaction)`,
        run: () => runOnTarget(url, folder, steps, expected, inputs['migrate-lock-timeout'], io),
    };
}
async function runOnTarget(url, folder, steps, expected, lockTimeoutMs, io) {
    const db = await connect(url, { timeoutMs: CONNECT_TIMEOUT_MS, label: 'rollback' });
    await runDownsLocked(db, folder, steps, expected, lockTimeoutMs);
    io.info(`migrate-down: reverted ${steps.map((s) => s.file.fileName).join(', ')} on ${describeServer(url)}; ${folder.tracker.table} records it.`);
}
function downForm(format) {
    return ({
        dbmate: "a '-- migrate:down' section",
        goose: "a '-- +goose Down' section",
        'golang-migrate': 'a <version>_<name>.down.sql file beside the .up.sql',
        flyway: 'a U<version>__<description>.sql undo file',
    }[format] ?? 'a down script');
}


/***/ })

};
