// What rollback's `target` names, read per provider: `previous`, one of the provider's release ids, or a commit SHA.
// Each provider's ids have a shape of their own (shared/providers/load.ts, RELEASE_IDS); a value is a SHA only
// when it is 7 to 40 hex digits and not an id of the provider. A Netlify deploy id (24 hex digits) has both shapes:
// it is looked up as both, and `id:` / `sha:` say which is meant.
import { type ProviderName, RELEASE_IDS } from '../../../shared/providers/load.js';

const SHA = /^[0-9a-f]{7,40}$/i;

export type Target =
  | { kind: 'previous' }
  | { kind: 'id'; id: string }
  /** Lower-cased: GitHub records commit SHAs in lower case. */
  | { kind: 'sha'; sha: string }
  /** Both a release id and a commit SHA in form: resolved by looking up both (plan in run.ts). */
  | { kind: 'id-or-sha'; value: string };

/** The forms `target` takes with this provider, for input errors and ambiguity errors. */
export function targetForms(provider: ProviderName): string {
  const ids = RELEASE_IDS[provider];
  if (ids.commit) return `previous, or ${ids.form}`;
  return `previous, ${ids.form}, or a commit SHA (7 to 40 hex digits); prefix id: or sha: to say which is meant`;
}

/** The target `raw` names with `provider`, or the problem with it (naming the input and the forms it takes). */
export function parseTarget(provider: ProviderName, raw: string): { target: Target } | { problem: string } {
  const ids = RELEASE_IDS[provider];
  const refuse = (why: string) => ({
    problem: `Input 'target' ${why}: with provider ${provider} it takes ${targetForms(provider)}`,
  });
  if (raw === 'previous') return { target: { kind: 'previous' } };
  if (raw.startsWith('sha:')) {
    const sha = raw.slice('sha:'.length);
    return SHA.test(sha)
      ? { target: { kind: 'sha', sha: sha.toLowerCase() } }
      : refuse(`'${raw}' is not a commit SHA after sha: (7 to 40 hex digits)`);
  }
  if (raw.startsWith('id:')) {
    const id = raw.slice('id:'.length);
    if (!ids.pattern.test(id)) return refuse(`'${raw}' is not ${ids.form} after id:`);
    return { target: ids.commit ? { kind: 'sha', sha: id.toLowerCase() } : { kind: 'id', id } };
  }
  const isId = ids.pattern.test(raw);
  const isSha = SHA.test(raw);
  if (isSha && (ids.commit || !isId)) return { target: { kind: 'sha', sha: raw.toLowerCase() } };
  if (isId && isSha) return { target: { kind: 'id-or-sha', value: raw } };
  if (isId) return { target: { kind: 'id', id: raw } };
  return refuse(ids.commit ? `'${raw}' is not a commit SHA` : `'${raw}' is neither ${ids.form} nor a commit SHA`);
}
