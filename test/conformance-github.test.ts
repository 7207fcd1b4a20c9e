// GitHub's own API description is the judge of the GitHub fake: every answer the fake gives during a ledger and
// sticky-comment scenario — driven by the real @octokit/rest through shipline's own code — is validated against
// the response schema of that operation in @octokit/openapi (GitHub's official OpenAPI description).
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import { createGitHubClient } from '../shared/github.js';
import { Ledger } from '../shared/ledger.js';
import { upsertStickyComment } from '../shared/pr-comment.js';
import type { Release } from '../shared/providers/provider.js';

const require = createRequire(import.meta.url);
// ajv and ajv-formats are CommonJS; through require they keep their constructor and function exports.
const Ajv = require('ajv') as typeof import('ajv').default;
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;

interface Answer {
  method: string;
  route: string;
  status: number;
  data: unknown;
}

type Response = { $ref?: string; content?: Record<string, { schema: unknown }> };
type Spec = {
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, Response> }>>;
  components: { responses: Record<string, Response> };
};

let github: FakeGitHub;
const answers: Answer[] = [];
const graphqlAnswers: Answer[] = [];
let spec: Spec;
let ajv: InstanceType<typeof Ajv>;

beforeAll(async () => {
  github = await startFakeGitHub();
  spec = require('@octokit/openapi/generated/api.github.com.json') as Spec;
  // OpenAPI 3.0 schemas: `nullable` is understood by Ajv; `example` and x- extensions are not JSON Schema keywords.
  ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  // GitHub documents "" as the default of a status's target_url, log_url and environment_url, which its own
  // `format: uri` would refuse: both are accepted, anything else must be an absolute URI.
  const uri = ajv.formats.uri as (value: string) => boolean;
  ajv.addFormat('uri', (value: string) => value === '' || uri(value));
  ajv.addSchema(nullableAsNull(spec) as object, 'github');

  const client = await createGitHubClient({ token: github.token, apiUrl: github.url });
  // The route template Octokit requested (`/repos/{owner}/{repo}/deployments`) is the OpenAPI path key.
  // GraphQL (the token's own account, for the sticky comment) is outside the REST description: checked on its own.
  const into = (options: { url?: unknown }) => (String(options.url) === '/graphql' ? graphqlAnswers : answers);
  client.hook.after('request', (response, options) => {
    into(options).push({
      method: String(options.method),
      route: String(options.url),
      status: response.status,
      data: response.data,
    });
  });
  client.hook.error('request', (error, options) => {
    const response = (error as { response?: { status: number; data: unknown } }).response;
    if (response)
      into(options).push({
        method: String(options.method),
        route: String(options.url),
        status: response.status,
        data: response.data,
      });
    throw error;
  });

  // The ledger scenario of a deploy, a second deploy that replaces it, a failed one, a preview; then the
  // sticky comment of a pull request with more comments than one page, created, updated, and refused to a fork.
  const ledger = new Ledger(client, github.repository);
  const release = (id: string): Release => ({
    provider: 'vercel',
    id,
    url: `https://${id}.example.com`,
    target: 'production',
    state: 'READY',
  });
  const sha = 'b'.repeat(40);
  await ledger.entries('production');
  for (const id of ['dpl_one', 'dpl_two']) {
    const entry = await ledger.record({
      release: release(id),
      environment: 'production',
      sha,
      ref: 'main',
      production: true,
      transient: false,
      description: id,
      logUrl: 'https://github.com/o/r/actions/runs/1',
    });
    await ledger.setStatus(entry, 'success', {
      description: `live: ${id}`,
      environmentUrl: `https://${id}.example.com`,
      logUrl: 'https://github.com/o/r/actions/runs/1',
    });
  }
  const failed = await ledger.record({
    release: release('dpl_bad'),
    environment: 'production',
    sha,
    ref: 'main',
    production: true,
    transient: false,
    description: 'bad',
  });
  await ledger.setStatus(failed, 'failure', { description: 'smoke test failed' });
  const preview = await ledger.record({
    release: release('dpl_pr'),
    environment: 'preview',
    sha,
    ref: 'feature',
    production: false,
    transient: true,
    description: 'preview',
  });
  await ledger.setStatus(preview, 'success', { environmentUrl: 'https://pr.example.com' });
  await new Ledger(client, github.repository).entries('production');
  await ledger.fullSha(sha.slice(0, 7));
  await ledger.fullSha('1234567').catch(() => undefined);
  await ledger.newestOfCommit('production', sha);

  github.comments.set(
    7,
    Array.from({ length: 120 }, (_, i) => ({ id: i + 1, body: `comment ${i}`, created_at: '2026-11-01T00:00:00Z' })),
  );
  await upsertStickyComment(client, {
    repository: github.repository,
    issueNumber: 7,
    key: 'deploy:preview',
    body: 'first',
  });
  await upsertStickyComment(client, {
    repository: github.repository,
    issueNumber: 7,
    key: 'deploy:preview',
    body: 'second',
  });
  github.readOnlyComments = true;
  await upsertStickyComment(client, {
    repository: github.repository,
    issueNumber: 8,
    key: 'deploy:preview',
    body: 'fork',
  });
  github.readOnlyComments = false;
});
afterAll(() => github.close());

/**
 * OpenAPI 3.0's `nullable: true` beside a schema with no `type` of its own (a commit's `author`: a user, an empty
 * object, or null) is a form Ajv refuses to compile; it means the same as "that schema, or null".
 */
function nullableAsNull(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableAsNull);
  if (!node || typeof node !== 'object') return node;
  const entries = Object.entries(node as Record<string, unknown>).map(
    ([key, value]) => [key, nullableAsNull(value)] as const,
  );
  const schema = Object.fromEntries(entries);
  if (schema.nullable !== true || 'type' in schema) return schema;
  const { nullable: _nullable, ...rest } = schema;
  return { anyOf: [rest, { type: 'null' }] };
}

/**
 * The OpenAPI path of an answer: Octokit hands the route template to its hooks, except for the further pages of
 * a paginated list, which it requests by the full URL from the Link header.
 */
function routeOf(answer: Answer): string {
  if (!/^https?:/.test(answer.route)) return answer.route;
  const path = new URL(answer.route).pathname;
  return (
    Object.keys(spec.paths).find(
      (template) =>
        spec.paths[template]?.[answer.method.toLowerCase()] &&
        new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path),
    ) ?? path
  );
}

/** Ajv's path to an operation's response schema inside the spec (JSON pointer, `/` written `~1`). */
function schemaRef(answer: Answer): string | undefined {
  const route = routeOf(answer);
  const method = answer.method.toLowerCase();
  const response = spec.paths[route]?.[method]?.responses[String(answer.status)];
  const escape = (p: string) => p.replace(/~/g, '~0').replace(/\//g, '~1');
  // Shared answers (403 forbidden, 404 not_found…) are references to components.responses.
  const at = response?.$ref
    ? response.$ref.replace(/^#\//, '').split('/')
    : ['paths', route, method, 'responses', String(answer.status)];
  const resolved = response?.$ref ? spec.components.responses[at.at(-1) as string] : response;
  if (!resolved?.content?.['application/json']) return undefined;
  return `github#/${[...at, 'content', 'application/json', 'schema'].map(escape).join('/')}`;
}

describe('the GitHub fake answers as GitHub’s OpenAPI description says', () => {
  test('the scenario used every operation the ledger and the PR comment use', () => {
    const operations = new Set(
      answers.map((a) => `${spec.paths[routeOf(a)]?.[a.method.toLowerCase()]?.operationId} ${a.status}`),
    );
    expect([...operations].sort()).toEqual([
      'issues/create-comment 201',
      'issues/create-comment 403',
      'issues/list-comments 200',
      'issues/update-comment 200',
      'repos/create-deployment 201',
      'repos/create-deployment-status 201',
      'repos/get-commit 200',
      'repos/get-commit 422',
      'repos/list-deployment-statuses 200',
      'repos/list-deployments 200',
    ]);
  });

  test('every answer validates against its operation’s response schema', () => {
    const problems: string[] = [];
    for (const answer of answers) {
      const ref = schemaRef(answer);
      if (!ref) {
        problems.push(`${answer.method} ${answer.route} ${answer.status}: no such response in GitHub's description`);
        continue;
      }
      const validate = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
      if (!validate(answer.data))
        problems.push(
          `${answer.method} ${answer.route} ${answer.status}: ${ajv.errorsText(validate.errors, { separator: '; ' })}`,
        );
    }
    expect(problems).toEqual([]);
    expect(answers.length).toBeGreaterThan(20);
  });

  test("GraphQL's viewer answers with the types of GitHub's schema (User.login: String!, User.databaseId: Int)", () => {
    expect(graphqlAnswers.length).toBeGreaterThan(0);
    for (const answer of graphqlAnswers) {
      expect(answer.status).toBe(200);
      expect(answer.data).toEqual({ data: { viewer: { login: expect.any(String), databaseId: expect.any(Number) } } });
    }
  });
});
