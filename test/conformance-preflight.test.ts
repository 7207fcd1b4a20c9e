// The official descriptions and clients are the judge of what the production preflight reads from the stand-ins:
// - GitHub: the environment (GET …/environments/{name}) and the list (GET …/environments), read through
//   Octokit (shared/github.ts), validate against @octokit/openapi, the required_reviewers rule against its own
//   branch of GitHub's anyOf (the loose anyOf alone would accept any object with id, node_id and type);
// - Vercel: the project with a Git link passes @vercel/sdk's getProject (its zod schema), which returns the link;
// - Netlify: @netlify/api getSite returns the build settings, and each of their fields is one of Netlify's own
//   (@netlify/open-api repoInfo) with its type;
// - Railway: the query the provider sends validates against Railway's own schema, with its variables.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { NetlifyAPI } from '@netlify/api';
import { Vercel } from '@vercel/sdk';
import {
  buildClientSchema,
  type IntrospectionQuery,
  Kind,
  type OperationDefinitionNode,
  parse,
  validate,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import { type FakeNetlify, startFakeNetlify } from '../cli/sandbox/netlify.js';
import { type FakeRailway, startFakeRailway } from '../cli/sandbox/railway.js';
import { type FakeVercel, startFakeVercel } from '../cli/sandbox/vercel.js';
import { createGitHubClient, splitRepository } from '../shared/github.js';
import { RailwayProvider } from '../shared/providers/railway.js';

const require = createRequire(import.meta.url);
const Ajv = require('ajv') as typeof import('ajv').default;
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;

let github: FakeGitHub;
let vercel: FakeVercel;
let netlify: FakeNetlify;
let railway: FakeRailway;

beforeAll(async () => {
  [github, vercel, netlify, railway] = await Promise.all([
    startFakeGitHub(),
    startFakeVercel(),
    startFakeNetlify(),
    startFakeRailway(),
  ]);
});
afterAll(async () => {
  await Promise.all([github.close(), vercel.close(), netlify.close(), railway.close()]);
});

describe('GitHub environments, against GitHub’s OpenAPI description', () => {
  type Spec = {
    paths: Record<
      string,
      Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>
    >;
    components: { schemas: Record<string, unknown> };
  };
  const spec = require('@octokit/openapi/generated/api.github.com.json') as Spec;
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema(spec as object, 'github');
  const validator = (ref: string) => {
    const validate = ajv.compile({ $ref: `github#/${ref}` });
    return (data: unknown) => (validate(data) ? [] : [ajv.errorsText(validate.errors, { separator: '; ' })]);
  };
  const response = (path: string) =>
    `paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/get/responses/200/content/application~1json/schema`;

  test('get-environment and get-all-environments answers validate; the reviewers rule is GitHub’s required_reviewers shape', async () => {
    github.setEnvironment('production', {
      reviewers: ['octocat', 'team:release-managers'],
      preventSelfReview: true,
      waitTimer: 5,
    });
    github.setEnvironment('staging', {});
    const client = await createGitHubClient({ token: github.token, apiUrl: github.url });
    const { owner, repo } = splitRepository(github.repository);
    const one = (await client.rest.repos.getEnvironment({ owner, repo, environment_name: 'production' })).data;
    const all = (await client.rest.repos.getAllEnvironments({ owner, repo, per_page: 100 })).data;

    expect(validator(response('/repos/{owner}/{repo}/environments/{environment_name}'))(one)).toEqual([]);
    expect(validator(response('/repos/{owner}/{repo}/environments'))(all)).toEqual([]);
    const reviewersRule = validator('components/schemas/environment/properties/protection_rules/items/anyOf/1');
    const rule = one.protection_rules?.find((r) => r.type === 'required_reviewers');
    expect(reviewersRule(rule)).toEqual([]);
    // Each reviewer is exactly one of GitHub's two kinds.
    const users = validator('components/schemas/simple-user');
    const teams = validator('components/schemas/team');
    const reviewers = (rule as { reviewers?: { type: string; reviewer: unknown }[] }).reviewers ?? [];
    expect(reviewers.map((r) => [r.type, (r.type === 'User' ? users : teams)(r.reviewer)])).toEqual([
      ['User', []],
      ['Team', []],
    ]);
    expect(
      reviewers.map(
        (r) => (r.reviewer as { login?: string; slug?: string }).login ?? (r.reviewer as { slug?: string }).slug,
      ),
    ).toEqual(['octocat', 'release-managers']);
    expect(all.environments?.map((e) => e.name).sort()).toEqual(['production', 'staging']);
    expect(all.environments?.find((e) => e.name === 'staging')?.protection_rules).toEqual([]);
  });
});

describe('Vercel: @vercel/sdk reads the project’s Git link', () => {
  test('getProject parses the fake’s project and returns its link and root directory', async () => {
    const sdk = new Vercel({ bearerToken: vercel.token, serverURL: vercel.url, retryConfig: { strategy: 'none' } });
    vercel.connectGit({ org: 'shipline', repo: 'example-app', productionBranch: 'main', rootDirectory: 'web' });
    const linked = await sdk.projects.getProject({ idOrName: vercel.projectId, teamId: vercel.teamId });
    expect(linked.link).toMatchObject({
      type: 'github',
      org: 'shipline',
      repo: 'example-app',
      productionBranch: 'main',
    });
    expect(linked.rootDirectory).toBe('web');
    vercel.disconnectGit();
    expect((await sdk.projects.getProject({ idOrName: vercel.projectId, teamId: vercel.teamId })).link).toBeUndefined();
  });
});

describe('Netlify: @netlify/api reads the site’s build settings', () => {
  test('getSite returns them, and every field is one of Netlify’s own with its type', async () => {
    const url = new URL(netlify.url);
    const api = new NetlifyAPI(netlify.token, { scheme: 'http', host: url.host, pathPrefix: url.pathname });
    netlify.linkRepository({ repo: 'shipline/example-app', branch: 'main', stopBuilds: true });
    const site = await api.getSite({ site_id: netlify.siteId });
    expect(site.build_settings).toMatchObject({
      provider: 'github',
      repo_url: 'https://github.com/shipline/example-app',
      repo_branch: 'main',
      stop_builds: true,
    });

    const swagger = require('@netlify/open-api/dist/swagger.json') as {
      definitions: { site: { properties: { build_settings: object } } };
    };
    const ajv = new Ajv({ strict: false, allErrors: true });
    // Netlify's description lists the fields without closing the object: closed here, so a field it does not know fails.
    const validate = ajv.compile({
      ...swagger.definitions.site.properties.build_settings,
      additionalProperties: false,
    });
    expect(validate(site.build_settings) ? [] : validate.errors).toEqual([]);
    netlify.unlinkRepository();
    expect((await api.getSite({ site_id: netlify.siteId })).build_settings).toEqual({});
  });
});

describe('Railway: the source and trigger query, against Railway’s schema', () => {
  test('validates with its variables, and reads the trigger of the connected service', async () => {
    const reference = buildClientSchema(
      (
        JSON.parse(readFileSync(fileURLToPath(new URL('fixtures/railway/schema.json', import.meta.url)), 'utf8')) as {
          data: IntrospectionQuery;
        }
      ).data,
    );
    const [backend, frontend] = railway.services.map((s) => s.id) as [string, string];
    railway.connectRepository(backend, { repo: 'shipline/example-app', branch: 'main', checkSuites: true });
    const provider = new RailwayProvider({
      token: railway.projectToken,
      project: railway.projectId,
      apiUrl: railway.url,
      workspace: '/',
      railway: { environmentId: railway.environmentId, services: [backend, frontend], tokenType: 'project' },
    });
    railway.server.requests.length = 0;
    const found = await provider.gitDeploys('main');
    expect(found.on).toBe(true);
    expect(found.detail).toContain('shipline/example-app@main once its checks pass');
    const sent = railway.server.requests.map(
      (r) => JSON.parse(r.body) as { query: string; variables: Record<string, unknown> },
    );
    expect(sent).toHaveLength(2);
    const problems: string[] = [];
    for (const { query, variables } of sent) {
      const document = parse(query);
      for (const error of validate(reference, document)) problems.push(error.message);
      const operation = document.definitions.find(
        (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
      ) as OperationDefinitionNode;
      expect(operation.operation).toBe('query');
      for (const error of getVariableValues(reference, operation.variableDefinitions ?? [], variables).errors ?? [])
        problems.push(error.message);
    }
    expect(problems).toEqual([]);
  });
});
