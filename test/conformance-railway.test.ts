// Railway's own schema is the judge: the introspection of its public GraphQL API that Railway's CLI ships
// (test/fixtures/railway/schema.json; see the README beside it). Every operation our provider sends — recorded from a real run of the
// provider against the fake: deploy, a failure put back, a refused deploy call, a put-back refused, rollback, lookups — must validate against it, with its
// variables; and every type, field, argument and enum value the fake serves must exist there with the same type,
// so the fake cannot accept what Railway would refuse.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  buildClientSchema,
  buildSchema,
  type GraphQLNamedType,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isObjectType,
  isScalarType,
  type IntrospectionQuery,
  Kind,
  type OperationDefinitionNode,
  parse,
  validate,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values.js';
import { type FakeRailway, RAILWAY_SDL, startFakeRailway } from '../cli/sandbox/railway.js';
import { RailwayProvider } from '../shared/providers/railway.js';
import { Deadline } from '../shared/deadline.js';

const reference: GraphQLSchema = buildClientSchema(
  (
    JSON.parse(readFileSync(fileURLToPath(new URL('fixtures/railway/schema.json', import.meta.url)), 'utf8')) as {
      data: IntrospectionQuery;
    }
  ).data,
);
let railway: FakeRailway;
const sent: { query: string; variables: Record<string, unknown> }[] = [];

beforeAll(async () => {
  railway = await startFakeRailway({ buildMs: 300, deployMs: 100 });
  const [backend, frontend] = railway.services.map((s) => s.id) as [string, string];
  const provider = new RailwayProvider({
    token: railway.projectToken,
    project: railway.projectId,
    apiUrl: railway.url,
    workspace: '/',
    railway: { environmentId: railway.environmentId, services: [backend, frontend], tokenType: 'project' },
  });
  const spec = (sha: string) => ({
    dir: '/',
    target: 'production' as const,
    staged: false,
    git: { sha, ref: 'main' },
    idempotencyKey: sha,
  });
  const deadline = () => Deadline.in(30_000);
  const first = (await provider.deploy(spec('1'.repeat(40)), deadline())).release;
  await provider.deploy(spec('2'.repeat(40)), deadline());
  railway.failNext(frontend, 'FAILED');
  await provider.deploy(spec('3'.repeat(40)), deadline()).catch(() => undefined);
  railway.failNext(backend, 'NEEDS_APPROVAL');
  await provider.deploy(spec('4'.repeat(40)), deadline()).catch(() => undefined);
  // A release whose second service's deploy call fails: the first service's build is cancelled.
  railway.failDeployCall(frontend, 'error');
  await provider.deploy(spec('5'.repeat(40)), deadline()).catch(() => undefined);
  // A release whose put-back fails: the rest of it still runs.
  railway.failNext(frontend, 'FAILED');
  railway.failRollback(backend);
  await provider.deploy(spec('6'.repeat(40)), deadline()).catch(() => undefined);
  const live = await provider.current();
  await provider.previous(live);
  await provider.describe(first.id);
  await provider.findBySha('1111111');
  await provider.rollback(first, deadline());
  for (const r of railway.server.requests)
    sent.push(JSON.parse(r.body) as { query: string; variables: Record<string, unknown> });
}, 60_000);
afterAll(() => railway.close());

describe('the operations our Railway provider sends', () => {
  test('cover every query and mutation it uses', () => {
    const names = new Set(sent.map((s) => (parse(s.query).definitions[0] as OperationDefinitionNode).name?.value));
    expect([...names].sort()).toEqual([
      'DeploymentRollback',
      'deployment',
      'deploymentCancel',
      'deployments',
      'serviceInstanceDeployV2',
    ]);
  });

  test('the rollback is the document Railway’s CLI sends (railwayapp/cli DeploymentRollback.graphql), byte for byte', () => {
    const rollbacks = new Set(sent.filter((s) => s.query.includes('deploymentRollback')).map((s) => s.query));
    expect([...rollbacks]).toEqual(['mutation DeploymentRollback($id: String!) {\n  deploymentRollback(id: $id)\n}\n']);
  });

  test('each validates against Railway’s schema, with its variables', () => {
    const problems: string[] = [];
    for (const { query, variables } of sent) {
      const document = parse(query);
      for (const error of validate(reference, document)) problems.push(`${query.slice(0, 60)}: ${error.message}`);
      const operation = document.definitions.find(
        (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
      ) as OperationDefinitionNode;
      const coerced = getVariableValues(reference, operation.variableDefinitions ?? [], variables ?? {});
      for (const error of coerced.errors ?? []) problems.push(`${operation.name?.value}: ${error.message}`);
    }
    expect(problems).toEqual([]);
    expect(sent.length).toBeGreaterThan(20);
  });
});

describe('the fake’s schema', () => {
  const fake = buildSchema(RAILWAY_SDL);
  const own = (t: GraphQLNamedType) => !t.name.startsWith('__');

  test('every type, field, argument and enum value it serves exists in Railway’s schema with the same type', () => {
    const problems: string[] = [];
    for (const type of Object.values(fake.getTypeMap()).filter(own)) {
      const real = reference.getType(type.name);
      if (!real) {
        problems.push(`type ${type.name} is not Railway's`);
        continue;
      }
      if (real.constructor !== type.constructor)
        problems.push(`${type.name} is a ${real.constructor.name} in Railway's schema`);
      if (isScalarType(type)) continue;
      if (isEnumType(type) && isEnumType(real)) {
        const values = new Set(real.getValues().map((v) => v.name));
        for (const v of type.getValues())
          if (!values.has(v.name)) problems.push(`${type.name}.${v.name} is not a Railway value`);
      }
      if ((isObjectType(type) && isObjectType(real)) || (isInputObjectType(type) && isInputObjectType(real))) {
        const realFields = real.getFields() as Record<
          string,
          { type: unknown; args?: readonly { name: string; type: unknown }[] }
        >;
        for (const field of Object.values(type.getFields()) as {
          name: string;
          type: unknown;
          args?: readonly { name: string; type: unknown }[];
        }[]) {
          const r = realFields[field.name];
          if (!r) {
            problems.push(`${type.name}.${field.name} is not in Railway's schema`);
            continue;
          }
          if (String(r.type) !== String(field.type))
            problems.push(
              `${type.name}.${field.name}: ${String(field.type)} here, ${String(r.type)} in Railway's schema`,
            );
          for (const arg of field.args ?? []) {
            const ra = r.args?.find((a) => a.name === arg.name);
            if (!ra) problems.push(`${type.name}.${field.name}(${arg.name}) is not in Railway's schema`);
            else if (String(ra.type) !== String(arg.type))
              problems.push(
                `${type.name}.${field.name}(${arg.name}): ${String(arg.type)} here, ${String(ra.type)} in Railway's schema`,
              );
          }
          // A required argument of Railway's that the fake lacks would let the fake accept a call Railway refuses.
          for (const ra of r.args ?? []) {
            if (String(ra.type).endsWith('!') && !(field.args ?? []).some((a) => a.name === ra.name))
              problems.push(`${type.name}.${field.name} lacks Railway's required argument ${ra.name}`);
          }
        }
        if (isInputObjectType(real)) {
          for (const r of Object.values(real.getFields()))
            if (String(r.type).endsWith('!') && !(r.name in type.getFields()))
              problems.push(`${type.name} lacks Railway's required field ${r.name}`);
        }
      }
    }
    expect(problems).toEqual([]);
    // The fake's root operations are among Railway's.
    expect(
      Object.keys(fake.getQueryType()?.getFields() ?? {}).every(
        (f) => f in (reference.getQueryType()?.getFields() ?? {}),
      ),
    ).toBe(true);
    expect(
      Object.keys(fake.getMutationType()?.getFields() ?? {}).every(
        (f) => f in (reference.getMutationType()?.getFields() ?? {}),
      ),
    ).toBe(true);
  });
});
