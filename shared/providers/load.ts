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

/**
 * The shape of each provider's release ids (Release.id), as a person names one (rollback's `target`): read before
 * the provider is loaded, so a target is resolved, and a wrong one refused, with the other inputs.
 * `commit`: the release id is the commit SHA itself (Supabase functions carry no id of their own).
 */
export const RELEASE_IDS: Record<ProviderName, { pattern: RegExp; form: string; commit?: true }> = {
  // Deployment ids (dpl_…); GET /v13/deployments/{idOrUrl} also takes a deployment's hostname.
  vercel: {
    pattern: /^(dpl_[\w-]+|[a-z0-9-]+(\.[a-z0-9-]+)+)$/i,
    form: 'a Vercel deployment id (dpl_…) or deployment hostname',
  },
  // 24 hex digits (a MongoDB ObjectId): the same form as a commit SHA abbreviated to 24 digits.
  netlify: { pattern: /^[0-9a-f]{24}$/i, form: 'a Netlify deploy id (24 hex digits)' },
  // Release ids as railway.ts writes them (serviceId=deploymentId pairs, comma separated), or one deployment id (a UUID).
  railway: {
    pattern: /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[\w-]+=[\w-]+(,\s*[\w-]+=[\w-]+)*)$/i,
    form: 'a Railway deployment id (a UUID) or serviceId=deploymentId pairs',
  },
  ecs: {
    pattern: /^(arn:aws[\w-]*:ecs:[\w-]+:\d{12}:task-definition\/)?[\w-]{1,255}:\d+$/,
    form: 'an ECS task definition ARN or family:revision',
  },
  'supabase-functions': {
    pattern: /^[0-9a-f]{7,40}$/i,
    form: 'a commit SHA (a Supabase functions release is named by its commit)',
    commit: true,
  },
};

/** `container=image` pairs, one per line or comma. */
const images = field<Record<string, string>>((raw) => {
  const pairs = (raw ?? '')
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
  const parsed = pairs.map((p) => /^([\w-]+)=(\S+)$/.exec(p));
  return parsed.every(Boolean)
    ? { ok: true, value: Object.fromEntries(parsed.map((m) => [m?.[1] as string, m?.[2] as string])) }
    : {
        ok: false,
        expected:
          'must be container=image pairs (web=123456789012.dkr.ecr.us-east-1.amazonaws.com/web:sha), comma or newline separated',
      };
});

/** The inputs of every action that talks to a provider (deploy, rollback), validated the same way. */
export const providerInputs = {
  provider: oneOf(PROVIDERS),
  token: text(),
  project: text(),
  team: text(),
  // The provider token goes with every request: over plain http only to a loopback stand-in, never across a network.
  'api-url': url({ httpsOnly: true }),
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
  return REQUIRED[provider]
    .filter(([name]) => !raw[name])
    .map(([name, form]) => `Input '${name}' is required with provider ${provider} (${form})`);
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

export function providerConfig(
  inputs: ProviderInputValues,
  workspace: string,
  git?: ProviderConfig['git'],
): ProviderConfig {
  return {
    token: inputs.token,
    project: inputs.project,
    team: inputs.team || undefined,
    apiUrl: inputs['api-url'],
    workspace,
    railway: {
      environmentId: inputs['railway-environment'],
      services: inputs.services,
      tokenType: inputs['railway-token-type'],
    },
    ecs: {
      cluster: inputs.cluster,
      service: inputs.service,
      taskDefinition: inputs['task-definition'] || undefined,
      images: inputs.images,
      region: inputs['aws-region'] || undefined,
    },
    functions: inputs.functions,
    git: git?.token ? git : undefined,
  };
}
