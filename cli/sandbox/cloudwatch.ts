// A loopback Amazon CloudWatch for alarm gates, speaking what the installed @aws-sdk/client-cloudwatch sends for
// DescribeAlarms: the AWS JSON 1.0 protocol in its query-compatible form (POST /, Content-Type
// application/x-amz-json-1.0, X-Amz-Target GraniteServiceVersion20100801.DescribeAlarms, x-amzn-query-mode: true;
// timestamps as epoch seconds; errors as {__type, message} with the Query API's code and fault in the
// x-amzn-query-error header, e.g. "Throttling;Sender"). Requests must be SigV4-signed for the `monitoring` service
// with the stand-in's key, checked as the ECS stand-in checks them.
//
// DescribeAlarms as its API reference documents it
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html): AlarmNames (at most
// 100) or AlarmNamePrefix, never both (InvalidParameterCombination); AlarmTypes (MetricAlarm unless asked);
// MaxRecords 1–100; NextToken pages, an unknown token is InvalidNextToken. Each alarm is a small state machine the
// test drives: setState now, or a change scheduled for the Nth DescribeAlarms call (no clock in the tests). Faults
// (throttling with CloudWatch's documented code Throttling, HTTP 400 — "Rate exceeded"; 5xx; hang) go through the
// FakeServer it runs on.
import { randomBytes, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { signatureProblem } from './ecs.js';
import { type FakeServer, type RecordedRequest, sendJson, startFakeServer } from './server.js';

const TARGET = 'GraniteServiceVersion20100801.DescribeAlarms';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
const ACCOUNT = '123456789012';

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface FakeAlarm {
  name: string;
  type: 'MetricAlarm' | 'CompositeAlarm';
  state: AlarmStateValue;
  reason: string;
  /** Epoch ms of the last state change. */
  updatedAt: number;
  /** Every state it has been in, oldest first. */
  history: { state: AlarmStateValue; reason: string; at: number }[];
}

export interface FakeCloudWatch {
  server: FakeServer;
  url: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  alarms: Map<string, FakeAlarm>;
  /** DescribeAlarms calls answered (after faults), counted from 1. */
  calls: number;
  addAlarm(name: string, state?: AlarmStateValue, options?: { type?: FakeAlarm['type']; reason?: string }): FakeAlarm;
  setState(name: string, state: AlarmStateValue, reason: string): void;
  /** The alarm changes state just before the `call`th DescribeAlarms call is answered. */
  scheduleState(name: string, call: number, state: AlarmStateValue, reason: string): void;
  /** The next `count` DescribeAlarms requests are answered with CloudWatch's throttling error. */
  throttle(count: number): void;
  /** The next `count` DescribeAlarms requests are answered with this 5xx. */
  fail(count: number, status?: number): void;
  /** The next `count` DescribeAlarms requests are never answered. */
  hang(count: number): void;
  close(): Promise<void>;
}

/**
 * The errors DescribeAlarms documents, by their Query API code: the model's shape names them otherwise
 * (InvalidParameterCombination is the shape InvalidParameterCombinationException). The query-compatible protocol
 * sends the shape in __type and the Query code in x-amzn-query-error; the SDK maps the code back to the shape.
 */
const SHAPES: Record<string, string> = {
  InvalidParameterCombination: 'InvalidParameterCombinationException',
  InvalidParameterValue: 'InvalidParameterValueException',
};

class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly fault: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
  }
}

/** The error body and headers the query-compatible JSON protocol answers with. */
function errorAnswer(error: { code: string; message: string; fault: string }): {
  body: string;
  headers: Record<string, string>;
} {
  return {
    body: JSON.stringify({
      __type: `com.amazonaws.cloudwatch#${SHAPES[error.code] ?? error.code}`,
      message: error.message,
    }),
    headers: {
      'content-type': CONTENT_TYPE,
      'x-amzn-query-error': `${error.code};${error.fault}`,
      'x-amzn-requestid': randomUUID(),
    },
  };
}

const epochSeconds = (ms: number) => ms / 1000;

/**
 * `credentials`: the account's keys, when another AWS stand-in of the same account (ECS) already has them: one set of
 * credentials signs every service's requests, as one role does in a job.
 */
export async function startFakeCloudWatch(
  options: { region?: string; credentials?: { accessKeyId: string; secretAccessKey: string } } = {},
): Promise<FakeCloudWatch> {
  const region = options.region ?? 'eu-west-1';
  const accessKeyId = options.credentials?.accessKeyId ?? `AKIA${randomBytes(8).toString('hex').toUpperCase()}`;
  const secretAccessKey = options.credentials?.secretAccessKey ?? randomBytes(20).toString('base64');
  const alarms = new Map<string, FakeAlarm>();
  const scheduled: { name: string; call: number; state: AlarmStateValue; reason: string }[] = [];
  /** Pages handed out: token → what remains. */
  const pages = new Map<string, FakeAlarm[]>();
  let calls = 0;

  const setState = (name: string, state: AlarmStateValue, reason: string) => {
    const alarm = alarms.get(name);
    if (!alarm) throw new Error(`no alarm ${name}`);
    if (alarm.state === state && alarm.reason === reason) return;
    alarm.state = state;
    alarm.reason = reason;
    alarm.updatedAt = Date.now();
    alarm.history.push({ state, reason, at: alarm.updatedAt });
  };

  const alarmJson = (a: FakeAlarm) => {
    const arn = `arn:aws:cloudwatch:${region}:${ACCOUNT}:alarm:${a.name}`;
    const common = {
      AlarmName: a.name,
      AlarmArn: arn,
      ActionsEnabled: true,
      AlarmActions: [],
      OKActions: [],
      InsufficientDataActions: [],
      StateValue: a.state,
      StateReason: a.reason,
      StateReasonData: JSON.stringify({ version: '1.0', queryDate: new Date(a.updatedAt).toISOString() }),
      StateUpdatedTimestamp: epochSeconds(a.updatedAt),
      StateTransitionedTimestamp: epochSeconds(a.updatedAt),
      AlarmConfigurationUpdatedTimestamp: epochSeconds(a.history[0]?.at ?? a.updatedAt),
    };
    if (a.type === 'CompositeAlarm')
      return { ...common, AlarmRule: 'ALARM("api-5xx-rate")', ActionsSuppressedBy: 'None' };
    return {
      ...common,
      MetricName: 'HTTPCode_Target_5XX_Count',
      Namespace: 'AWS/ApplicationELB',
      Statistic: 'Sum',
      Dimensions: [{ Name: 'LoadBalancer', Value: 'app/api/50dc6c495c0c9188' }],
      Period: 60,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'missing',
    };
  };

  const describeAlarms = (body: Record<string, any>) => {
    const names = body.AlarmNames as string[] | undefined;
    const prefix = body.AlarmNamePrefix as string | undefined;
    if (names && prefix !== undefined)
      throw new AwsError('InvalidParameterCombination', 'AlarmNamePrefix and AlarmNames cannot both be specified.');
    if (names && names.length > 100)
      throw new AwsError('InvalidParameterValue', 'The collection AlarmNames must not have a size greater than 100.');
    const max = body.MaxRecords ?? 50;
    if (!Number.isInteger(max) || max < 1 || max > 100)
      throw new AwsError('InvalidParameterValue', 'The parameter MaxRecords must be a value in the range 1 to 100.');
    const types = (body.AlarmTypes as string[] | undefined) ?? ['MetricAlarm'];
    let matching: FakeAlarm[];
    if (body.NextToken !== undefined) {
      const rest = pages.get(body.NextToken);
      if (!rest) throw new AwsError('InvalidNextToken', 'The service returned an invalid next token.');
      pages.delete(body.NextToken);
      matching = rest;
    } else {
      matching = [...alarms.values()]
        .filter((a) => types.includes(a.type))
        .filter((a) => (names ? names.includes(a.name) : prefix !== undefined ? a.name.startsWith(prefix) : true))
        .sort((a, b) => a.name.localeCompare(b.name));
    }
    const page = matching.slice(0, max);
    const rest = matching.slice(max);
    let token: string | undefined;
    if (rest.length > 0) {
      token = randomBytes(24).toString('base64');
      pages.set(token, rest);
    }
    return {
      MetricAlarms: page.filter((a) => a.type === 'MetricAlarm').map(alarmJson),
      CompositeAlarms: page.filter((a) => a.type === 'CompositeAlarm').map(alarmJson),
      ...(token ? { NextToken: token } : {}),
    };
  };

  const fail = (res: ServerResponse, error: AwsError) => {
    const answer = errorAnswer({ code: error.code, message: error.message, fault: error.fault });
    res.writeHead(error.status, answer.headers);
    res.end(answer.body);
  };

  const server = await startFakeServer((req: RecordedRequest, res) => {
    if (req.method !== 'POST' || req.path !== '/')
      return fail(res, new AwsError('UnknownOperationException', `No route ${req.method} ${req.path}`, 404));
    if (!String(req.headers['content-type'] ?? '').startsWith(CONTENT_TYPE))
      return fail(res, new AwsError('SerializationException', `Content-Type must be ${CONTENT_TYPE}`));
    const signing = signatureProblem(req, { accessKeyId, secretAccessKey, region, service: 'monitoring' });
    if (signing?.kind === 'credential')
      return fail(
        res,
        new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403),
      );
    if (signing?.kind === 'scope')
      return fail(
        res,
        new AwsError(
          'SignatureDoesNotMatch',
          `Credential should be scoped to a valid region and to the monitoring service, not '${signing.scope}'.`,
          403,
        ),
      );
    if (signing)
      return fail(
        res,
        new AwsError(
          'SignatureDoesNotMatch',
          'The request signature we calculated does not match the signature you provided.',
          403,
        ),
      );
    if (req.headers['x-amz-target'] !== TARGET)
      return fail(res, new AwsError('UnknownOperationException', `This stand-in answers ${TARGET} only`));
    let body: Record<string, any>;
    try {
      body = JSON.parse(req.body || '{}');
    } catch {
      return fail(res, new AwsError('SerializationException', 'Body is not JSON'));
    }
    calls++;
    for (const change of scheduled.filter((c) => c.call <= calls)) setState(change.name, change.state, change.reason);
    scheduled.splice(0, scheduled.length, ...scheduled.filter((c) => c.call > calls));
    try {
      return sendJson(res, 200, describeAlarms(body), {
        'content-type': CONTENT_TYPE,
        'x-amzn-requestid': randomUUID(),
      });
    } catch (error) {
      if (error instanceof AwsError) return fail(res, error);
      throw error;
    }
  });

  const target = /DescribeAlarms$/;
  const stand: FakeCloudWatch = {
    server,
    url: server.url,
    region,
    accessKeyId,
    secretAccessKey,
    alarms,
    get calls() {
      return calls;
    },
    addAlarm(name, state = 'OK', options = {}) {
      const at = Date.now();
      const reason =
        options.reason ??
        (state === 'INSUFFICIENT_DATA'
          ? 'Unchecked: Initial alarm creation'
          : 'Threshold Crossed: 1 datapoint [0.0] was not greater than the threshold (5.0).');
      const alarm: FakeAlarm = {
        name,
        type: options.type ?? 'MetricAlarm',
        state,
        reason,
        updatedAt: at,
        history: [{ state, reason, at }],
      };
      alarms.set(name, alarm);
      return alarm;
    },
    setState,
    scheduleState(name, call, state, reason) {
      scheduled.push({ name, call, state, reason });
    },
    throttle(count) {
      const answer = errorAnswer({ code: 'Throttling', message: 'Rate exceeded', fault: 'Sender' });
      server.inject(
        target,
        ...Array.from({ length: count }, () => ({
          kind: 'status' as const,
          status: 400,
          body: answer.body,
          headers: answer.headers,
        })),
      );
    },
    fail(count, status = 503) {
      const answer = errorAnswer({
        code: 'ServiceUnavailable',
        message: 'The request has failed due to a temporary failure of the server.',
        fault: 'Receiver',
      });
      server.inject(
        target,
        ...Array.from({ length: count }, () => ({
          kind: 'status' as const,
          status,
          body: answer.body,
          headers: answer.headers,
        })),
      );
    },
    hang(count) {
      server.inject(target, ...Array.from({ length: count }, () => ({ kind: 'hang' as const })));
    },
    close: () => server.close(),
  };
  return stand;
}

/** The environment that points the real AWS SDK at this stand-in, hermetically (no config files, no instance metadata). */
export function cloudWatchEnvironment(cw: FakeCloudWatch): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_CLOUDWATCH: cw.url,
    AWS_ACCESS_KEY_ID: cw.accessKeyId,
    AWS_SECRET_ACCESS_KEY: cw.secretAccessKey,
    AWS_REGION: cw.region,
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}
