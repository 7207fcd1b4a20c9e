// Every job summary the demo writes (the real bundles through the runner contract), read as a person reads it:
// rendered by marked (GFM) and looked at for what shows before anything is unfolded. Two stories: Vercel, whose
// failed release was staged and never went live (the rollback changes nothing), and Railway, whose failed release
// was live and is rolled back, with two services per release.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { marked } from 'marked';
import { type DemoProvider, type DemoResult, formatStep, runDemo } from '../cli/demo.js';
import { TEXT_PICTOGRAPHS } from '../shared/summary.js';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const emojiIn = (text: string) =>
  [...text.matchAll(/\p{Extended_Pictographic}|\u{FE0F}/gu)].map((m) => m[0]).filter((c) => !TEXT_PICTOGRAPHS.has(c));
/** The page's text before anything is unfolded: no folded bodies, no link targets, no tags. */
const shown = (markdown: string) =>
  (marked.parse(markdown, { gfm: true }) as string)
    .replace(/<\/summary>[\s\S]*?<\/details>/g, '</summary></details>')
    .replace(/href="[^"]*"/g, '')
    .replace(/<[^>]+>/g, ' ');

interface Story {
  result: DemoResult;
  out: string;
  /** Each step's summary, in step order. */
  summaries: string[];
}

describe('the demo’s summaries as a person sees them', () => {
  const stories = new Map<DemoProvider, Story>();
  beforeAll(async () => {
    for (const provider of ['vercel', 'railway'] as DemoProvider[]) {
      const out = mkdtempSync(join(tmpdir(), `summary-demo-${provider}-`));
      const result = await runDemo({ provider, out });
      const summaries = readdirSync(out)
        .filter((f) => f.endsWith('.md'))
        .sort()
        .map((f) => readFileSync(join(out, f), 'utf8'));
      stories.set(provider, { result, out, summaries });
    }
  }, 300_000);
  afterAll(() => {
    for (const { out } of stories.values()) rmSync(out, { recursive: true, force: true });
  });

  test('no summary holds a colour emoji (an empty box without an emoji font)', () => {
    for (const [provider, { summaries }] of stories) {
      expect(summaries.length).toBeGreaterThan(10);
      for (const text of summaries)
        expect({ provider, step: text.split('\n')[0], emoji: emojiIn(text) }).toEqual({
          provider,
          step: text.split('\n')[0],
          emoji: [],
        });
    }
  });

  test('Railway cards are headed by service names and short ids; no full UUID shows until unfolded', () => {
    const { summaries } = stories.get('railway') as Story;
    const cards = summaries.filter((text) => /^### (Deploy|Rollback): railway/m.test(text));
    expect(cards.length).toBeGreaterThanOrEqual(3);
    for (const card of cards) {
      const text = shown(card);
      expect({ card: card.split('\n')[0], uuids: text.match(UUID) }).toEqual({
        card: card.split('\n')[0],
        uuids: null,
      });
      expect(text).toMatch(/backend\s+[0-9a-f]{8}\b/);
      expect(text).toMatch(/frontend\s+[0-9a-f]{8}\b/);
      expect(card.match(UUID)?.length).toBeGreaterThanOrEqual(4); // the full ids are there, folded
    }
    const timeline = (stories.get('railway') as Story).result.steps.map(formatStep).join('\n');
    expect(timeline.match(UUID)).toBeNull();
  });

  test('one true thing per release: a rollback that changed nothing is never followed by "rolled back"', () => {
    const seen = { unchanged: 0, restored: 0 };
    for (const [provider, { result, summaries }] of stories) {
      result.steps.forEach((step, i) => {
        if (step.action !== 'rollback') return;
        const release = step.name.split(':')[0] as string;
        const later = result.steps
          .map((s, j) => ({ s, j }))
          .filter(({ s, j }) => j > i && s.name.startsWith(`${release}:`));
        const notify = later.find(({ s }) => s.action === 'notify');
        const said = [
          summaries[i] ?? '',
          ...later.map(({ j }) => summaries[j] ?? ''),
          ...later.map(({ s, j }) => formatStep(s, j)),
        ]
          .map(shown)
          .join('\n');
        const where = `${provider} ${release}`;
        if (step.outputs.changed === 'false') {
          seen.unchanged++;
          expect({ where, outcome: /Outcome\s+no change/.test(shown(summaries[i] ?? '')) }).toEqual({
            where,
            outcome: true,
          });
          expect({ where, rolledBack: /rolled[ -]back/i.test(said), status: notify?.s.outputs.status }).toEqual({
            where,
            rolledBack: false,
            status: 'failed',
          });
        } else {
          seen.restored++;
          expect({ where, status: notify?.s.outputs.status, noChange: /no change/i.test(said) }).toEqual({
            where,
            status: 'rolled-back',
            noChange: false,
          });
        }
      });
    }
    expect(seen).toEqual({ unchanged: 1, restored: 1 });
  });
});
