// notify: build the message for a pipeline event, deliver it, and report what happened in outputs and the summary.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { failureMessage, ShiplineError } from '../../../shared/errors.js';
import { type RunContext, readRunContext } from '../../../shared/run-context.js';
import { info, setOutput, warning } from '../../../shared/runner.js';
import { appendSummary, facts } from '../../../shared/summary.js';
import { fitToLimits } from './block-kit-limits.js';
import { buildEvent, formatDuration, type PipelineEvent } from './event.js';
import { MAX_PAYLOAD_DEPTH, type NotifyInputs, payloadTooDeep } from './inputs.js';
import { buildMessage, renderPayload, type SlackMessage, templateVariables } from './message.js';
import { boundFrom, type Delivery, sendBot, sendWebhook } from './slack.js';

export interface NotifyDeps {
  context: RunContext;
  now: () => Date;
  deliver: (inputs: NotifyInputs, message: SlackMessage) => Promise<Delivery>;
}

function defaultDeps(): NotifyDeps {
  return { context: readRunContext(), now: () => new Date(), deliver };
}

function deliver(inputs: NotifyInputs, message: SlackMessage): Promise<Delivery> {
  // Input 'timeout' bounds the whole delivery, retries and rate-limit waits included.
  const bound = boundFrom(inputs.timeout);
  const token = inputs['bot-token'];
  if (token)
    return sendBot(
      {
        apiUrl: inputs['slack-api-url'] ?? 'https://slack.com/api',
        token,
        channel: inputs.channel,
        ts: inputs.ts || undefined,
      },
      message,
      bound,
    );
  return sendWebhook(inputs['webhook-url'] as string, message, bound);
}

function readPayloadFile(path: string, workspace: string): Record<string, unknown> {
  const full = resolve(workspace, path);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (error) {
    throw new ShiplineError(
      `Input 'payload-file': cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  try {
    const value = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      if (payloadTooDeep(value))
        throw new ShiplineError(
          `Input 'payload-file': ${path} is nested more than ${MAX_PAYLOAD_DEPTH} levels deep (a Slack message nests under 10)`,
        );
      return value;
    }
  } catch (error) {
    throw new ShiplineError(`Input 'payload-file': ${path} is not valid JSON (${(error as Error).message})`);
  }
  throw new ShiplineError(
    `Input 'payload-file': ${path} must hold a JSON object (a Slack message with text and/or blocks)`,
  );
}

function composeMessage(inputs: NotifyInputs, event: PipelineEvent, workspace: string): SlackMessage {
  if (inputs.payload) return renderPayload(inputs.payload, templateVariables(event), "Input 'payload'");
  if (inputs['payload-file'])
    return renderPayload(
      readPayloadFile(inputs['payload-file'], workspace),
      templateVariables(event),
      `Input 'payload-file' (${inputs['payload-file']})`,
    );
  return buildMessage(event);
}

function summarize(event: PipelineEvent, outcome: string, cuts: string[]): string {
  const lines = [
    `### ${event.summaryTitle}`,
    facts([
      ['Status', event.status],
      ['Environment', event.environment],
      ['URL', event.url],
      ['Commit', event.shortSha && `${event.shortSha} ${event.commitSubject}`.trim()],
      ['Ref', event.ref],
      ['Actor', event.actor],
      ['Duration', formatDuration(event.durationMs)],
      ['Slack', outcome],
    ]),
  ];
  if (cuts.length > 0) lines.push(`Cut to Slack's Block Kit limits: ${cuts.join('; ')}.`);
  return lines.join('\n\n');
}

function describeDelivery(d: Delivery): string {
  if (d.mode === 'webhook') return 'posted through the incoming webhook';
  return `${d.action} message ${d.ts} in ${d.channel}`;
}

export async function run(inputs: NotifyInputs, deps: NotifyDeps = defaultDeps()): Promise<void> {
  const event = buildEvent(inputs, deps.context, deps.now());
  setOutput('status', event.status);
  const { message, cuts } = fitToLimits(composeMessage(inputs, event, deps.context.workspace));
  for (const cut of cuts) warning(`Slack message ${cut} to fit Block Kit limits.`);

  let delivery: Delivery;
  try {
    delivery = await deps.deliver(inputs, message);
  } catch (error) {
    setOutput('delivered', 'false');
    appendSummary(summarize(event, `not delivered: ${failureMessage(error).split('\n')[0]}`, cuts));
    if (inputs['fail-on-error']) throw error;
    warning(`Slack notification not delivered (fail-on-error is false): ${failureMessage(error)}`);
    return;
  }
  setOutput('delivered', 'true');
  if (delivery.ts) setOutput('ts', delivery.ts);
  if (delivery.channel) setOutput('channel', delivery.channel);
  info(`Slack: ${describeDelivery(delivery)}.`);
  appendSummary(summarize(event, describeDelivery(delivery), cuts));
}
