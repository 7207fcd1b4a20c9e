// The official client judges what the ECS stand-in (cli/sandbox/ecs.ts) says of the service's load balancer, which a
// staged deploy reads before anything changes: with blue/green's listeners, DescribeServices names the alternate
// target group and the production and test listener rules (loadBalancers[].advancedConfiguration, as
// @aws-sdk/client-ecs's LoadBalancer model has them); without, a plain target group and no test listener.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { type FakeEcs, startFakeEcs } from '../cli/sandbox/ecs.js';

let ecs: FakeEcs;
let client: ECSClient;

beforeAll(async () => {
  ecs = await startFakeEcs({ stepMs: 40, minuteMs: 200 });
  client = new ECSClient({
    region: ecs.region,
    endpoint: ecs.url,
    maxAttempts: 1,
    credentials: { accessKeyId: ecs.accessKeyId, secretAccessKey: ecs.secretAccessKey },
  });
});
afterAll(async () => {
  client.destroy();
  await ecs.close();
});

const loadBalancers = async () =>
  (await client.send(new DescribeServicesCommand({ cluster: ecs.cluster, services: [ecs.serviceName] }))).services?.[0]
    ?.loadBalancers;

describe("the service's load balancer, as DescribeServicesCommand reads it", () => {
  test('with blue/green listeners: the alternate target group and the production and test listener rules', async () => {
    ecs.blueGreenListeners = true;
    const [lb] = (await loadBalancers()) ?? [];
    expect(lb?.targetGroupArn).toMatch(/^arn:aws:elasticloadbalancing:.*:targetgroup\/api-blue\//);
    expect(lb?.advancedConfiguration).toEqual({
      alternateTargetGroupArn: expect.stringMatching(/:targetgroup\/api-green\//),
      productionListenerRule: expect.stringMatching(/:listener-rule\//),
      testListenerRule: expect.stringMatching(/:listener-rule\//),
      roleArn: expect.stringMatching(/^arn:aws:iam::\d{12}:role\//),
    });
  });

  test('without: a plain target group, no test listener rule', async () => {
    ecs.blueGreenListeners = false;
    const [lb] = (await loadBalancers()) ?? [];
    expect(lb?.targetGroupArn).toMatch(/:targetgroup\/api-blue\//);
    expect(lb?.advancedConfiguration).toBeUndefined();
    ecs.blueGreenListeners = true;
  });
});
