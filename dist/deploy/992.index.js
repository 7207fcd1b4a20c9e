export const id = 992;
export const ids = [992];
export const modules = {

/***/ 88992:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CloudWatchAlarms: () => (/* binding */ CloudWatchAlarms),
/* harmony export */   MAX_PAGES: () => (/* binding */ MAX_PAGES),
/* harmony export */   PAGE_SIZE: () => (/* binding */ PAGE_SIZE),
/* harmony export */   describeAwsError: () => (/* binding */ describeAwsError)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(44085);
/* harmony import */ var _aws_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51787);
/* harmony import */ var _sanitise_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(71193);
// CloudWatch alarm states through @aws-sdk/client-cloudwatch: DescribeAlarms by name or by name prefix
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html: AlarmNames, at most
// 100, and AlarmNamePrefix cannot be given together; MaxRecords 1–100; NextToken pages). The installed client
// speaks the AWS JSON 1.0 protocol in its query-compatible form (X-Amz-Target GraniteServiceVersion20100801.<Op>,
// x-amzn-query-mode: true; errors carry the Query API's code in x-amzn-query-error). Metric and composite alarms
// are both read: a composite alarm is how teams usually say "roll back when any of these fires".
//
// Imported only when a step is given alarms (window gates import it lazily): the SDK never weighs on a cold start.



/** A page of DescribeAlarms holds at most this many alarms of each type (the API's own maximum). */
const PAGE_SIZE = 100;
/** Pages read per prefix per tick: 1,000 alarms of a prefix is a prefix that names too much. */
const MAX_PAGES = 10;
/** What the SDK's error says, with the hint people act on for the errors that are theirs to fix. */
function describeAwsError(error) {
    const e = error;
    const status = e?.$metadata?.httpStatusCode;
    const attempts = e?.$metadata?.attempts;
    const name = e?.name ?? 'Error';
    let hint = '';
    if (name === 'AccessDenied' || name === 'AccessDeniedException')
        hint = ' (the role needs cloudwatch:DescribeAlarms)';
    if (name === 'CredentialsProviderError' ||
        name === 'UnrecognizedClientException' ||
        name === 'InvalidClientTokenId' ||
        name === 'ExpiredToken' ||
        name === 'SignatureDoesNotMatch' ||
        name === 'InvalidSignatureException')
        hint = ' (AWS credentials come from the environment: add aws-actions/configure-aws-credentials before this step)';
    const where = [status ? `HTTP ${status}` : '', attempts && attempts > 1 ? `${attempts} attempts` : '']
        .filter(Boolean)
        .join(', ');
    return `CloudWatch DescribeAlarms: ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_1__/* .inline */ .mG)(name, 60)}: ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_1__/* .inline */ .mG)(e?.message ?? String(error), 300)}${where ? ` (${where})` : ''}${hint}`;
}
class CloudWatchAlarms {
    client;
    /**
     * `maxAttempts`: the SDK's standard retry strategy retries throttling (Throttling, HTTP 400) and 5xx with its
     * backoff; the caller's abort signal ends those retries when its time is up.
     */
    constructor(options) {
        this.client = new _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_2__/* .CloudWatchClient */ .WBn({
            region: (0,_aws_js__WEBPACK_IMPORTED_MODULE_0__/* .awsRegion */ .U)(options.region),
            maxAttempts: options.maxAttempts ?? 3,
            requestHandler: (0,_aws_js__WEBPACK_IMPORTED_MODULE_0__/* .awsRequestHandler */ .l)(options.requestMs),
        });
    }
    /** The alarms a selection names, every page up to MAX_PAGES. Throws the SDK's error (see describeAwsError). */
    async read(selection, signal, requestMs) {
        const alarms = [];
        const seenTokens = new Set();
        let token;
        for (let page = 0; page < MAX_PAGES; page++) {
            const answer = await this.client.send(new _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_2__/* .DescribeAlarmsCommand */ .zWD({
                ...(selection.names ? { AlarmNames: selection.names } : { AlarmNamePrefix: selection.prefix }),
                AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
                MaxRecords: PAGE_SIZE,
                ...(token ? { NextToken: token } : {}),
            }), { abortSignal: signal, requestTimeout: requestMs });
            for (const a of [...(answer.MetricAlarms ?? []), ...(answer.CompositeAlarms ?? [])])
                alarms.push({
                    name: a.AlarmName ?? '',
                    state: a.StateValue ?? 'unknown',
                    reason: a.StateReason ?? '',
                    ...(a.StateUpdatedTimestamp ? { since: a.StateUpdatedTimestamp } : {}),
                });
            token = answer.NextToken || undefined;
            // A token seen before would page for ever: what was read is all there is.
            if (!token || seenTokens.has(token))
                return { alarms, truncated: false };
            seenTokens.add(token);
        }
        return { alarms, truncated: true };
    }
    close() {
        this.client.destroy();
    }
}


/***/ })

};
