// Sentry has no official JavaScript client for its sessions API; its published OpenAPI description is the judge
// (test/fixtures/sentry-openapi-sessions.json: operation getOrganizationSessions, extracted unchanged from
// getsentry/sentry-api-schema). The loopback Sentry's answers to the requests shipline's client sends
// (shared/sentry.ts, releaseHealth) validate against the operation's 200 response schema; every parameter the
// client sends is one the operation declares, every field one its description lists; and the stand-in computes
// what Sentry documents: crash-free rates of sessions and of distinct users, over a range widened to whole hours.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { type FakeSentry, startFakeSentry } from '../cli/sandbox/sentry.js';
import { HEALTH_FIELDS, SentryClient } from '../shared/sentry.js';

const require = createRequire(import.meta.url);
// ajv and ajv-formats are CommonJS; through require they keep their constructor and function exports.
const Ajv = require('ajv') as typeof import('ajv').default;
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;

interface Operation {
  parameters: { in: string; name: string; description: string; required?: boolean }[];
  responses: { '200': { content: { 'application/json': { schema: object } } } };
}
const operation = JSON.parse(
  readFileSync(fileURLToPath(new URL('fixtures/sentry-openapi-sessions.json', import.meta.url)), 'utf8'),
) as Operation;

const SHA = '5f0c2a9e1d3b4c6a8e7f9012345678901abcdef0';
/** Sentry's clock, moved by the test: 10:20 UTC, twenty minutes into an hour. */
let sentryTime = Date.parse('2026-12-07T10:20:00Z');
let fake: FakeSentry;
let client: SentryClient;
let validate: ReturnType<InstanceType<typeof Ajv>['compile']>;

beforeAll(async () => {
  fake = await startFakeSentry({ org: 'acme', project: 'web', otherProjects: ['api'], clock: () => sentryTime });
  client = new SentryClient({ url: fake.url, org: fake.org, project: fake.project, token: fake.token });
  await client.createRelease(SHA, ['web', 'api']);
  await client.createDeploy(SHA, { environment: 'production', dateFinished: new Date(sentryTime) });
  // OpenAPI 3.0: `nullable` is Ajv's own keyword; `double` is a number format with nothing more to check.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('double', true);
  validate = ajv.compile(operation.responses['200'].content['application/json'].schema);
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.sessions.length = 0;
  fake.server.requests.length = 0;
  sentryTime = Date.parse('2026-12-07T10:20:00Z');
});

const at = (time: string) => new Date(`2026-12-07T${time}Z`);
const sessionsRequests = () =>
  fake.server.requests.filter((r) => r.path.startsWith('/api/0/organizations/acme/sessions/'));

/** The answer to a path, as Sentry's JSON. */
async function get(path: string, token = fake.token): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(`${fake.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

function schemaErrors(body: unknown): string {
  return validate(body) ? '' : JSON.stringify(validate.errors);
}

describe("the sessions API, judged by Sentry's OpenAPI description", () => {
  test("the answer to shipline's request validates against getOrganizationSessions' 200 schema, with and without data", async () => {
    fake.recordSessions(SHA, { healthy: 180, crashed: 20, at: at('10:05:00') });
    await client.releaseHealth(SHA, 'production', '900s');
    const sent = sessionsRequests().at(-1)!.path;
    const withData = await get(sent);
    expect(withData.status).toBe(200);
    expect(schemaErrors(withData.body)).toBe('');
    // Not vacuous: the schema requires what the stand-in answers, and refuses an answer without it.
    for (const key of ['start', 'end', 'intervals', 'groups', 'query']) {
      const { [key]: _dropped, ...rest } = withData.body;
      expect({ key, errors: schemaErrors(rest) }).toEqual({ key, errors: expect.stringContaining(key) });
    }
    const { series: _series, ...groupWithoutSeries } = withData.body.groups[0];
    expect(schemaErrors({ ...withData.body, groups: [groupWithoutSeries] })).toContain('series');

    const none = await get(sent.replace(encodeURIComponent(SHA), 'unknown-release'));
    expect(none.status).toBe(200);
    expect(schemaErrors(none.body)).toBe('');
    expect(none.body.groups[0].totals['crash_free_rate(session)']).toBeNull();
  });

  test('every parameter shipline sends is one the operation declares, and every field one its description lists', async () => {
    fake.recordSessions(SHA, { healthy: 10, at: at('10:05:00') });
    await client.releaseHealth(SHA, 'production', '900s');
    const url = new URL(sessionsRequests().at(-1)!.path, fake.url);
    const declared = new Set(operation.parameters.filter((p) => p.in === 'query').map((p) => p.name));
    expect([...new Set(url.searchParams.keys())].filter((k) => !declared.has(k))).toEqual([]);
    for (const required of operation.parameters.filter((p) => p.in === 'query' && p.required))
      expect(url.searchParams.has(required.name)).toBe(true);
    // The description lists `sum(session)`, `count_unique(user)`, and `crash_rate`/`crash_free_rate` "applied to `user` or `session`".
    const field = operation.parameters.find((p) => p.name === 'field')!.description;
    const documented = new Set([...field.matchAll(/`([a-z_]+\([a-z.]+\))`/g)].map((m) => m[1]));
    for (const fn of ['crash_rate', 'crash_free_rate'])
      if (field.includes(`\`${fn}\``) && /applied to `user` or `session`/.test(field))
        for (const on of ['user', 'session']) documented.add(`${fn}(${on})`);
    expect(url.searchParams.getAll('field').filter((f) => !documented.has(f))).toEqual([]);
    expect(url.searchParams.getAll('field')).toEqual([...HEALTH_FIELDS]);
    expect(url.searchParams.get('query')).toBe(`release:"${SHA}"`);
    expect(url.searchParams.getAll('environment')).toEqual(['production']);
    // The project by its id (the release's own record of it), which Sentry reads as `project` everywhere.
    expect(url.searchParams.getAll('project')).toEqual(['4500000']);
  });

  test('crash-free rates as Sentry defines them: of sessions, and of distinct users; other releases, environments and projects apart', async () => {
    // 200 sessions of 4 users; 10 crashed, all of one user: 95% of the sessions but 75% of the users were crash-free.
    // Errored (a handled error) and abnormal sessions are not crashes.
    fake.recordSessions(SHA, {
      healthy: 180,
      errored: 5,
      abnormal: 5,
      crashed: 10,
      users: ['u1', 'u2', 'u3', 'u4'],
      crashedUsers: ['u4'],
      at: at('10:05:00'),
    });
    fake.recordSessions(SHA, { crashed: 50, environment: 'staging', at: at('10:06:00') });
    fake.recordSessions('older-release', { crashed: 50, at: at('10:06:00') });
    fake.recordSessions(SHA, { crashed: 50, project: 'api', at: at('10:06:00') });
    const health = await client.releaseHealth(SHA, 'production', '900s');
    expect(health).toMatchObject({
      start: '2026-12-07T10:00:00Z',
      end: '2026-12-07T11:00:00Z',
      sessions: 200,
      users: 4,
    });
    expect(health.crashFreeSessions).toBeCloseTo(0.95, 12);
    expect(health.crashFreeUsers).toBeCloseTo(0.75, 12);
  });

  test('the range is widened to whole hours: a period begun in the last hour counts from its top', async () => {
    sentryTime = Date.parse('2026-12-07T11:02:00Z');
    fake.recordSessions(SHA, { healthy: 7, at: at('09:59:59') });
    fake.recordSessions(SHA, { healthy: 5, crashed: 5, at: at('10:55:00') });
    fake.recordSessions(SHA, { healthy: 10, at: at('11:01:00') });
    // Ten minutes back from 11:02 is 10:52: Sentry counts from 10:00, so the crashes at 10:55 are in, 09:59 is not.
    const health = await client.releaseHealth(SHA, 'production', '600s');
    expect(health).toMatchObject({ start: '2026-12-07T10:00:00Z', end: '2026-12-07T12:00:00Z', sessions: 20 });
    expect(health.crashFreeSessions).toBe(0.75);
    const answer = await get(sessionsRequests().at(-1)!.path);
    expect(answer.body.intervals).toEqual(['2026-12-07T10:00:00Z', '2026-12-07T11:00:00Z']);
    expect(answer.body.groups[0].series['sum(session)']).toEqual([10, 10]);
  });

  test("Sentry's errors: a field it does not know, none at all, a slug for a project, an interval under an hour, no token", async () => {
    const base = '/api/0/organizations/acme/sessions/?project=4500000&statsPeriod=1h';
    expect(await get(`${base}&field=crash_free_rate(sessions)`)).toMatchObject({
      status: 400,
      body: { detail: 'Invalid field: "crash_free_rate(sessions)"' },
    });
    expect(await get(base)).toMatchObject({ status: 400, body: { detail: 'Request is missing a "field"' } });
    expect(
      await get('/api/0/organizations/acme/sessions/?project=web&statsPeriod=1h&field=sum(session)'),
    ).toMatchObject({ status: 400, body: { detail: 'Invalid project parameter. Values must be numbers.' } });
    expect(await get(`${base}&field=sum(session)&interval=10m`)).toMatchObject({
      status: 400,
      body: { detail: 'The interval has to be a multiple of the minimum interval of one hour.' },
    });
    expect(await get(`${base}&field=sum(session)`, 'not-the-token')).toMatchObject({
      status: 401,
      body: { detail: 'Invalid token' },
    });
    // An environment Sentry has never seen is a 404; the client says which input to check.
    expect(await get(`${base}&field=sum(session)&environment=qa`)).toMatchObject({ status: 404 });
    await expect(client.releaseHealth(SHA, 'qa', '60s')).rejects.toThrow(
      /knows no environment 'qa'.*sentry-environment/,
    );
  });
});

describe('rate limits, as Sentry sends them', () => {
  test('X-Sentry-Rate-Limit-* on every answer; past the limit a 429 with Retry-After, and the client sends nothing until it ends', async () => {
    let time = Date.parse('2026-12-07T10:20:00Z');
    const limited = await startFakeSentry({ clock: () => time, sessionsRateLimit: { limit: 2, windowMs: 10_000 } });
    try {
      const c = new SentryClient({
        url: limited.url,
        org: limited.org,
        project: limited.project,
        token: limited.token,
        retry: { retries: 0 },
      });
      await c.createRelease(SHA);
      await c.createDeploy(SHA, { environment: 'production', dateFinished: new Date(time) });
      const sessionsSent = () => limited.server.requests.filter((r) => r.path.includes('/sessions/')).length;
      await c.releaseHealth(SHA, 'production', '60s');
      await expect(c.releaseHealth(SHA, 'production', '60s')).resolves.toBeDefined();
      // The second answer said none is left until the window resets: the third is not sent.
      await expect(c.releaseHealth(SHA, 'production', '60s')).rejects.toThrow(/rate limited.*none was sent/);
      expect(sessionsSent()).toBe(2);
      const third = await fetch(`${limited.url}/api/0/organizations/acme/sessions/?field=sum(session)&statsPeriod=1h`, {
        headers: { authorization: `Bearer ${limited.token}` },
      });
      expect(third.status).toBe(429);
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(third.headers.get('x-sentry-rate-limit-remaining')).toBe('0');
      time += 10_000;
      const fresh = await fetch(`${limited.url}/api/0/organizations/acme/sessions/?field=sum(session)&statsPeriod=1h`, {
        headers: { authorization: `Bearer ${limited.token}` },
      });
      expect(fresh.status).toBe(200);
      expect(fresh.headers.get('x-sentry-rate-limit-limit')).toBe('2');
      expect(fresh.headers.get('x-sentry-rate-limit-remaining')).toBe('1');
    } finally {
      await limited.close();
    }
  });
});
