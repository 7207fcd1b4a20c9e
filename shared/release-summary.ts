// How a release reads in a job summary. A release of several services (Railway) is one line per service: its
// name next to its service id, its deployment id, how it ended and its URL; any other release is its id.
// Railway's `serviceId=deploymentId,…` release id is for machines (outputs, the ledger), never shown to people.
import type { Release } from './providers/provider.js';
import { codeSpan, escapeMarkdown } from './sanitise.js';
import { type Markdown, markdown } from './summary.js';

function serviceName(s: { service: string; name?: string }): string {
  return s.name ? `**${escapeMarkdown(s.name)}** (${codeSpan(s.service)})` : codeSpan(s.service);
}

/** A summary cell naming the release; with `urls`, each service's (or the release's) URL too. */
export function releaseCell(release: Release | undefined, options: { urls?: boolean } = {}): Markdown | string | undefined {
  if (!release) return undefined;
  if (!release.services?.length) return options.urls && release.url ? `${release.id} (${release.url})` : release.id;
  const lines = release.services.map((s) => {
    const deployment = s.id ? codeSpan(s.id) : 'no deployment';
    const state = s.state ? ` ${escapeMarkdown(s.state)}` : '';
    const url = options.urls && s.url ? ` ${escapeMarkdown(s.url)}` : '';
    return `${serviceName(s)}: ${deployment}${state}${url}`;
  });
  return markdown(lines.join('\n'));
}

/** A summary cell with every service's URL, by name; for a single-service release, `url` or its own. */
export function urlCell(release: Release | undefined, url?: string): Markdown | string | undefined {
  const services = release?.services?.filter((s) => s.url) ?? [];
  if (services.length === 0) return url ?? release?.url;
  return markdown(services.map((s) => `${escapeMarkdown(s.name ?? s.service)}: ${escapeMarkdown(s.url)}`).join('\n'));
}

/** The release in one line of plain text (for an outcome sentence): `backend dpl-1, frontend dpl-2`, else its id. */
export function releaseLabel(release: Release): string {
  if (!release.services?.length) return release.id;
  return release.services.map((s) => `${s.name ?? s.service} ${s.id || '(no deployment)'}`).join(', ');
}
