export const id = 612;
export const ids = [612];
export const modules = {

/***/ 61612:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DatadogClient: () => (/* binding */ DatadogClient),
/* harmony export */   NoReading: () => (/* binding */ NoReading),
/* harmony export */   QUERY_WINDOW_S: () => (/* binding */ QUERY_WINDOW_S)
/* harmony export */ });
/* harmony import */ var _datadog_datadog_api_client_dist_packages_datadog_api_client_common_configuration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(36541);
/* harmony import */ var _datadog_datadog_api_client_dist_packages_datadog_api_client_common_exception_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(15146);
/* harmony import */ var _datadog_datadog_api_client_dist_packages_datadog_api_client_common_servers_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9735);
/* harmony import */ var _datadog_datadog_api_client_dist_logger_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6011);
/* harmony import */ var _datadog_datadog_api_client_dist_logger_js__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(_datadog_datadog_api_client_dist_logger_js__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _datadog_datadog_api_client_dist_packages_datadog_api_client_v1_apis_MetricsApi_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8618);
/* harmony import */ var _datadog_datadog_api_client_dist_packages_datadog_api_client_v1_apis_MetricsApi_js__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(_datadog_datadog_api_client_dist_packages_datadog_api_client_v1_apis_MetricsApi_js__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var _datadog_datadog_api_client_dist_packages_datadog_api_client_v1_apis_MonitorsApi_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(48344);
/* harmony import */ var _datadog_datadog_api_client_dist_packages_datadog_api_client_v1_apis_MonitorsApi_js__WEBPACK_IMPORTED_MODULE_5___default = /*#__PURE__*/__webpack_require__.n(_datadog_datadog_api_client_dist_packages_datadog_api_client_v1_apis_MonitorsApi_js__WEBPACK_IMPORTED_MODULE_5__);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(9096);
/* harmony import */ var _sanitise_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(71193);
// Datadog metric queries and monitor states through the official @datadog/datadog-api-client, API v1:
//   - QueryMetrics, GET /api/v1/query?from&to&query (https://docs.datadoghq.com/api/latest/metrics/#query-timeseries-points):
//     a gate's query over the last QUERY_WINDOW_S seconds; its reading is the last non-null point of the one series.
//     v1 rather than v2's timeseries formula query: v1 takes the query exactly as a dashboard or a monitor writes
//     it (`sum:trace.http.request.errors{service:api}.as_count() / sum:trace.http.request.hits{service:api}.as_count()`),
//     answers it in one GET, and needs only v1's models in the bundle.
//   - GetMonitor, GET /api/v1/monitor/{id}, and ListMonitors with monitor_tags
//     (https://docs.datadoghq.com/api/latest/monitors/): each monitor's overall_state.
// Both take the API key and the application key (DD-API-KEY, DD-APPLICATION-KEY headers, the client's
// apiKeyAuth and appKeyAuth). The client is configured explicitly: the site through its server variables
// (https://api.{site}), or a base server for a proxy or the loopback stand-in of the tests; never DD_SITE or
// DD_API_KEY from the environment, which createConfiguration would otherwise read.
//
// The client's own retry (429 and 5xx, sleeping X-RateLimit-Reset seconds) is off: its sleep ignores the abort
// signal, and a tick must end when its time is up. Each tick asks once; the next tick is the retry, as for
// Prometheus. The modules are imported by their paths in the package (v1 and the common part only): the package's
// index also loads every v2 model, which would weigh on the bundle for nothing.
//
// Imported only when a step is given Datadog gates (window gates import it lazily).








// The client logs a failed request itself (console, unsanitised); every failure here is described once, by
// describeDatadogError, in the gate's reading.
_datadog_datadog_api_client_dist_logger_js__WEBPACK_IMPORTED_MODULE_3__.logger.setLevel(_datadog_datadog_api_client_dist_logger_js__WEBPACK_IMPORTED_MODULE_3__.logger.levels.SILENT);
/** How far back a metric query reads: long enough to hold a point of a metric reported every minute or so. */
const QUERY_WINDOW_S = 300;
/** ListMonitors page size for a tag query, and the pages read per tick (1,000 monitors is a tag that names too much). */
const MONITOR_PAGE_SIZE = 100;
const MAX_MONITOR_PAGES = 10;
/** Why a query had no single number, for the gate's "inconclusive". */
class NoReading extends Error {
}
class DatadogClient {
    config;
    constructor(config) {
        this.config = config;
    }
    /** A configuration for one call: its own abort signal, and the last response's headers recorded in `seen`. */
    configuration(signal, seen) {
        const fetchRecording = (async (input, init) => {
            const response = await (0,_http_js__WEBPACK_IMPORTED_MODULE_6__/* .proxiedFetch */ .iR)(input, init);
            seen.status = response.status;
            seen.rateLimitReset = response.headers.get('x-ratelimit-reset') ?? undefined;
            seen.rateLimitName = response.headers.get('x-ratelimit-name') ?? undefined;
            return response;
        });
        const baseServer = this.config.url
            ? new _datadog_datadog_api_client_dist_packages_datadog_api_client_common_servers_js__WEBPACK_IMPORTED_MODULE_2__.ServerConfiguration(this.config.url.replace(/\/+$/, ''), {})
            : new _datadog_datadog_api_client_dist_packages_datadog_api_client_common_servers_js__WEBPACK_IMPORTED_MODULE_2__.ServerConfiguration('https://{subdomain}.{site}', {
                site: this.config.site,
                subdomain: 'api',
            });
        return (0,_datadog_datadog_api_client_dist_packages_datadog_api_client_common_configuration_js__WEBPACK_IMPORTED_MODULE_0__.createConfiguration)({
            baseServer,
            authMethods: { apiKeyAuth: this.config.apiKey, appKeyAuth: this.config.appKey },
            fetch: fetchRecording,
            httpConfig: { signal: AbortSignal.any([signal, AbortSignal.timeout(this.config.timeoutMs)]), compress: false },
            enableRetry: false,
        });
    }
    async call(label, signal, run) {
        const seen = {};
        try {
            return await run(this.configuration(signal, seen));
        }
        catch (error) {
            throw new Error(describeDatadogError(label, error, seen));
        }
    }
    /** The query's value now: the last non-null point of its one series over the last QUERY_WINDOW_S seconds. */
    async queryValue(query, signal, now = Date.now()) {
        const to = Math.floor(now / 1000);
        const answer = await this.call('Datadog QueryMetrics', signal, (configuration) => new _datadog_datadog_api_client_dist_packages_datadog_api_client_v1_apis_MetricsApi_js__WEBPACK_IMPORTED_MODULE_4__.MetricsApi(configuration).queryMetrics({ from: to - QUERY_WINDOW_S, to, query }));
        if (answer.status === 'error' || answer.error)
            throw new Error(`Datadog QueryMetrics: ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(answer.error ?? 'the query failed (status "error")', 300)}`);
        // The client hands back a body that is not JSON as an empty MetricsQueryResponse: no status, no series.
        if (answer.status !== 'ok' || !Array.isArray(answer.series))
            throw new Error('Datadog QueryMetrics: the answer is not the JSON the API documents (no status "ok" with series)');
        const series = answer.series ?? [];
        if (series.length === 0)
            throw new NoReading(`no data: the query returned no series over the last ${QUERY_WINDOW_S / 60} minutes (a metric or tag misspelt, or nothing reported yet)`);
        if (series.length > 1) {
            const shown = series.slice(0, 3).map((s) => (0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(s.scope ?? s.expression ?? '?', 80));
            throw new NoReading(`the query returned ${series.length} series, not one: ${shown.join(', ')}${series.length > 3 ? ', …' : ''} (aggregate them, e.g. sum:…{…} without "by {…}")`);
        }
        const points = (series[0]?.pointlist ?? []).filter((p) => Array.isArray(p) && typeof p[1] === 'number' && Number.isFinite(p[1]));
        const last = points.at(-1);
        if (!last)
            throw new NoReading(`no data: the series ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(series[0]?.scope ?? '', 80)} has no point over the last ${QUERY_WINDOW_S / 60} minutes`);
        return last[1];
    }
    /** One monitor's state. A monitor that does not exist is Datadog's 404, thrown as its error. */
    async monitor(id, signal) {
        const monitor = await this.call('Datadog GetMonitor', signal, (configuration) => new _datadog_datadog_api_client_dist_packages_datadog_api_client_v1_apis_MonitorsApi_js__WEBPACK_IMPORTED_MODULE_5__.MonitorsApi(configuration).getMonitor({ monitorId: id }));
        return stateOf(monitor);
    }
    /** The monitors whose monitor tags include every tag given (comma-separated), up to MAX_MONITOR_PAGES pages. */
    async monitorsTagged(tags, signal) {
        const monitors = [];
        for (let page = 0; page < MAX_MONITOR_PAGES; page++) {
            const answer = await this.call('Datadog ListMonitors', signal, (configuration) => new _datadog_datadog_api_client_dist_packages_datadog_api_client_v1_apis_MonitorsApi_js__WEBPACK_IMPORTED_MODULE_5__.MonitorsApi(configuration).listMonitors({ monitorTags: tags, page, pageSize: MONITOR_PAGE_SIZE }));
            monitors.push(...answer.map(stateOf));
            if (answer.length < MONITOR_PAGE_SIZE)
                return { monitors, truncated: false };
        }
        return { monitors, truncated: true };
    }
}
function stateOf(monitor) {
    return {
        id: monitor.id ?? 0,
        name: monitor.name ?? '',
        // An overall_state outside the client's enum is an UnparsedObject: no state it knows.
        state: typeof monitor.overallState === 'string' ? monitor.overallState : 'Unknown',
    };
}
/**
 * One line for a failed call: Datadog's own errors (its `errors` array, verbatim), the rate limit's reset when
 * throttled, the network failure when nothing answered, or the body the client could not read.
 */
function describeDatadogError(label, error, seen = {}) {
    if (error instanceof _datadog_datadog_api_client_dist_packages_datadog_api_client_common_exception_js__WEBPACK_IMPORTED_MODULE_1__.ApiException) {
        const body = error.body;
        const errors = body && typeof body === 'object' && Array.isArray(body.errors)
            ? body.errors.map((e) => (0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(e, 200)).join('; ')
            : (0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(typeof body === 'string' ? body : JSON.stringify(body ?? ''), 200);
        const code = Number(error.code);
        const hint = code === 429
            ? ` (rate limited${seen.rateLimitName ? ` on ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(seen.rateLimitName, 60)}` : ''}${seen.rateLimitReset ? `; X-RateLimit-Reset ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(seen.rateLimitReset, 10)}s` : ''}: the next tick asks again)`
            : code === 403
                ? ' (check datadog-api-key and datadog-app-key, and that the application key may read metrics and monitors)'
                : '';
        return `${label}: HTTP ${code}: ${errors || '(no error text)'}${hint}`;
    }
    const e = error;
    if (e?.name === 'AbortError' || e?.name === 'TimeoutError' || e?.type === 'aborted')
        return `${label}: no answer in time`;
    // What the client's deserialiser throws for a body that is not the documented model.
    if (e instanceof SyntaxError || /JSON|missing required property|mismatch types/i.test(e?.message ?? ''))
        return `${label}: the answer is not the JSON the API documents (${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(e?.message ?? '', 160)})`;
    // fetch's own failure (refused, reset, DNS, TLS, a proxy's 407): the cause says which.
    if (e?.message === 'fetch failed')
        return `${label}: ${(0,_http_js__WEBPACK_IMPORTED_MODULE_6__/* .classifyNetworkError */ .LW)(error).detail}`;
    return `${label}: ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(e?.message ?? String(error), 300)}`;
}


/***/ })

};
