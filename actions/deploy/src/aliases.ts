// Alias templates: {{PR_NUMBER}}, {{BRANCH}} and {{SHA}} filled in from the run, as DNS-safe labels.
import { ShiplineError } from '../../../shared/errors.js';

/** A branch name as a DNS label: lower case, [a-z0-9-], at most 63 characters, no leading or trailing dash. */
export function dnsLabel(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
}

export function expandAlias(template: string, values: { prNumber?: number; branch: string; sha: string }): string {
  const missing: string[] = [];
  const alias = template.replace(/\{\{\s*(PR_NUMBER|BRANCH|SHA)\s*\}\}/g, (_, name: string) => {
    if (name === 'PR_NUMBER') {
      if (values.prNumber === undefined) missing.push('{{PR_NUMBER}} (this run is not for a pull request)');
      return String(values.prNumber ?? '');
    }
    if (name === 'BRANCH') return dnsLabel(values.branch);
    return values.sha.slice(0, 7);
  });
  if (missing.length > 0)
    throw new ShiplineError(`Input 'aliases': cannot fill ${missing.join(', ')} in '${template}'`);
  return alias;
}
