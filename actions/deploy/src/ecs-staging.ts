// Staged releases on ECS (target staged, then command promote): what the inputs must give for ECS to hold a release
// at its test traffic shift, checked with every other input before anything changes.
//
// A staged ECS deploy runs the service deployment with ECS's blue/green, canary or linear strategy up to a PAUSE
// hook after the test traffic shift: the new revision then serves the load balancer's test listener only, and
// production is unchanged. The pause waits for ContinueServiceDeployment until ecs-pause-timeout (at most 24 h),
// then ECS rolls it back by itself. Promote continues it (shared/providers/ecs.ts).
import type { RawInputs } from '../../../shared/inputs.js';

/** What a service deployment's ARN looks like (the deployment-id a staged ECS deploy outputs). */
const SERVICE_DEPLOYMENT_ARN = /^arn:aws[\w-]*:ecs:[\w-]+:\d{12}:service-deployment\/[\w-]+\/[\w-]+\/[\w-]+$/;

export function ecsStagingRules(raw: RawInputs): string[] {
  if ((raw.provider ?? '').trim().toLowerCase() !== 'ecs') return [];
  const command = (raw.command ?? 'deploy').trim().toLowerCase();
  const problems: string[] = [];
  if (command === 'deploy' && /^(staged|stage)$/i.test((raw.target ?? '').trim())) {
    if ((raw['ecs-strategy'] ?? 'rolling').trim().toLowerCase() === 'rolling')
      problems.push(
        "Input 'ecs-strategy' must be blue-green, canary or linear with target staged on provider ecs: a staged release waits on the load balancer's test listener, which only ECS's blue/green, canary and linear deployments give it (the service needs an alternate target group and a test listener rule)",
      );
    const stages = (raw['ecs-pause-at'] ?? '').split(/[,\n]/).map((s) => s.trim().toLowerCase());
    if (stages.includes('post-scale-up'))
      problems.push(
        "Input 'ecs-pause-at' cannot include post-scale-up with target staged: the staged release's pause after the test traffic shift must be the rollout's first",
      );
  }
  const id = (raw['deployment-id'] ?? '').trim();
  if (command === 'promote' && id && !SERVICE_DEPLOYMENT_ARN.test(id))
    problems.push(
      "Input 'deployment-id' must be the service deployment ARN a staged ECS deploy output as deployment-id (arn:aws:ecs:<region>:<account>:service-deployment/<cluster>/<service>/<id>)",
    );
  else if (command === 'promote' && id) {
    // The ARN names the cluster and service it belongs to: promote never continues another service's rollout.
    const [cluster, service] = id.split('/').slice(1, 3);
    const named = (input: string) => (raw[input] ?? '').trim().split('/').pop();
    if (named('cluster') && named('service') && (cluster !== named('cluster') || service !== named('service')))
      problems.push(
        `Input 'deployment-id' is a service deployment of ${cluster}/${service}, not of input 'cluster' and 'service' (${named('cluster')}/${named('service')})`,
      );
  }
  return problems;
}
