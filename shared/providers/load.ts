// The one place that maps a provider name to its module, and the inputs every action that talks to a provider
// takes. Each provider is a dynamic import, so ncc puts every provider (and its SDK) in its own lazy chunk and a
// deploy loads only the one it uses: a Vercel deploy never loads the AWS SDK.
import { field, list, oneOf, type RawInputs, text, url } from '../inputs.js';
import type { Provider, ProviderConfig } from './provider.js';

export const PROVIDERS = ['vercel', 'netlify', 'railway', 'ecs', 'supabase-functions'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export async function loadProvider(name: ProviderName, config: ProviderConfig): Promise<Provider> {
  switch (name) {
    case 'vercel': {
      const { VercelProvider } = await import('./vercel.js');
      return new VercelProvider(config);
    }
    case 'netlify': {
      const { NetlifyProvider } = await import('./netlify.js');
      return new NetlifyProvider(config);
    }
    case 'railway': {
      const { RailwayProvider } = await import('./railway.js');
      return new RailwayProvider(config);
    }
    case 'ecs': {
      const { EcsProvider } = await import('./ecs.js');
      return new EcsProvider(config);
    }
    case 'supabase-functions': {
      const { SupabaseFunctionsProvider } = await import('./supabase-functions.js');
      return new SupabaseFunctionsProvider(config);
    }
  }
}

/** `container=image` pairs, one per line or comma. */
const images = field<Record<string, string>>((raw) => {
  const pairs = (raw ?? '')
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
  const parsed = pairs.map((p) => /^([\w-]+)=(\S+)$/.exec(p));
  return parsed.every(Boolean)
    ? { ok: true, value: Object.fromEntries(parsed.map((m) => [m?.[1] as string, m?.[2] as string])) }
    : { ok: false, expected: 'must be container=image pairs (web=123456789012.dkr.ecr.us-east-1.amazonaws.com/web:sha), comma or newline separated' };
});

/** The inputs of every action that talks to a provider (deploy, rollback), validated the same way. */
export const providerInputs = {
  provider: oneOf(PROVIDERS),
  token: text(),
  project: text(),
  team: text(),
  'api-url': url(),
  'railway-environment': text(),
  services: list(),
  'railway-token-type': oneOf(['project', 'account'], { default: 'project' }),
  cluster: text(),
  service: text(),
  'task-definition': text(),
  images,
  'aws-region': text(),
  functions: list(),
};

/** Which inputs each provider needs: checked with the other rules, so every missing one is named at once. */
const REQUIRED: Record<ProviderName, [string, string][]> = {
  vercel: [
    ['token', 'a Vercel access token'],
    ['project', 'a Vercel project ID (prj_…) or name'],
  ],
  netlify: [
    ['token', 'a Netlify personal access token'],
    ['project', 'a Netlify site ID'],
  ],
  railway: [
    ['token', 'a Railway project or account token'],
    ['project', 'a Railway project ID'],
    ['railway-environment', 'a Railway environment ID'],
    ['services', 'one or more Railway service IDs'],
  ],
  ecs: [
    ['cluster', 'an ECS cluster name or ARN'],
    ['service', 'an ECS service name or ARN'],
  ],
  'supabase-functions': [
    ['token', 'a Supabase access token (sbp_…)'],
    ['project', 'a Supabase project ref'],
  ],
};

export function providerRules(raw: RawInputs): string[] {
  const provider = raw.provider as ProviderName | undefined;
  if (!provider || !(provider in REQUIRED)) return [];
  return REQUIRED[provider].filter(([name]) => !raw[name]).map(([name, form]) => `Input '${name}' is required with provider ${provider} (${form})`);
}

type ProviderInputValues = {
  token: string;
  project: string;
  team: string;
  'api-url'?: string;
  'railway-environment': string;
  services: string[];
  'railway-token-type': 'project' | 'account';
  cluster: string;
  service: string;
  'task-definition': string;
  images: Record<string, string>;
  'aws-region': string;
  functions: string[];
};

export function providerConfig(inputs: ProviderInputValues, workspace: string, git?: ProviderConfig['git']): ProviderConfig {
  return {
    token: inputs.token,
    project: inputs.project,
    team: inputs.team || undefined,
    apiUrl: inputs['api-url'],
    workspace,
    railway: { environmentId: inputs['railway-environment'], services: inputs.services, tokenType: inputs['railway-token-type'] },
    ecs: { cluster: inputs.cluster, service: inputs.service, taskDefinition: inputs['task-definition'] || undefined, images: inputs.images, region: inputs['aws-region'] || undefined },
    functions: inputs.functions,
    git: git?.token ? git : undefined,
  };
}
