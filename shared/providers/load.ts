// The one place that maps a provider name to its module. Each is a dynamic import, so ncc puts every provider
// (and its SDK) in its own lazy chunk and a deploy loads only the one it uses.
import { oneOf, text, url } from '../inputs.js';
import type { Provider, ProviderConfig } from './provider.js';

export const PROVIDERS = ['vercel'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export async function loadProvider(name: ProviderName, config: ProviderConfig): Promise<Provider> {
  switch (name) {
    case 'vercel': {
      const { VercelProvider } = await import('./vercel.js');
      return new VercelProvider(config);
    }
  }
}

/** The inputs every action that talks to a provider takes (deploy, rollback), validated the same way. */
export const providerInputs = {
  provider: oneOf(PROVIDERS),
  token: text({ required: true, expected: "the provider's API token" }),
  project: text({ required: true, expected: 'a project ID or name' }),
  team: text(),
  'api-url': url(),
};

export function providerConfig(inputs: { token: string; project: string; team: string; 'api-url'?: string }): ProviderConfig {
  return { token: inputs.token, project: inputs.project, team: inputs.team || undefined, apiUrl: inputs['api-url'] };
}
