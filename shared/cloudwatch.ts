// CloudWatch alarm states through @aws-sdk/client-cloudwatch: DescribeAlarms by name or by name prefix
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html: AlarmNames, at most
// 100, and AlarmNamePrefix cannot be given together; MaxRecords 1–100; NextToken pages). The installed client
// speaks the AWS JSON 1.0 protocol in its query-compatible form (X-Amz-Target GraniteServiceVersion20100801.<Op>,
// x-amzn-query-mode: true; errors carry the Query API's code in x-amzn-query-error). Metric and composite alarms
// are both read: a composite alarm is how teams usually say "roll back when any of these fires".
//
// Imported only when a step is given alarms (window gates import it lazily): the SDK never weighs on a cold start.
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { awsRegion, awsRequestHandler } from './aws.js';
import { inline } from './sanitise.js';

export interface AlarmState {
  name: string;
  /** StateValue: OK, ALARM or INSUFFICIENT_DATA. */
  state: string;
  /** CloudWatch's explanation of the state, e.g. "Threshold Crossed: 1 datapoint [12.0 …] was greater than …". */
  reason: string;
  /** When the alarm's state last changed (StateUpdatedTimestamp). */
  since?: Date;
}

export interface AlarmSelection {
  names?: string[];
  prefix?: string;
}

/** A page of DescribeAlarms holds at most this many alarms of each type (the API's own maximum). */
export const PAGE_SIZE = 100;
/** Pages read per prefix per tick: 1,000 alarms of a prefix is a prefix that names too much. */
export const MAX_PAGES = 10;

export interface AlarmsRead {
  alarms: AlarmState[];
  /** The page bound stopped the reading with alarms still unread. */
  truncated: boolean;
}

/** What the SDK's error says, with the hint people act on for the errors that are theirs to fix. */
export function describeAwsError(error: unknown): string {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number; attempts?: number } };
  const status = e?.$metadata?.httpStatusCode;
  const attempts = e?.$metadata?.attempts;
  const name = e?.name ?? 'Error';
  let hint = '';
  if (name === 'AccessDenied' || name === 'AccessDeniedException') hint = ' (the role needs cloudwatch:DescribeAlarms)';
  if (
    name === 'CredentialsProviderError' ||
    name === 'UnrecognizedClientException' ||
    name === 'InvalidClientTokenId' ||
    name === 'ExpiredToken' ||
    name === 'SignatureDoesNotMatch' ||
    name === 'InvalidSignatureException'
  )
    hint = ' (AWS credentials come from the environment: add aws-actions/configure-aws-credentials before this step)';
  const where = [status ? `HTTP ${status}` : '', attempts && attempts > 1 ? `${attempts} attempts` : '']
    .filter(Boolean)
    .join(', ');
  return `CloudWatch DescribeAlarms: ${inline(name, 60)}: ${inline(e?.message ?? String(error), 300)}${where ? ` (${where})` : ''}${hint}`;
}

export class CloudWatchAlarms {
  private readonly client: CloudWatchClient;

  /**
   * `maxAttempts`: the SDK's standard retry strategy retries throttling (Throttling, HTTP 400) and 5xx with its
   * backoff; the caller's abort signal ends those retries when its time is up.
   */
  constructor(options: { region?: string; requestMs: number; maxAttempts?: number }) {
    this.client = new CloudWatchClient({
      region: awsRegion(options.region),
      maxAttempts: options.maxAttempts ?? 3,
      requestHandler: awsRequestHandler(options.requestMs),
    });
  }

  /** The alarms a selection names, every page up to MAX_PAGES. Throws the SDK's error (see describeAwsError). */
  async read(selection: AlarmSelection, signal: AbortSignal, requestMs: number): Promise<AlarmsRead> {
    const alarms: AlarmState[] = [];
    const seenTokens = new Set<string>();
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await this.client.send(
        new DescribeAlarmsCommand({
          ...(selection.names ? { AlarmNames: selection.names } : { AlarmNamePrefix: selection.prefix }),
          AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
          MaxRecords: PAGE_SIZE,
          ...(token ? { NextToken: token } : {}),
        }),
        { abortSignal: signal, requestTimeout: requestMs },
      );
      for (const a of [...(answer.MetricAlarms ?? []), ...(answer.CompositeAlarms ?? [])])
        alarms.push({
          name: a.AlarmName ?? '',
          state: a.StateValue ?? 'unknown',
          reason: a.StateReason ?? '',
          ...(a.StateUpdatedTimestamp ? { since: a.StateUpdatedTimestamp } : {}),
        });
      token = answer.NextToken || undefined;
      // A token seen before would page for ever: what was read is all there is.
      if (!token || seenTokens.has(token)) return { alarms, truncated: false };
      seenTokens.add(token);
    }
    return { alarms, truncated: true };
  }

  close(): void {
    this.client.destroy();
  }
}
