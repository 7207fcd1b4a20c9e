// Typed errors. Each carries what the person reading the failed step needs: whose reason it is (a provider's
// own error code and message, an input, the network) and, where we know one, what to do about it.

export class ShiplineError extends Error {
  /** A next step for the person reading the log, shown after the message. */
  readonly hint?: string;
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
}

/** Every problem with the inputs, found in one pass, so the user fixes them all at once. */
export class InputError extends ShiplineError {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      problems.length === 1
        ? (problems[0] as string)
        : `${problems.length} inputs are invalid:\n- ${problems.join('\n- ')}`,
    );
    this.problems = problems;
  }
}

/** A provider answered, and said no: `reason` is its own error code or message, verbatim. */
export class ProviderError extends ShiplineError {
  readonly provider: string;
  readonly status?: number;
  readonly reason: string;
  constructor(
    provider: string,
    reason: string,
    options: { status?: number; action?: string; hint?: string; cause?: unknown } = {},
  ) {
    const what = options.action ? `${provider} ${options.action} failed` : `${provider} rejected the request`;
    const http = options.status ? ` (HTTP ${options.status})` : '';
    super(`${what}: ${reason}${http}`, { hint: options.hint, cause: options.cause });
    this.provider = provider;
    this.status = options.status;
    this.reason = reason;
  }
}

export type NetworkFailure =
  'timeout' | 'connection-refused' | 'dns' | 'connection-reset' | 'tls' | 'protocol' | 'proxy' | 'proxy-auth' | 'other';

/** No answer came back: the request never reached the provider, or its answer never reached us. */
export class NetworkError extends ShiplineError {
  readonly kind: NetworkFailure;
  constructor(label: string, kind: NetworkFailure, detail: string, options: { cause?: unknown } = {}) {
    super(`${label}: ${describeNetworkFailure(kind)} (${detail})`, options);
    this.kind = kind;
  }
}

function describeNetworkFailure(kind: NetworkFailure): string {
  switch (kind) {
    case 'timeout':
      return 'no response before the timeout';
    case 'connection-refused':
      return 'connection refused';
    case 'dns':
      return 'host name could not be resolved';
    case 'connection-reset':
      return 'connection reset before a complete response';
    case 'tls':
      return 'TLS handshake failed';
    case 'protocol':
      return 'malformed HTTP response';
    case 'proxy':
      return 'the proxy (HTTPS_PROXY/HTTP_PROXY) refused to carry the request';
    case 'proxy-auth':
      return 'the proxy (HTTPS_PROXY/HTTP_PROXY) refused its credentials';
    default:
      return 'request failed';
  }
}

/**
 * The text `setFailed` shows: the message, then the hint. Never a stack trace: an error we did not foresee still
 * says what it is in a sentence (the stack goes to the debug log, see failureDetails).
 */
export function failureMessage(error: unknown): string {
  if (error instanceof ShiplineError) return error.hint ? `${error.message}\n${error.hint}` : error.message;
  if (error instanceof Error) {
    const kind = error.name && error.name !== 'Error' ? ` (${error.name})` : '';
    return `Unexpected error${kind}: ${error.message || 'no message'}. This is a shipline bug: please report it with the step's debug log.`;
  }
  return `Unexpected failure: ${String(error)}`;
}

/** The stack of an error we did not raise ourselves, for the debug log only; undefined for our own. */
export function failureDetails(error: unknown): string | undefined {
  return error instanceof Error && !(error instanceof ShiplineError) ? error.stack : undefined;
}
