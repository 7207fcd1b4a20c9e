// The official client is the judge: @aws-sdk/client-cloudwatch's DescribeAlarmsCommand, signed with the stand-in's
// key, against the loopback CloudWatch (cli/sandbox/cloudwatch.ts). What the SDK's own deserialiser makes of the
// answers — StateValue, StateReason, StateUpdatedTimestamp as a Date, metric and composite alarms, NextToken pages,
// CloudWatch's error codes (Throttling retried by the SDK's standard strategy) — is what shipline's alarm gates
// read, so a stand-in that answered in another shape would fail here before it could flatter a gate.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { CloudWatchClient, DescribeAlarmsCommand, paginateDescribeAlarms } from '@aws-sdk/client-cloudwatch';
import { type FakeCloudWatch, startFakeCloudWatch } from '../cli/sandbox/cloudwatch.js';
import { CloudWatchAlarms, MAX_PAGES, PAGE_SIZE } from '../shared/cloudwatch.js';

let cw: FakeCloudWatch;

const client = (secret = cw.secretAccessKey, maxAttempts = 3) =>
  new CloudWatchClient({
    region: cw.region,
    endpoint: cw.url,
    maxAttempts,
    credentials: { accessKeyId: cw.accessKeyId, secretAccessKey: secret },
  });

beforeAll(async () => {
  cw = await startFakeCloudWatch();
});
afterAll(async () => {
  await cw.close();
});
beforeEach(() => {
  cw.alarms.clear();
  cw.server.clearFaults();
  cw.server.requests.length = 0;
});

describe('DescribeAlarms through the official client', () => {
  test('the request is the JSON 1.0 query-compatible protocol the installed client speaks', async () => {
    cw.addAlarm('api-5xx-rate');
    await client().send(new DescribeAlarmsCommand({ AlarmNames: ['api-5xx-rate'] }));
    const request = cw.server.requests[0];
    expect(request?.headers['x-amz-target']).toBe('GraniteServiceVersion20100801.DescribeAlarms');
    expect(request?.headers['content-type']).toMatch(/^application\/x-amz-json-1\.0/);
    expect(request?.headers['x-amzn-query-mode']).toBe('true');
    expect(JSON.parse(request?.body ?? '')).toEqual({ AlarmNames: ['api-5xx-rate'] });
  });

  test('alarms by name: state, reason and when it changed, parsed by the SDK; an unknown name is simply absent', async () => {
    const ok = cw.addAlarm('api-5xx-rate');
    cw.addAlarm('api-latency', 'INSUFFICIENT_DATA');
    cw.addAlarm('api-health', 'OK', { type: 'CompositeAlarm' });
    cw.setState('api-5xx-rate', 'ALARM', 'Threshold Crossed: 1 datapoint [12.0] was greater than the threshold (5.0).');
    const answer = await client().send(
      new DescribeAlarmsCommand({
        AlarmNames: ['api-5xx-rate', 'api-latency', 'api-health', 'nope'],
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
      }),
    );
    const metric = answer.MetricAlarms ?? [];
    expect(metric.map((a) => [a.AlarmName, a.StateValue])).toEqual([
      ['api-5xx-rate', 'ALARM'],
      ['api-latency', 'INSUFFICIENT_DATA'],
    ]);
    expect(metric[0]?.StateReason).toBe('Threshold Crossed: 1 datapoint [12.0] was greater than the threshold (5.0).');
    expect(metric[0]?.StateUpdatedTimestamp).toBeInstanceOf(Date);
    expect(metric[0]?.StateUpdatedTimestamp?.getTime()).toBe(ok.updatedAt);
    expect(metric[0]?.Threshold).toBe(5);
    expect(answer.CompositeAlarms?.map((a) => [a.AlarmName, a.StateValue])).toEqual([['api-health', 'OK']]);
    expect(answer.NextToken).toBeUndefined();
  });

  test('without AlarmTypes only metric alarms are returned, as the API documents', async () => {
    cw.addAlarm('api-5xx-rate');
    cw.addAlarm('api-health', 'OK', { type: 'CompositeAlarm' });
    const answer = await client().send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'api-' }));
    expect(answer.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['api-5xx-rate']);
    expect(answer.CompositeAlarms ?? []).toEqual([]);
  });

  test('a state change the test schedules shows on the call it names, with a new StateUpdatedTimestamp', async () => {
    cw.addAlarm('api-5xx-rate');
    const sdk = client();
    const first = await sdk.send(new DescribeAlarmsCommand({ AlarmNames: ['api-5xx-rate'] }));
    cw.scheduleState('api-5xx-rate', cw.calls + 2, 'ALARM', 'Threshold Crossed');
    const second = await sdk.send(new DescribeAlarmsCommand({ AlarmNames: ['api-5xx-rate'] }));
    const third = await sdk.send(new DescribeAlarmsCommand({ AlarmNames: ['api-5xx-rate'] }));
    expect([first, second, third].map((a) => a.MetricAlarms?.[0]?.StateValue)).toEqual(['OK', 'OK', 'ALARM']);
    expect(third.MetricAlarms?.[0]?.StateUpdatedTimestamp?.getTime()).toBe(cw.alarms.get('api-5xx-rate')?.updatedAt);
    expect(cw.alarms.get('api-5xx-rate')?.history.map((h) => h.state)).toEqual(['OK', 'ALARM']);
  });

  test('NextToken pages: the SDK paginator reads every alarm of a prefix once, in pages of MaxRecords', async () => {
    for (let i = 0; i < 250; i++) cw.addAlarm(`api-${String(i).padStart(3, '0')}`);
    cw.addAlarm('web-5xx');
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeAlarms(
      { client: client() },
      { AlarmNamePrefix: 'api-', MaxRecords: 100 },
    )) {
      pages++;
      names.push(...(page.MetricAlarms ?? []).map((a) => a.AlarmName as string));
    }
    expect(pages).toBe(3);
    expect(names).toHaveLength(250);
    expect(new Set(names).size).toBe(250);
    expect(names.every((n) => n.startsWith('api-'))).toBe(true);
  });

  test('an unknown NextToken and names with a prefix are refused with CloudWatch’s error codes', async () => {
    await expect(client().send(new DescribeAlarmsCommand({ NextToken: 'not-a-token' }))).rejects.toMatchObject({
      name: 'InvalidNextToken',
      Error: { Code: 'InvalidNextToken' },
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      client().send(new DescribeAlarmsCommand({ AlarmNames: ['a'], AlarmNamePrefix: 'a' })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterCombinationException',
      Error: { Code: 'InvalidParameterCombination', Type: 'Sender' },
    });
  });

  test('throttling (Throttling, HTTP 400) is retried by the SDK; throttled on every attempt, the error names it', async () => {
    cw.addAlarm('api-5xx-rate');
    cw.throttle(1);
    const answer = await client().send(new DescribeAlarmsCommand({ AlarmNames: ['api-5xx-rate'] }));
    expect(answer.MetricAlarms?.[0]?.StateValue).toBe('OK');
    expect(answer.$metadata.attempts).toBe(2);
    cw.throttle(2);
    await expect(
      client(undefined, 2).send(new DescribeAlarmsCommand({ AlarmNames: ['api-5xx-rate'] })),
    ).rejects.toMatchObject({
      name: 'Throttling',
      message: 'Rate exceeded',
      $metadata: { httpStatusCode: 400, attempts: 2 },
    });
  });

  test('a 503 is retried by the SDK', async () => {
    cw.addAlarm('api-5xx-rate');
    cw.fail(1);
    const answer = await client().send(new DescribeAlarmsCommand({ AlarmNames: ['api-5xx-rate'] }));
    expect(answer.$metadata.attempts).toBe(2);
  });

  test('a request signed with another secret is refused', async () => {
    await expect(client('wrong-secret').send(new DescribeAlarmsCommand({}))).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
      $metadata: { httpStatusCode: 403 },
    });
  });
});

describe("shipline's reader (shared/cloudwatch.ts)", () => {
  const env = () => ({
    AWS_ENDPOINT_URL_CLOUDWATCH: cw.url,
    AWS_ACCESS_KEY_ID: cw.accessKeyId,
    AWS_SECRET_ACCESS_KEY: cw.secretAccessKey,
  });

  async function withEnv<T>(run: () => Promise<T>): Promise<T> {
    const saved = { ...process.env };
    Object.assign(process.env, env(), {
      AWS_CONFIG_FILE: '/nonexistent',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    try {
      return await run();
    } finally {
      process.env = saved;
    }
  }

  test('reads a prefix across pages, and stops at its page bound', async () => {
    for (let i = 0; i < PAGE_SIZE * MAX_PAGES + 5; i++) cw.addAlarm(`api-${String(i).padStart(4, '0')}`);
    cw.setState('api-0003', 'ALARM', 'Threshold Crossed');
    const read = await withEnv(() =>
      new CloudWatchAlarms({ region: cw.region, requestMs: 5000 }).read(
        { prefix: 'api-' },
        new AbortController().signal,
        5000,
      ),
    );
    expect(read.truncated).toBe(true);
    expect(read.alarms).toHaveLength(PAGE_SIZE * MAX_PAGES);
    expect(read.alarms.find((a) => a.name === 'api-0003')).toMatchObject({
      state: 'ALARM',
      reason: 'Threshold Crossed',
    });
    expect(read.alarms[0]?.since).toBeInstanceOf(Date);
    cw.alarms.clear();
    cw.addAlarm('api-one');
    const small = await withEnv(() =>
      new CloudWatchAlarms({ region: cw.region, requestMs: 5000 }).read(
        { prefix: 'api-' },
        new AbortController().signal,
        5000,
      ),
    );
    expect(small).toMatchObject({ truncated: false, alarms: [{ name: 'api-one', state: 'OK' }] });
  });
});
