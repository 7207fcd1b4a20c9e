export const id = 570;
export const ids = [570];
export const modules = {

/***/ 2570:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
;// CONCATENATED MODULE: ./shared/run-context.ts
// What the runner tells a step about the run it is part of: the GITHUB_* variables and the event payload.

function readEvent(path) {
    if (!path)
        return {};
    try {
        return JSON.parse((0,external_node_fs_.readFileSync)(path, 'utf8'));
    }
    catch {
        return {};
    }
}
function readRunContext(env = process.env) {
    const serverUrl = env.GITHUB_SERVER_URL || 'https://github.com';
    const repository = env.GITHUB_REPOSITORY || '';
    const event = readEvent(env.GITHUB_EVENT_PATH);
    const pr = (event.pull_request ?? undefined);
    const sha = pr?.head?.sha ?? env.GITHUB_SHA ?? '';
    const runId = env.GITHUB_RUN_ID || '';
    const headCommitMessage = event.head_commit?.message ?? undefined;
    return {
        serverUrl,
        apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
        repository,
        repositoryUrl: `${serverUrl}/${repository}`,
        sha,
        shortSha: sha.slice(0, 7),
        ref: env.GITHUB_REF || '',
        refName: env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || (env.GITHUB_REF ?? '').replace(/^refs\/(heads|tags)\//, ''),
        actor: env.GITHUB_ACTOR || event.sender?.login || '',
        eventName: env.GITHUB_EVENT_NAME || '',
        event,
        workflow: env.GITHUB_WORKFLOW || '',
        job: env.GITHUB_JOB || '',
        runId,
        runAttempt: env.GITHUB_RUN_ATTEMPT || '1',
        runUrl: runId ? `${serverUrl}/${repository}/actions/runs/${runId}` : '',
        workspace: env.GITHUB_WORKSPACE || process.cwd(),
        pullRequest: pr
            ? {
                number: Number(pr.number),
                title: String(pr.title ?? ''),
                url: String(pr.html_url ?? ''),
                headSha: String(pr.head?.sha ?? ''),
                fromFork: Boolean(pr.head?.repo && pr.base?.repo && pr.head.repo.full_name !== pr.base.repo.full_name),
            }
            : undefined,
        commitSubject: headCommitMessage?.split('\n')[0],
        commitUrl: sha ? `${serverUrl}/${repository}/commit/${sha}` : '',
    };
}

// EXTERNAL MODULE: ./shared/runner.ts
var runner = __webpack_require__(2798);
;// CONCATENATED MODULE: ./shared/summary.ts
// Job summaries as GitHub-flavoured Markdown: readable in the Actions UI and, unchanged, in a terminal (the CLI
// prints the same file). Appended to GITHUB_STEP_SUMMARY, which holds at most 1 MiB per step.

const SUMMARY_LIMIT = 1024 * 1024;
/** A table cell: pipes and new lines would break the row. */
function cell(value) {
    const text = value === undefined || value === null || value === '' ? '–' : String(value);
    return text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}
function table(headers, rows) {
    const line = (cells) => `| ${cells.map(cell).join(' | ')} |`;
    return [`| ${headers.map((h) => h.replace(/\|/g, '\\|')).join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n');
}
/** Two-column key/value table, skipping empty values. */
function facts(pairs) {
    return table(['', ''], pairs.filter(([, v]) => v !== undefined && v !== null && v !== ''));
}
function details(summaryLine, body) {
    return `<details><summary>${summaryLine}</summary>\n\n${body}\n\n</details>`;
}
/** Appends a block of Markdown to this step's summary; a no-op outside a runner. */
function appendSummary(markdown) {
    const path = process.env.GITHUB_STEP_SUMMARY;
    if (!path)
        return;
    const text = markdown.length > SUMMARY_LIMIT - 1024 ? `${markdown.slice(0, SUMMARY_LIMIT - 1024)}\n\n…(summary truncated at GitHub's 1 MiB limit)\n` : markdown;
    (0,external_node_fs_.appendFileSync)(path, `${text}\n\n`, 'utf8');
}

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
    const client = new esm/* default.Client */.Ay.Client({
        connectionString: options.database ? withDatabase(url, options.database) : url,
        connectionTimeoutMillis: options.timeoutMs,
        application_name: `shipline-migrate (${options.label})`,
    });
    // An error on an idle connection (the server went away) must not crash the process unseen; the next query fails.
    client.on('error', () => undefined);
    try {
        await client.connect();
    }
    catch (error) {
        await client.end().catch(() => undefined);
        const e = error;
        const where = options.database ? describeServer(url).replace(/\/[^/]*$/, `/${options.database}`) : describeServer(url);
        const reason = /timeout/i.test(e.message ?? '') ? `no answer within ${options.timeoutMs / 1000}s` : scrub(e.message ?? String(error), url);
        throw new errors/* ShiplineError */.J0(`Cannot connect to PostgreSQL at ${where}: ${reason}${e.code ? ` (${e.code})` : ''}`, {
            hint: CONNECT_HINTS[e.code ?? ''] ?? (/timeout/i.test(e.message ?? '') ? "The server did not answer: check the host, the port and any firewall, or raise input 'connect-timeout'." : undefined),
            cause: error,
        });
    }
    return client;
}
/** Belt and braces: a driver message that quoted the URL or its password would be cut here. */
function scrub(message, url) {
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
async function db_close(db) {
    await db?.end().catch(() => undefined);
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./actions/migrate/src/formats.ts
// Migration folders: which files are migrations, their versions and order, and which part of each file is the
// "up" migration, for shipline's own formats and the tools a team may be switching from.




/** shipline's own opt-out, accepted in every format, and Atlas's, which some teams already write. */
const NO_TRANSACTION_MARKER = /^\s*--\s*(shipline:no-transaction|atlas:txmode\s+none)\s*$/im;
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
const wholeFile = (content) => ({ up: content, offset: 0, noTransaction: NO_TRANSACTION_MARKER.test(content) });
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
            return { up: part.up, offset: part.offset, noTransaction: /transaction:false/.test(part.startLine) || NO_TRANSACTION_MARKER.test(part.up) };
        },
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
            // StatementBegin/StatementEnd are comments to the server; the parser splits what they delimit correctly.
            return { up: part.up, offset: part.offset, noTransaction: /^--\s*\+goose\s+NO\s+TRANSACTION\b/im.test(content) };
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
    },
    flyway: {
        name: 'flyway',
        match: (f) => {
            const m = /^V(\d+(?:[._]\d+)*)__(.+)\.sql$/.exec(f);
            return m ? { version: m[1].replace(/_/g, '.'), name: m[2].replace(/_/g, ' ') } : undefined;
        },
        ignore: (f) => /^[UR]\d*__/.test(f) || /^R__/.test(f),
        compare: dottedOrder,
        up: wholeFile,
    },
};
const DEFAULT_DIRS = ['supabase/migrations', 'migrations', 'db/migrations', 'database/migrations', 'sql/migrations', 'src/migrations'];
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
    const skipped = [];
    const files = [];
    const problems = [];
    // One readdir with file types and plain string paths: status on a 10,000-file history stays well under a second.
    const relativeDir = (0,external_node_path_.relative)(workspace, dir).split(external_node_path_.sep).join('/');
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
            const { up, offset, noTransaction } = format.up(content);
            files.push(migrationFile({ ...id, fileName, file, path, content, up, upOffset: offset, noTransaction }));
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
/** A migration file whose checksum is computed when first asked for (status on a Supabase folder never needs it). */
function migrationFile(fields) {
    let checksum;
    return Object.defineProperty(fields, 'checksum', {
        enumerable: true,
        get: () => (checksum ??= (0,external_node_crypto_.createHash)('sha256').update(fields.up).digest('hex')),
    });
}

;// CONCATENATED MODULE: ./actions/migrate/src/lint.ts
const RULES = {
    'require-concurrent-index-creation': { severity: 'warning', description: 'CREATE INDEX without CONCURRENTLY on an existing table blocks writes while it builds' },
    'require-concurrent-index-deletion': { severity: 'warning', description: 'DROP INDEX without CONCURRENTLY blocks reads and writes of the table' },
    'constraint-missing-not-valid': { severity: 'warning', description: 'a FOREIGN KEY or CHECK added without NOT VALID scans the table under a lock' },
    'adding-field-with-default': { severity: 'warning', description: 'a column with a volatile default rewrites the whole table' },
    'adding-required-field': { severity: 'warning', description: 'a NOT NULL column without a default fails on a table with rows' },
    'adding-not-nullable-field': { severity: 'warning', description: 'SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock' },
    'changing-column-type': { severity: 'warning', description: 'changing a column type usually rewrites the table under an ACCESS EXCLUSIVE lock' },
    'ban-drop-table': { severity: 'warning', description: 'DROP TABLE destroys data; code still running may use it' },
    'ban-drop-column': { severity: 'warning', description: 'DROP COLUMN destroys data; code still running may use it' },
    'ban-drop-database': { severity: 'warning', description: 'DROP DATABASE destroys everything in it' },
    'renaming-column': { severity: 'warning', description: 'renaming a column breaks code still using the old name' },
    'renaming-table': { severity: 'warning', description: 'renaming a table breaks code still using the old name' },
    'ban-truncate-cascade': { severity: 'warning', description: 'TRUNCATE … CASCADE empties every table that references this one' },
    'require-lock-timeout': {
        severity: 'warning',
        description: "statements that lock existing tables without a lock_timeout can queue every query behind them (SET lock_timeout, or input 'migration-lock-timeout')",
    },
};
/** Functions whose default value differs per row, so adding a column with it rewrites the table. */
const VOLATILE = new Set(['random', 'gen_random_uuid', 'uuid_generate_v4', 'uuid_generate_v1', 'clock_timestamp', 'timeofday', 'nextval', 'txid_current', 'statement_timestamp']);
const relName = (rv) => (rv ? [rv.schemaname, rv.relname].filter(Boolean).join('.') : '');
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
/** Statements that take an ACCESS EXCLUSIVE (or SHARE) lock on a table that already exists. */
function locksExistingTable(s, created) {
    if (s.kind === 'AlterTableStmt')
        return !created.has(relName(s.node.relation));
    if (s.kind === 'IndexStmt')
        return !s.node.concurrent && !created.has(relName(s.node.relation));
    if (s.kind === 'RenameStmt')
        return true;
    if (s.kind === 'DropStmt')
        return s.node.removeType === 'OBJECT_TABLE' || (s.node.removeType === 'OBJECT_INDEX' && !s.node.concurrent);
    return s.kind === 'TruncateStmt';
}
function setsLockTimeout(s) {
    return s.kind === 'VariableSetStmt' && s.node.name === 'lock_timeout';
}
/** All findings of one file, before ignores and severities. */
function lintStatements(statements, options) {
    const findings = [];
    const created = new Set();
    let lockTimeout = options.lockTimeoutSet;
    let lockTimeoutReported = false;
    statements.forEach((s, statement) => {
        const add = (rule, message) => findings.push({ rule, message, statement });
        const n = s.node;
        if (setsLockTimeout(s))
            lockTimeout = true;
        if (!lockTimeout && !lockTimeoutReported && locksExistingTable(s, created)) {
            lockTimeoutReported = true;
            add('require-lock-timeout', 'this statement locks an existing table and no lock_timeout is set before it: it can queue every query behind it');
        }
        switch (s.kind) {
            case 'CreateStmt':
                created.add(relName(n.relation));
                break;
            case 'IndexStmt':
                if (!n.concurrent && !created.has(relName(n.relation)))
                    add('require-concurrent-index-creation', `CREATE INDEX on ${relName(n.relation)} without CONCURRENTLY blocks writes to the table while it builds`);
                break;
            case 'DropStmt':
                if (n.removeType === 'OBJECT_INDEX' && !n.concurrent)
                    add('require-concurrent-index-deletion', 'DROP INDEX without CONCURRENTLY locks the table');
                if (n.removeType === 'OBJECT_TABLE')
                    add('ban-drop-table', 'DROP TABLE destroys its data');
                break;
            case 'DropdbStmt':
                add('ban-drop-database', `DROP DATABASE ${n.dbname}`);
                break;
            case 'RenameStmt':
                if (n.renameType === 'OBJECT_COLUMN')
                    add('renaming-column', `renaming column ${n.subname} to ${n.newname} breaks code still using ${n.subname}`);
                if (n.renameType === 'OBJECT_TABLE')
                    add('renaming-table', `renaming table ${relName(n.relation)} to ${n.newname} breaks code still using it`);
                break;
            case 'TruncateStmt':
                if (n.behavior === 'DROP_CASCADE')
                    add('ban-truncate-cascade', 'TRUNCATE … CASCADE also empties every table referencing this one');
                break;
            case 'AlterTableStmt':
                if (!created.has(relName(n.relation)))
                    lintAlterTable(n, add);
                break;
        }
    });
    return findings;
}
function lintAlterTable(n, add) {
    const table = relName(n.relation);
    for (const { AlterTableCmd: cmd } of n.cmds ?? []) {
        if (!cmd)
            continue;
        switch (cmd.subtype) {
            case 'AT_AddColumn': {
                const column = cmd.def?.ColumnDef;
                const constraints = constraintsOf(column);
                const defaultValue = constraints.find((c) => c.contype === 'CONSTR_DEFAULT');
                if (constraints.some((c) => c.contype === 'CONSTR_NOTNULL') && !defaultValue && !constraints.some((c) => c.contype === 'CONSTR_IDENTITY' || c.contype === 'CONSTR_GENERATED'))
                    add('adding-required-field', `column ${column?.colname} is NOT NULL without a default: adding it fails once ${table} has rows`);
                if (defaultValue && funcNames(defaultValue.raw_expr).some((f) => VOLATILE.has(f)))
                    add('adding-field-with-default', `column ${column?.colname} has a volatile default: adding it rewrites ${table}`);
                for (const c of constraints)
                    if (c.contype === 'CONSTR_FOREIGN' && !c.skip_validation)
                        add('constraint-missing-not-valid', `the foreign key on ${column?.colname} is checked against every row of ${table} under a lock: add it NOT VALID, then VALIDATE CONSTRAINT`);
                break;
            }
            case 'AT_AddConstraint': {
                const c = cmd.def?.Constraint;
                if ((c?.contype === 'CONSTR_FOREIGN' || c?.contype === 'CONSTR_CHECK') && !c.skip_validation)
                    add('constraint-missing-not-valid', `${c.contype === 'CONSTR_FOREIGN' ? 'FOREIGN KEY' : 'CHECK'} constraint${c.conname ? ` ${c.conname}` : ''} validates every row of ${table} under a lock: add it NOT VALID, then VALIDATE CONSTRAINT in a later migration`);
                break;
            }
            case 'AT_SetNotNull':
                add('adding-not-nullable-field', `SET NOT NULL on ${table}.${cmd.name} scans the whole table under an ACCESS EXCLUSIVE lock (add a CHECK (… IS NOT NULL) NOT VALID and validate it first)`);
                break;
            case 'AT_AlterColumnType':
                add('changing-column-type', `changing the type of ${table}.${cmd.name} can rewrite the table under an ACCESS EXCLUSIVE lock`);
                break;
            case 'AT_DropColumn':
                add('ban-drop-column', `dropping ${table}.${cmd.name} destroys its data`);
                break;
        }
    }
}
/** Rules named in `-- shipline-ignore rule-a, rule-b` (or squawk's own `-- squawk-ignore`) comments. */
function ignoredRules(leading) {
    const rules = new Set();
    for (const m of leading.matchAll(/--\s*(?:shipline|squawk)-ignore\s+([a-z0-9,\s-]+?)\s*$/gm))
        for (const r of m[1].split(/[\s,]+/))
            if (r)
                rules.add(r);
    return rules;
}
function severityOf(rule, overrides) {
    return overrides[rule] ?? RULES[rule]?.severity ?? 'warning';
}

;// CONCATENATED MODULE: ./shared/http.ts
// HTTP for every provider call: a timeout on every request, bounded retries with exponential backoff and full
// jitter on network errors, 5xx and 429, and Retry-After honoured up to a cap. A request that is not idempotent
// is retried only where the server cannot have acted on it: a 429, or a connection that was never made.


const DEFAULT_RETRY = { retries: 4, baseDelayMs: 500, maxDelayMs: 10_000, maxRetryAfterMs: 60_000 };
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
function parseRetryAfter(value, now = Date.now()) {
    if (!value)
        return undefined;
    if (/^\d+(\.\d+)?$/.test(value.trim()))
        return Number(value) * 1000;
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
function backoffDelay(attempt, policy, random = Math.random) {
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
    return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
/** The kind of a failed fetch, from undici's error codes (they sit on `cause`, sometimes one level deeper). */
function classifyNetworkError(error) {
    const e = error;
    if (e?.name === 'TimeoutError' || e?.name === 'AbortError')
        return { kind: 'timeout', detail: e.message ?? 'timed out' };
    const code = e?.cause?.code ?? e?.cause?.cause?.code ?? e?.code ?? '';
    const detail = [code, e?.cause?.message].filter(Boolean).join(': ') || (e?.message ?? String(error));
    if (code === 'ECONNREFUSED')
        return { kind: 'connection-refused', detail };
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
        return { kind: 'dns', detail };
    if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE' || code === 'UND_ERR_CLOSED')
        return { kind: 'connection-reset', detail };
    if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ETIMEDOUT')
        return { kind: 'timeout', detail };
    if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code))
        return { kind: 'tls', detail };
    return { kind: 'other', detail };
}
/** Failures where the server never saw the request, so even a POST is safe to send again. */
const NEVER_SENT = new Set(['connection-refused', 'dns']);
function shouldRetryStatus(status, idempotent) {
    return status === 429 || (idempotent && (status >= 500 || status === 408));
}
/**
 * Sends a request with the retry policy. Resolves with the final response, whatever its status (callers turn a
 * provider's error body into its own reason); rejects with a NetworkError when no response could be had.
 */
async function request(url, options) {
    const method = (options.method ?? 'GET').toUpperCase();
    const idempotent = options.idempotent ?? IDEMPOTENT_METHODS.has(method);
    const policy = { ...DEFAULT_RETRY, ...options.retry };
    const wait = options.sleep ?? sleep;
    const doFetch = options.fetch ?? fetch;
    const timeoutMs = options.timeoutMs ?? 30_000;
    const timeLeft = () => (options.deadline === undefined ? Number.POSITIVE_INFINITY : options.deadline - Date.now());
    for (let attempt = 0;; attempt++) {
        const last = attempt >= policy.retries;
        const attemptMs = Math.min(timeoutMs, timeLeft());
        if (attemptMs <= 0)
            throw new NetworkError(options.label, 'timeout', 'no time left before the deadline');
        const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(attemptMs)]) : AbortSignal.timeout(attemptMs);
        let response;
        try {
            response = await doFetch(url, { method, headers: options.headers, body: options.body, signal, redirect: 'follow' });
        }
        catch (error) {
            if (options.signal?.aborted)
                throw error;
            const { kind, detail } = classifyNetworkError(error);
            const delay = backoffDelay(attempt, policy);
            if (last || !(idempotent || NEVER_SENT.has(kind)) || delay >= timeLeft())
                throw new NetworkError(options.label, kind, detail, { cause: error });
            info(`${options.label}: ${kind} (${detail}); retrying in ${(delay / 1000).toFixed(1)}s (attempt ${attempt + 2} of ${policy.retries + 1})`);
            await wait(delay);
            continue;
        }
        if (last || !shouldRetryStatus(response.status, idempotent))
            return response;
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
        const delay = retryAfter !== undefined ? Math.min(retryAfter, policy.maxRetryAfterMs) : backoffDelay(attempt, policy);
        if (delay >= timeLeft()) {
            info(`${options.label}: HTTP ${response.status}; a wait of ${(delay / 1000).toFixed(1)}s${retryAfter !== undefined ? ' (Retry-After)' : ''} would end past the deadline, so no retry`);
            return response;
        }
        await response.body?.cancel().catch(() => undefined);
        info(`${options.label}: HTTP ${response.status}; retrying in ${(delay / 1000).toFixed(1)}s${retryAfter !== undefined ? ' (Retry-After)' : ''} (attempt ${attempt + 2} of ${policy.retries + 1})`);
        await wait(delay);
    }
}
/**
 * A `fetch` with the retry policy built in, for clients that take a fetch of their own (@slack/webhook, the
 * provider SDKs): they then retry 429 after Retry-After, which several of them do not do by themselves.
 */
function retryingFetch(defaults) {
    return (async (input, init = {}) => {
        const url = input instanceof Request ? input.url : input;
        debug(`${defaults.label}: ${(init.method ?? 'GET').toUpperCase()}`);
        return request(url, {
            ...defaults,
            method: init.method,
            headers: init.headers,
            body: init.body,
            signal: init.signal ?? undefined,
        });
    });
}
/**
 * Reads a body as text without ever throwing (a provider's malformed or cut-off answer is still evidence). The
 * limit only guards memory: API answers can be large (Vercel lists every missing file's digest).
 */
async function readText(response, limit = 32 * 1024 * 1024) {
    try {
        const text = await response.text();
        return text.length > limit ? `${text.slice(0, limit)}…` : text;
    }
    catch (error) {
        return `(body could not be read: ${error.message})`;
    }
}

;// CONCATENATED MODULE: ./actions/migrate/src/lock.ts
// Mutual exclusion between migrators: a session-level advisory lock taken with pg_try_advisory_lock, polled with
// backoff on a connection of its own. A blocking pg_advisory_lock waiter, or a transaction-level lock, would
// deadlock against CREATE INDEX CONCURRENTLY, which waits for every older transaction to finish.



/** The lock's two keys: 'ship' and 'migr' as 32-bit integers, the same for every shipline migrator. */
const LOCK_KEYS = [0x73686970, 0x6d696772];
async function describeHolder(db) {
    const { rows } = await db.query(`SELECT a.pid, a.application_name, a.client_addr::text AS client, a.backend_start
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 2 AND l.granted`, [LOCK_KEYS[0], LOCK_KEYS[1]]);
    const holder = rows[0];
    if (!holder)
        return 'another session';
    return `backend ${holder.pid} (${holder.application_name || 'no application name'}${holder.client ? ` from ${holder.client}` : ''}, connected ${new Date(holder.backend_start).toISOString()})`;
}
/** Takes the lock or fails after `timeoutMs`; waits 25 ms, doubling up to 1 s, between tries. */
async function acquireLock(db, timeoutMs) {
    const started = Date.now();
    let delay = 25;
    let announced = false;
    for (;;) {
        const { rows } = await db.query('SELECT pg_try_advisory_lock($1, $2) AS locked', [LOCK_KEYS[0], LOCK_KEYS[1]]);
        if (rows[0]?.locked) {
            if (announced)
                (0,runner/* info */.pq)(`Migration lock taken after ${((Date.now() - started) / 1000).toFixed(1)}s.`);
            return;
        }
        const waited = Date.now() - started;
        if (waited >= timeoutMs)
            throw new errors/* ShiplineError */.J0(`Another migration is running: the migration lock is held by ${await describeHolder(db)} and was not released within ${timeoutMs / 1000}s`, {
                hint: "Wait for the other pipeline to finish, or raise input 'lock-timeout'. Nothing was applied.",
            });
        if (!announced) {
            (0,runner/* info */.pq)(`Waiting for the migration lock, held by ${await describeHolder(db)} (up to ${timeoutMs / 1000}s)…`);
            announced = true;
        }
        await sleep(Math.min(delay, timeoutMs - waited));
        delay = Math.min(delay * 2, 1000);
    }
}
async function releaseLock(db) {
    await db.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_KEYS[0], LOCK_KEYS[1]]).catch(() => undefined);
}

// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
// EXTERNAL MODULE: ./node_modules/libpg-query/wasm/libpg-query.js
var libpg_query = __webpack_require__(3995);
var libpg_query_default = /*#__PURE__*/__webpack_require__.n(libpg_query);
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


// @ts-expect-error: the Emscripten factory has no type declarations.


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
let loading;
function load() {
    let fail = () => undefined;
    const failed = new Promise((_, reject) => {
        fail = reject;
    });
    loading ??= (async () => {
        const wasmBinary = readParserWasm();
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
        return Promise.race([libpg_query_default()({ instantiateWasm }), failed]);
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
/**
 * Splits `section` (a part of `fileText` starting at character `baseOffset`) into statements. Offsets from the
 * parser are UTF-8 byte offsets into the section; they are turned into characters here, once.
 */
async function splitStatements(section, baseOffset = 0) {
    const bytes = Buffer.from(section, 'utf8');
    const charAt = (byteOffset) => bytes.subarray(0, byteOffset).toString('utf8').length;
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
    const statements = [];
    let previousEnd = 0; // byte offset just past the previous statement's `;`
    for (const raw of tree.stmts ?? []) {
        const start = raw.stmt_location ?? 0;
        const end = raw.stmt_len ? start + raw.stmt_len : bytes.length;
        const [kind, node] = Object.entries(raw.stmt)[0];
        const sql = bytes.subarray(start, end).toString('utf8').trim();
        const leading = bytes.subarray(previousEnd, start).toString('utf8');
        statements.push({
            sql,
            stored: (leading + sql).trim(),
            leading,
            offset: baseOffset + charAt(start),
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
;// CONCATENATED MODULE: ./actions/migrate/src/tracking.ts
// Tracking tables: where each format records what has been applied, written exactly as its own tool writes it,
// so a team can switch to shipline (or back) without re-baselining. Every write happens inside the migration's
// own transaction, so a file and its tracking row commit together or not at all.


async function tableExists(db, name) {
    const { rows } = await db.query('SELECT to_regclass($1) IS NOT NULL AS present', [name]);
    return Boolean(rows[0]?.present);
}
/**
 * Formats whose own table has no checksum (dbmate, goose, golang-migrate) keep it here, written in the same
 * transaction as the tool's row; the tool itself never looks at this schema.
 */
const SIDE = 'shipline_migrations.checksums';
async function ensureSide(db) {
    await db.query(`CREATE SCHEMA IF NOT EXISTS shipline_migrations;
    CREATE TABLE IF NOT EXISTS ${SIDE} (tracking text NOT NULL, version text NOT NULL, checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (tracking, version))`);
}
async function readSide(db, tracking) {
    if (!(await tableExists(db, SIDE)))
        return new Map();
    const { rows } = await db.query(`SELECT version, checksum FROM ${SIDE} WHERE tracking = $1`, [tracking]);
    return new Map(rows.map((r) => [String(r.version), String(r.checksum)]));
}
function recordSide(tracking, file, quote) {
    return `INSERT INTO ${SIDE} (tracking, version, checksum) VALUES (${quote(tracking)}, ${quote(file.version)}, ${quote(file.checksum)})
     ON CONFLICT (tracking, version) DO UPDATE SET checksum = excluded.checksum, applied_at = now()`;
}
const textArray = (values, quote) => `ARRAY[${values.map(quote).join(', ')}]::text[]`;
const supabase = {
    table: 'supabase_migrations.schema_migrations',
    // The Supabase CLI's own statements, minus its `SET lock_timeout = '4s'`, which leaks into user migrations.
    async ensure(db) {
        await db.query(`CREATE SCHEMA IF NOT EXISTS supabase_migrations;
      CREATE TABLE IF NOT EXISTS supabase_migrations.schema_migrations (version text NOT NULL PRIMARY KEY);
      ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS statements text[];
      ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS name text`);
    },
    async read(db) {
        if (!(await tableExists(db, this.table)))
            return [];
        const { rows: columns } = await db.query(`SELECT 1 FROM information_schema.columns WHERE table_schema = 'supabase_migrations' AND table_name = 'schema_migrations' AND column_name = 'statements'`);
        const { rows } = await db.query(`SELECT version${columns.length > 0 ? ', statements' : ''} FROM supabase_migrations.schema_migrations`);
        return rows.map((r) => ({ version: String(r.version), statements: r.statements ?? undefined }));
    },
    record(file, statements, quote) {
        return `INSERT INTO supabase_migrations.schema_migrations (version, name, statements) VALUES (${quote(file.version)}, ${quote(file.name)}, ${textArray(statements, quote)})`;
    },
};
const plain = {
    table: 'schema_migrations',
    // Adopts the CRB Analyser table (version, applied_at) as it is, adding only the checksum column.
    async ensure(db) {
        await db.query(`CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
      ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum text`);
    },
    async read(db) {
        if (!(await tableExists(db, 'schema_migrations')))
            return [];
        const { rows: columns } = await db.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'schema_migrations' AND column_name = 'checksum' AND table_schema = ANY (current_schemas(false))`);
        const { rows } = await db.query(`SELECT version::text AS version${columns.length > 0 ? ', checksum' : ''} FROM schema_migrations`);
        return rows.map((r) => ({ version: String(r.version), checksum: r.checksum ?? undefined }));
    },
    record(file, _statements, quote) {
        return `INSERT INTO schema_migrations (version, applied_at, checksum) VALUES (${quote(file.version)}, now(), ${quote(file.checksum)})`;
    },
};
function withSide(tracker) {
    return {
        ...tracker,
        async ensure(db) {
            await tracker.ensure(db);
            await ensureSide(db);
        },
        async read(db, files) {
            if (!(await tableExists(db, tracker.table)))
                return [];
            const checksums = await readSide(db, tracker.table);
            return (await tracker.readVersions(db, files)).map((version) => ({ version, checksum: checksums.get(version) }));
        },
        record(file, _statements, quote) {
            return `${tracker.insert(file, quote)};\n${recordSide(tracker.table, file, quote)}`;
        },
    };
}
const dbmate = withSide({
    table: 'schema_migrations',
    async ensure(db) {
        await db.query('CREATE TABLE IF NOT EXISTS schema_migrations (version varchar(128) PRIMARY KEY)');
    },
    async readVersions(db) {
        const { rows } = await db.query('SELECT version::text AS version FROM schema_migrations');
        return rows.map((r) => String(r.version));
    },
    insert: (file, quote) => `INSERT INTO schema_migrations (version) VALUES (${quote(file.version)})`,
});
const goose = withSide({
    table: 'goose_db_version',
    async ensure(db) {
        if (await tableExists(db, 'goose_db_version'))
            return;
        // goose creates its table with a version 0 row; goose itself relies on it.
        await db.query(`CREATE TABLE goose_db_version (id integer PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, version_id bigint NOT NULL,
      is_applied boolean NOT NULL, tstamp timestamp NOT NULL DEFAULT now());
      INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true)`);
    },
    // The latest row per version says whether it is applied (a down migration adds an is_applied = false row).
    async readVersions(db) {
        const { rows } = await db.query(`SELECT version_id::text AS version FROM (
      SELECT DISTINCT ON (version_id) version_id, is_applied FROM goose_db_version ORDER BY version_id, id DESC) latest
      WHERE is_applied AND version_id <> 0`);
        return rows.map((r) => String(r.version));
    },
    insert: (file, quote) => `INSERT INTO goose_db_version (version_id, is_applied) VALUES (${quote(file.version)}, true)`,
});
/** golang-migrate keeps one row: the current version, and whether a migration died half-way (dirty). */
const golangMigrate = withSide({
    table: 'schema_migrations',
    async ensure(db) {
        await db.query('CREATE TABLE IF NOT EXISTS schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)');
    },
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
});
golangMigrate.beginUnsafe = (file, quote) => `DELETE FROM schema_migrations; INSERT INTO schema_migrations (version, dirty) VALUES (${quote(file.version)}, true)`;
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
const flyway = {
    table: 'flyway_schema_history',
    async ensure(db) {
        if (await tableExists(db, 'flyway_schema_history'))
            return;
        await db.query(`CREATE TABLE flyway_schema_history (installed_rank integer NOT NULL, version varchar(50), description varchar(200) NOT NULL,
      type varchar(20) NOT NULL, script varchar(1000) NOT NULL, checksum integer, installed_by varchar(100) NOT NULL,
      installed_on timestamp NOT NULL DEFAULT now(), execution_time integer NOT NULL, success boolean NOT NULL,
      CONSTRAINT flyway_schema_history_pk PRIMARY KEY (installed_rank));
      CREATE INDEX flyway_schema_history_s_idx ON flyway_schema_history (success)`);
    },
    async read(db) {
        if (!(await tableExists(db, 'flyway_schema_history')))
            return [];
        const { rows } = await db.query(`SELECT version, checksum, success, type FROM flyway_schema_history WHERE version IS NOT NULL AND type NOT IN ('SCHEMA', 'DELETE') ORDER BY installed_rank`);
        const failed = rows.find((r) => !r.success);
        if (failed)
            throw new errors/* ShiplineError */.J0(`flyway_schema_history records a failed migration at version ${failed.version}`, {
                hint: 'Clean up after it by hand, then remove the failed row (flyway repair) and run again.',
            });
        return rows.map((r) => ({ version: String(r.version), checksum: r.type === 'BASELINE' || r.checksum === null ? undefined : String(r.checksum) }));
    },
    // execution_time: the time since the migration's transaction began (now() is its start).
    record(file, _statements, quote) {
        return `INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
       SELECT coalesce(max(installed_rank), 0) + 1, ${quote(file.version)}, ${quote(file.name)}, 'SQL', ${quote(file.fileName)}, ${flywayChecksum(file.content)},
         current_user, (extract(epoch FROM clock_timestamp() - now()) * 1000)::int, true FROM flyway_schema_history`;
    },
};
const TRACKERS = { supabase, plain, dbmate, goose, 'golang-migrate': golangMigrate, flyway };
/** The value a format's tracking row holds for drift checks, to compare with a file. */
function expectedChecksum(format, file) {
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
/** How a file will run, or the problem that stops it from running at all. */
function transactionMode(file, statements) {
    if (file.noTransaction)
        return { transactional: false };
    const control = statements.find((s) => s.transactionControl);
    if (control)
        return {
            transactional: true,
            problem: {
                file,
                offset: control.offset,
                title: 'Transaction control in a migration',
                message: `${control.sql.split(/\s/)[0]?.toUpperCase()} in a migration file: shipline runs each file and its tracking row in one transaction, and a COMMIT here would split it. Remove BEGIN/COMMIT, or mark the file '-- shipline:no-transaction' to manage transactions yourself.`,
            },
        };
    const outside = statements.filter((s) => s.nonTransactional);
    if (outside.length === 0)
        return { transactional: true };
    const others = statements.filter((s) => !s.nonTransactional && !HARMLESS_OUTSIDE_TRANSACTION.has(s.kind));
    if (others.length === 0)
        return { transactional: false };
    const first = outside[0];
    return {
        transactional: false,
        problem: {
            file,
            offset: first.offset,
            title: 'Statement that cannot run in a transaction, mixed with others',
            message: `${first.nonTransactional} cannot run inside a transaction block, and this file also has ${others.length} statement(s) that should run in one. Move ${first.nonTransactional} to a migration file of its own (it then runs without a transaction), or mark this file '-- shipline:no-transaction' to run every statement on its own (a failure then leaves the earlier statements applied).`,
        },
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
            ({ statements, trailing } = await splitStatements(file.up, file.upOffset));
        }
        catch (error) {
            if (!(error instanceof SqlSyntaxError))
                throw error;
            problems.push({ file, offset: error.offset, title: 'SQL syntax error', message: `${file.file}: ${error.message}` });
            continue;
        }
        const mode = transactionMode(file, statements);
        if (mode.problem)
            problems.push(mode.problem);
        const stored = statements.map((s) => s.stored);
        if (trailing)
            stored.push(trailing);
        prepared.push({ file, statements, stored, transactional: mode.transactional });
    }
    return { prepared, problems };
}
/**
 * The stored statements are the file's text minus the `;` between statements and the blank space around them,
 * whoever split it (the Supabase CLI or shipline): so without `;` and white space, they must equal the file.
 * No parsing needed, which keeps `status` fast on a long history.
 */
const squash = (text) => text.replace(/[\s;]+/g, '');
function changed(format, file, row) {
    if (format === 'supabase')
        return row.statements !== undefined && squash(row.statements.join('')) !== squash(file.up);
    return row.checksum !== undefined && row.checksum !== expectedChecksum(format, file);
}
function compareWithDatabase(format, tracker, files, applied, options) {
    const rows = new Map(applied.map((r) => [r.version, r]));
    const versions = new Set(files.map((f) => f.version));
    const newestApplied = applied.map((r) => r.version).sort(format.compare).at(-1);
    const result = { states: [], pending: [], problems: [], warnings: [], newestApplied };
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
            const message = `${file.file} is not applied but is older than the newest applied version ${newestApplied}`;
            (options.allowOutOfOrder ? result.warnings : result.problems).push({ message, file });
        }
    }
    for (const row of applied) {
        if (versions.has(row.version))
            continue;
        result.states.push({ version: row.version, status: 'missing' });
        result.problems.push({ message: `version ${row.version} is recorded in ${tracker.table} but no migration file has it (deleted or renamed?)` });
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
/** The settings every file runs with, from the inputs and what the server supports. */
async function sessionSettings(db, timeouts) {
    const { rows } = await db.query("SELECT current_setting('server_version_num')::int AS version");
    return { ...timeouts, connectionCheckMs: Number(rows[0]?.version) >= 140000 ? 1000 : undefined };
}
/** A statement of a migration failed on the server. */
class StatementFailed extends errors/* ShiplineError */.J0 {
    file;
    offset;
    pg;
    statementIndex;
    constructor(file, statementIndex, offset, pg, rolledBack) {
        const extra = [pg.detail && `Detail: ${pg.detail}`, pg.hint && `Hint: ${pg.hint}`].filter(Boolean).join(' ');
        super(`${file.file}: ${pg.message}${pg.code ? ` (SQLSTATE ${pg.code})` : ''}${extra ? `. ${extra}` : ''}`, {
            hint: rolledBack
                ? `The file was rolled back: nothing of it is applied, and no later migration ran.`
                : `This file runs outside a transaction: the statements before this one stay applied and the file is not recorded. Make its statements safe to run again (IF NOT EXISTS), fix it, and run again.`,
        });
        this.file = file;
        this.offset = offset;
        this.pg = pg;
        this.statementIndex = statementIndex;
    }
}
async function runStatements(db, p, rolledBack) {
    for (const [index, s] of p.statements.entries()) {
        try {
            await db.query(s.sql);
        }
        catch (error) {
            throw located(error, p, index, 0, rolledBack);
        }
    }
}
/** A server error as a StatementFailed at its place in the file; `position` counts from `sentAt` in the query. */
function located(error, p, index, sentAt, rolledBack) {
    const s = p.statements[index];
    if (!isPgError(error) || !s)
        return error;
    // The server's position is 1-based, in characters of the query as sent.
    const offset = error.position ? s.offset + Number(error.position) - 1 - sentAt : s.offset;
    return new StatementFailed(p.file, index, offset, error, rolledBack);
}
/**
 * A simple-protocol query that counts its completed statements, so that when one statement of a batch fails we
 * know which (the count of CommandComplete messages before the error; node-postgres's Submittable interface).
 */
class CountingQuery extends esm/* default.Query */.Ay.Query {
    completed = 0;
    constructor(text) {
        super(text);
    }
    handleCommandComplete(message, connection) {
        this.completed++;
        esm/* default.Query */.Ay.Query.prototype.handleCommandComplete.call(this, message, connection);
    }
}
function runCounting(db, text) {
    const query = new CountingQuery(text);
    return new Promise((resolve, reject) => {
        query.on('end', () => resolve());
        query.on('error', (error) => reject(Object.assign(error, { completed: query.completed })));
        db.query(query);
    });
}
/**
 * Applies one file and records it; returns how long it took, in ms. A transactional file goes to the server as
 * one multi-statement query (BEGIN, its statements, the tracking row, COMMIT): one round trip per file.
 */
async function applyFile(db, tracker, p, settings) {
    const started = performance.now();
    const quote = (value) => db.escapeLiteral(value);
    if (p.transactional) {
        // RESET ALL first: a SET in the previous file must not leak into this one; SET LOCAL ends with the transaction.
        const prefix = ['RESET ALL', 'BEGIN', ...settingsList(settings, 'LOCAL')];
        let text = prefix.map((q) => `${q};\n`).join('');
        const starts = [];
        for (const s of p.statements) {
            starts.push(text.length);
            text += `${s.sql};\n`;
        }
        // The file may have changed search_path; the tracking table is found through the session's own.
        text += `RESET search_path;\n${tracker.record(p.file, p.stored, quote)};\nCOMMIT`;
        try {
            await runCounting(db, text);
        }
        catch (error) {
            await db.query('ROLLBACK').catch(() => undefined);
            const index = Number(error.completed ?? 0) - prefix.length;
            if (index >= 0 && index < p.statements.length)
                throw located(error, p, index, starts[index], true);
            throw error;
        }
    }
    else {
        await db.query(['RESET ALL', ...settingsList(settings, 'SESSION')].join('; '));
        const unsafe = tracker.beginUnsafe?.(p.file, quote);
        if (unsafe)
            await db.query(unsafe);
        await runStatements(db, p, false);
        await db.query(`BEGIN; ${tracker.record(p.file, p.stored, quote)}; COMMIT; RESET ALL`);
    }
    return performance.now() - started;
}

;// CONCATENATED MODULE: ./actions/migrate/src/run.ts
// migrate: apply, plan, verify or status for a folder of SQL migrations, or run the team's own migration tool
// (`exec`) under the same lock. Problems are annotations at file:line:column; the summary has one row per file.












function annotate(problem, level = 'error') {
    const { line, column } = positionAt(problem.file.content, problem.offset);
    (level === 'error' ? runner/* error */.z3 : runner/* warning */.$e)(problem.message, { file: problem.file.file, startLine: line, startColumn: column, title: problem.title });
}
const formatMs = (ms) => (ms === undefined ? '' : ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`);
/** Reads the folder; nothing touches the database here. */
function loadFolder(inputs, workspace) {
    const dir = resolveDir(workspace, inputs.dir);
    const name = inputs.format === 'auto' ? detectFormat(dir) : inputs.format;
    const format = FORMATS[name];
    const { files, skipped } = readFolder(dir, workspace, format);
    for (const f of skipped)
        (0,runner/* warning */.$e)(`Skipping ${f}: not a ${name} migration file name`, { title: 'Skipped file' });
    (0,runner/* info */.pq)(`${files.length} ${name} migration(s) in ${dir.slice(workspace.length + 1) || dir}, tracked in ${TRACKERS[name].table}.`);
    return { dir, format, tracker: TRACKERS[name], files };
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
function reportComparison(comparison, fail) {
    for (const w of comparison.warnings)
        (0,runner/* warning */.$e)(w.message, { file: w.file?.file, title: 'Allowed by input' });
    if (comparison.problems.length === 0)
        return;
    for (const p of comparison.problems)
        (fail ? runner/* error */.z3 : runner/* warning */.$e)(p.message, { file: p.file?.file, title: 'Migrations do not match the database' });
    if (!fail)
        return;
    const kinds = new Set(comparison.states.map((s) => s.status));
    const hints = [
        kinds.has('changed') && "Put the applied file back as it was and add a new migration for the change (or set 'allow-changed: true').",
        kinds.has('missing') && 'Restore the missing file (or remove its row from the tracking table if it was really reverted).',
        kinds.has('out-of-order') && "Rename the new file to a version after the newest applied one (or set 'allow-out-of-order: true').",
    ].filter(Boolean);
    throw new errors/* ShiplineError */.J0(`Nothing was applied: ${comparison.problems.map((p) => p.message).join('; ')}`, { hint: hints.join(' ') });
}
function lint(inputs, pending, minimum) {
    const rows = [];
    let errors = 0;
    const overrides = { ...inputs['lint-severity'] };
    for (const rule of inputs['lint-ignore'])
        overrides[rule] = 'off';
    for (const p of pending) {
        for (const finding of lintStatements(p.statements, { lockTimeoutSet: inputs['migration-lock-timeout'] !== undefined })) {
            const statement = p.statements[finding.statement];
            if (!statement || ignoredRules(statement.leading).has(finding.rule))
                continue;
            const severity = severityOf(finding.rule, overrides);
            if (severity === 'off' || (minimum === 'error' && severity !== 'error'))
                continue;
            if (severity === 'error')
                errors++;
            const { line, column } = positionAt(p.file.content, statement.offset);
            (severity === 'error' ? runner/* error */.z3 : runner/* warning */.$e)(`${finding.rule}: ${finding.message}`, { file: p.file.file, startLine: line, startColumn: column, title: `Lint: ${finding.rule}` });
            rows.push([`${p.file.file}:${line}`, finding.rule, severity, finding.message]);
        }
    }
    return { rows, errors };
}
function setStateOutputs(comparison, format, appliedNow = []) {
    const versions = comparison.states.filter((s) => s.status === 'applied' || s.status === 'changed' || s.status === 'missing').map((s) => s.version);
    const current = [...versions, ...appliedNow].sort(format.compare).at(-1) ?? '';
    (0,runner/* setOutput */.uH)('pending-count', comparison.pending.length - appliedNow.length);
    (0,runner/* setOutput */.uH)('current-version', current);
}
async function readApplied(db, folder) {
    return db ? folder.tracker.read(db, folder.files) : [];
}
function summaryTable(rows) {
    return table(['File', 'Version', 'Statements', 'Duration', 'Status'], rows.map((r) => [r.file, r.version, r.statements, formatMs(r.ms), r.status]));
}
function header(title, inputs, folder, extra = [], database) {
    return [
        `### ${title}`,
        facts([
            ['Database', database ?? (inputs['database-url'] ? describeServer(inputs['database-url']) : 'none (files only)')],
            ['Folder', folder ? `${folder.dir.replace(`${readRunContext().workspace}/`, '')} (${folder.format.name})` : undefined],
            ['Tracking table', folder?.tracker.table],
            ...extra,
        ]),
    ].join('\n\n');
}
/** Applies the pending files in order, a summary row each; the first failure stops the run. */
async function applyPending(db, folder, pending, inputs, rows) {
    const applied = [];
    const settings = await sessionSettings(db, { statementTimeoutMs: inputs['statement-timeout'], lockTimeoutMs: inputs['migration-lock-timeout'] });
    try {
        for (const [index, p] of pending.entries()) {
            const row = { file: p.file.file, version: p.file.version, statements: p.statements.length, status: '' };
            rows.push(row);
            try {
                row.ms = await applyFile(db, folder.tracker, p, settings);
            }
            catch (e) {
                row.status = p.transactional ? '❌ failed, rolled back' : '❌ failed (no transaction)';
                for (const later of pending.slice(index + 1))
                    rows.push({ file: later.file.file, version: later.file.version, statements: later.statements.length, status: '⏸ not run' });
                if (e instanceof StatementFailed) {
                    const { line, column } = positionAt(e.file.content, e.offset);
                    (0,runner/* error */.z3)(e.message, { file: e.file.file, startLine: line, startColumn: column, title: `Migration ${e.file.fileName} failed` });
                }
                throw e;
            }
            row.status = p.transactional ? '✅ applied' : '✅ applied (no transaction)';
            applied.push({ version: p.file.version, name: p.file.name, file: p.file.file, statements: p.statements.length, durationMs: Math.round(row.ms) });
            (0,runner/* info */.pq)(`Applied ${p.file.file} (${p.statements.length} statements, ${formatMs(row.ms)})`);
        }
    }
    finally {
        (0,runner/* setOutput */.uH)('applied', JSON.stringify(applied));
        (0,runner/* setOutput */.uH)('applied-count', applied.length);
    }
}
async function apply(inputs, workspace) {
    const url = inputs['database-url'];
    const folder = loadFolder(inputs, workspace);
    const timeoutMs = inputs['connect-timeout'];
    let lockDb;
    let db;
    const rows = [];
    let comparison;
    try {
        db = await connect(url, { timeoutMs, label: 'migrations' });
        if (inputs['dry-run']) {
            comparison = compareWithDatabase(folder.format, folder.tracker, folder.files, await readApplied(db, folder), allow(inputs));
            reportComparison(comparison, true);
            for (const p of checkLint(inputs, await parseToRun(comparison.pending)))
                rows.push({ file: p.file.file, version: p.file.version, statements: p.statements.length, status: p.transactional ? 'would apply' : 'would apply (no transaction)' });
            const names = comparison.pending.map((f) => f.fileName);
            const shown = names.length > 10 ? `${names.slice(0, 10).join(', ')} and ${names.length - 10} more` : names.join(', ') || 'none';
            (0,runner/* info */.pq)(`Dry run: ${names.length} migration(s) would be applied: ${shown}.`);
            (0,runner/* setOutput */.uH)('applied', '[]');
            (0,runner/* setOutput */.uH)('applied-count', 0);
            setStateOutputs(comparison, folder.format);
            return;
        }
        lockDb = await connect(url, { timeoutMs, label: 'lock' });
        await acquireLock(lockDb, inputs['lock-timeout']);
        comparison = compareWithDatabase(folder.format, folder.tracker, folder.files, await readApplied(db, folder), allow(inputs));
        reportComparison(comparison, true);
        const pending = checkLint(inputs, await parseToRun(comparison.pending));
        // Only now, with every check passed, is anything written (the tracking table first).
        if (pending.length > 0)
            await folder.tracker.ensure(db);
        if (pending.length === 0)
            (0,runner/* info */.pq)('Database is up to date: nothing to apply.');
        try {
            await applyPending(db, folder, pending, inputs, rows);
        }
        finally {
            // From what really committed: a failure part-way still reports the files that did apply.
            setStateOutputs(comparison, folder.format, rows.filter((r) => r.status.startsWith('✅')).map((r) => r.version));
        }
    }
    finally {
        if (lockDb)
            await releaseLock(lockDb);
        await db_close(lockDb);
        await db_close(db);
        const title = inputs['dry-run'] ? 'Migrations (dry run)' : 'Migrations';
        appendSummary(`${header(title, inputs, folder, [['Applied', rows.filter((r) => r.status.startsWith('✅')).length], ['Pending before', comparison?.pending.length]])}\n\n${rows.length > 0 ? summaryTable(rows) : 'Nothing to apply: the database is up to date.'}`);
    }
}
/** Lint findings at severity error block apply (the team chose to make them so); returns the files unchanged. */
function checkLint(inputs, pending) {
    const blocking = lint(inputs, pending, 'error');
    if (blocking.errors > 0)
        throw new errors/* ShiplineError */.J0(`${blocking.errors} lint finding(s) at severity error; nothing was applied (see the annotations)`);
    return pending;
}
const allow = (inputs) => ({ allowChanged: inputs['allow-changed'], allowOutOfOrder: inputs['allow-out-of-order'] });
async function plan(inputs, workspace) {
    const folder = loadFolder(inputs, workspace);
    let db;
    let comparison;
    try {
        if (inputs['database-url'])
            db = await connect(inputs['database-url'], { timeoutMs: inputs['connect-timeout'], label: 'plan' });
        comparison = compareWithDatabase(folder.format, folder.tracker, folder.files, await readApplied(db, folder), allow(inputs));
    }
    finally {
        await db_close(db);
    }
    reportComparison(comparison, false);
    const pending = await parseToRun(comparison.pending);
    const findings = lint(inputs, pending, 'warning');
    const rows = pending.map((p) => ({
        file: p.file.file,
        version: p.file.version,
        statements: p.statements.length,
        status: p.transactional ? 'will apply' : 'will apply (no transaction)',
    }));
    for (const r of rows)
        (0,runner/* info */.pq)(`Would apply ${r.file} (${r.statements} statements${r.status.includes('no transaction') ? ', outside a transaction' : ''})`);
    setStateOutputs(comparison, folder.format);
    const parts = [header('Migration plan', inputs, folder, [['Pending', rows.length], ['Lint findings', findings.rows.length]])];
    parts.push(rows.length > 0 ? summaryTable(rows) : 'Nothing to apply: the database is up to date.');
    if (findings.rows.length > 0)
        parts.push(`#### Lint\n\n${table(['Where', 'Rule', 'Severity', 'Finding'], findings.rows)}`);
    if (comparison.problems.length > 0)
        parts.push(`#### Problems that block apply\n\n${comparison.problems.map((p) => `- ${p.message}`).join('\n')}`);
    appendSummary(parts.join('\n\n'));
    if (findings.errors > 0)
        throw new errors/* ShiplineError */.J0(`${findings.errors} lint finding(s) at severity error (see the annotations)`, { hint: "Fix them, silence one with '-- shipline-ignore <rule>' above the statement, or change input 'lint-severity'." });
    if (comparison.problems.length > 0)
        throw new errors/* ShiplineError */.J0(`apply would refuse to run: ${comparison.problems.map((p) => p.message).join('; ')}`);
}
const STATUS_LABEL = { applied: '✅ applied', pending: '⏳ pending', changed: '⚠️ changed since applied', missing: '❌ applied, file missing', 'out-of-order': '⚠️ pending, out of order' };
async function run_status(inputs, workspace) {
    const folder = loadFolder(inputs, workspace);
    const db = await connect(inputs['database-url'], { timeoutMs: inputs['connect-timeout'], label: 'status' });
    let comparison;
    try {
        comparison = compareWithDatabase(folder.format, folder.tracker, folder.files, await readApplied(db, folder), allow(inputs));
    }
    finally {
        await db_close(db);
    }
    reportComparison(comparison, false);
    const counts = new Map();
    for (const s of comparison.states)
        counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
    (0,runner/* info */.pq)([...counts].map(([k, v]) => `${v} ${k}`).join(', ') || 'No migrations.');
    setStateOutputs(comparison, folder.format);
    const rows = comparison.states.map((s) => [s.file?.file ?? '(no file)', s.version, STATUS_LABEL[s.status]]);
    // The job summary holds 1 MiB: a long history is summarised, every file that needs attention is still listed.
    const shown = rows.length > 500 ? rows.filter((_, i) => comparison.states[i]?.status !== 'applied') : rows;
    const note = shown.length < rows.length ? `\n\n${rows.length - shown.length} applied migrations not listed.` : '';
    appendSummary(`${header('Migration status', inputs, folder, [...counts])}\n\n${table(['File', 'Version', 'Status'], shown)}${note}`);
}
async function verify(inputs, workspace) {
    const folder = loadFolder(inputs, workspace);
    const all = await parseToRun(folder.files);
    if (inputs['database-url'])
        return replay(inputs, folder, all, inputs['database-url']);
    (0,runner/* info */.pq)('No database-url: starting an embedded PostgreSQL for the replay…');
    const { startEmbedded } = await __webpack_require__.e(/* import() */ 871).then(__webpack_require__.bind(__webpack_require__, 6871));
    const server = await startEmbedded(workspace);
    try {
        await replay(inputs, folder, all, server.url);
    }
    finally {
        await server.stop();
    }
}
/** Replays every file on a new database of the server at `url`, then drops it. */
async function replay(inputs, folder, all, url) {
    const name = `shipline_verify_${process.pid}_${Date.now().toString(36)}`;
    const admin = await connect(url, { timeoutMs: inputs['connect-timeout'], label: 'verify' });
    const rows = [];
    let outcome = '';
    try {
        try {
            await admin.query(`CREATE DATABASE ${name}`);
        }
        catch (e) {
            throw new errors/* ShiplineError */.J0(`verify needs to create a throw-away database on ${describeServer(url)}: ${e.message}`, {
                hint: 'Use a user with CREATEDB (a CI service container or a local server), not production.',
            });
        }
        (0,runner/* info */.pq)(`Replaying ${all.length} migration(s) on the throw-away database ${name}…`);
        const db = await connect(url, { timeoutMs: inputs['connect-timeout'], label: 'verify', database: name });
        try {
            await folder.tracker.ensure(db);
            await applyPending(db, folder, all, inputs, rows);
            outcome = `✅ all ${all.length} migration(s) apply cleanly from scratch`;
            (0,runner/* info */.pq)(outcome);
        }
        catch (e) {
            outcome = `❌ ${e.message}`;
            throw e;
        }
        finally {
            await db_close(db);
        }
    }
    finally {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch((e) => (0,runner/* warning */.$e)(`Could not drop the throw-away database ${name}: ${e.message}`));
        await db_close(admin);
        const server = inputs['database-url'] ? undefined : 'embedded PostgreSQL, started for this replay';
        appendSummary(`${header('Migration verify (throw-away database)', inputs, folder, [['Result', outcome]], server)}\n\n${summaryTable(rows)}`);
    }
}
/** Runs the team's own migration command while holding the migration lock. */
async function exec(inputs, workspace) {
    const url = inputs['database-url'];
    const lockDb = await connect(url, { timeoutMs: inputs['connect-timeout'], label: 'lock for exec' });
    const started = performance.now();
    let exitCode = null;
    try {
        await acquireLock(lockDb, inputs['lock-timeout']);
        exitCode = await (0,runner/* group */.Os)(`$ ${inputs.exec}`, () => runShell(inputs.exec, workspace, url));
    }
    finally {
        const ms = performance.now() - started;
        await releaseLock(lockDb);
        await db_close(lockDb);
        (0,runner/* setOutput */.uH)('exit-code', exitCode ?? '');
        appendSummary(`${header('Migrations (exec)', inputs, undefined, [
            ['Command', `\`${inputs.exec}\``],
            ['Exit code', exitCode],
            ['Duration', formatMs(ms)],
        ])}`);
    }
    if (exitCode !== 0)
        throw new errors/* ShiplineError */.J0(`'${inputs.exec}' exited with code ${exitCode} (the lock was held throughout and is released)`);
    (0,runner/* info */.pq)(`'${inputs.exec}' finished under the migration lock.`);
}
function runShell(command, cwd, url) {
    return new Promise((resolve, reject) => {
        // DATABASE_URL is what Alembic's env.py, dbmate, Prisma and most tools read.
        const child = (0,external_node_child_process_.spawn)(command, { shell: true, cwd, env: { ...process.env, DATABASE_URL: url }, stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout.on('data', (chunk) => process.stdout.write(chunk));
        child.stderr.on('data', (chunk) => process.stdout.write(chunk));
        child.on('error', reject);
        child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : null)));
    });
}
async function run(inputs) {
    const workspace = readRunContext().workspace;
    if (inputs.exec)
        return exec(inputs, workspace);
    switch (inputs.command) {
        case 'plan':
            return plan(inputs, workspace);
        case 'status':
            return run_status(inputs, workspace);
        case 'verify':
            return verify(inputs, workspace);
        default:
            return apply(inputs, workspace);
    }
}


/***/ })

};
