// How a release reads in a job summary. A release of several services (Railway) is one line per service, headed
// by what people know it by: the service's name, the deployment's short id and how it ended (and its URL). The
// full ids (UUIDs, 36 characters each) fold under that line, to copy when needed; Railway's
// `serviceId=deploymentId,…` release id is for machines (outputs, the ledger), never shown to people.
import type { Release, ServiceRelease } from './providers/provider.js';
import { escapeMarkdown } from './sanitise.js';
import { type Markdown, markdown, shortId } from './summary.js';

/** Outside text between the HTML tags of a cell is escaped as Markdown: GFM still reads it as Markdown there. */
function serviceLine(s: ServiceRelease, urls: boolean): string {
  const name = s.name
    ? `<b>${escapeMarkdown(s.name)}</b>`
    : `service <code>${escapeMarkdown(shortId(s.service))}</code>`;
  const deployment = s.id ? `<code>${escapeMarkdown(shortId(s.id))}</code>` : 'no deployment';
  const state = s.state ? ` ${escapeMarkdown(s.state)}` : '';
  const url = urls && s.url ? ` ${escapeMarkdown(s.url)}` : '';
  const ids = [
    `service <code>${escapeMarkdown(s.service)}</code>`,
    ...(s.id ? [`deployment <code>${escapeMarkdown(s.id)}</code>`] : []),
  ].join('<br>');
  return `<details><summary>${name} ${deployment}${state}${url}</summary>${ids}</details>`;
}

/** A summary cell naming the release; with `urls`, each service's (or the release's) URL too. */
export function releaseCell(
  release: Release | undefined,
  options: { urls?: boolean } = {},
): Markdown | string | undefined {
  if (!release) return undefined;
  if (!release.services?.length) return options.urls && release.url ? `${release.id} (${release.url})` : release.id;
  return markdown(release.services.map((s) => serviceLine(s, options.urls === true)).join(''));
}

/** A summary cell with every service's URL, by name; for a single-service release, `url` or its own. */
export function urlCell(release: Release | undefined, url?: string): Markdown | string | undefined {
  const services = release?.services?.filter((s) => s.url) ?? [];
  if (services.length === 0) return url ?? release?.url;
  return markdown(
    services.map((s) => `${escapeMarkdown(s.name ?? shortId(s.service))}: ${escapeMarkdown(s.url)}`).join('\n'),
  );
}

/** The release in one line of plain text (for an outcome sentence): `backend 1a2b3c4d, frontend 5e6f7a8b`, else its id. */
export function releaseLabel(release: Release): string {
  if (!release.services?.length) return release.id;
  return release.services
    .map((s) => `${s.name ?? shortId(s.service)} ${s.id ? shortId(s.id) : '(no deployment)'}`)
    .join(', ');
}
