// What each provider can do, declared before it is loaded: a deploy input the provider cannot honour is an input
// problem, found with every other one before anything changes. Reached only after the switch, the same refusal
// would fail a deploy that had already moved production, and mark the live release failed.
import type { RawInputs } from '../inputs.js';
import type { ProviderName } from './load.js';

interface Capabilities {
  /** A production deploy that waits, ready but not live, until promoted (blue/green): target staged, command promote. */
  staging: boolean;
  /** Deploys that never serve production (target preview). */
  previews: boolean;
  /** Extra domains pointed at one deployment (input aliases). */
  aliases: boolean;
  /** Why not, in the provider's terms, for the inputs it cannot honour. */
  why: { staging?: string; previews?: string; aliases?: string };
}

const CAPABILITIES: Record<ProviderName, Capabilities> = {
  vercel: { staging: true, previews: true, aliases: true, why: {} },
  netlify: {
    staging: true,
    previews: true,
    aliases: false,
    why: {
      aliases:
        'the Netlify deploy API has no per-deploy aliases; use the draft URL (deploy_ssl_url) or a branch deploy',
    },
  },
  railway: {
    staging: false,
    previews: true,
    aliases: false,
    why: {
      staging: 'a Railway deployment goes live when it is ready',
      aliases: 'custom domains are set on the Railway service',
    },
  },
  // Staged on ECS: with blue/green, canary or linear (ecs-strategy), a staged deploy stops the service deployment at
  // a PAUSE hook after the test traffic shift, the new revision serving only the load balancer's test listener;
  // promote continues it. It needs the service's load balancer with a test listener rule (checked at deploy time)
  // and an ecs-strategy other than rolling (checked with the inputs: actions/deploy/src/ecs-staging.ts).
  ecs: {
    staging: true,
    previews: true,
    aliases: false,
    why: {
      aliases: 'domains belong to the load balancer',
    },
  },
  'supabase-functions': {
    staging: false,
    previews: false,
    aliases: false,
    why: {
      staging: 'Edge Functions go live when deployed',
      previews: 'Edge Functions go live when deployed',
      aliases: 'Edge Functions have no aliases',
    },
  },
};

/** Deploy inputs the chosen provider cannot honour, one sentence each. */
export function capabilityRules(raw: RawInputs): string[] {
  const provider = raw.provider as ProviderName | undefined;
  const can = provider ? CAPABILITIES[provider] : undefined;
  if (!provider || !can) return [];
  const problems: string[] = [];
  const target = (raw.target ?? '').trim().toLowerCase();
  const command = (raw.command ?? 'deploy').trim().toLowerCase();
  if (command !== 'deploy' && command !== 'promote') return [];
  if (!can.staging && (target === 'staged' || target === 'stage' || command === 'promote'))
    problems.push(
      `Input '${command === 'promote' ? 'command' : 'target'}': ${command === 'promote' ? 'promote' : 'staged'} is not supported with provider ${provider} (${can.why.staging}); use target production`,
    );
  if (!can.previews && (target === '' || target === 'preview'))
    problems.push(
      `Input 'target': preview is not supported with provider ${provider} (${can.why.previews}); set target production`,
    );
  if (!can.aliases && (raw.aliases ?? '').trim() !== '')
    problems.push(`Input 'aliases' is not supported with provider ${provider} (${can.why.aliases})`);
  return problems;
}
