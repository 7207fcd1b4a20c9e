// What every AWS SDK client shipline builds shares (ECS for deploys, CloudWatch for the bake window's alarm gates):
// the region, and the HTTP handler. Credentials are never shipline's: each client takes the SDK's standard chain
// (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN, OIDC web identity from
// aws-actions/configure-aws-credentials via AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, profiles, instance roles),
// and its endpoint may be moved by the SDK's service-specific variable (AWS_ENDPOINT_URL_ECS,
// AWS_ENDPOINT_URL_CLOUDWATCH), which is how tests point a client at a loopback stand-in.
import { EnvProxyHttpAgent, EnvProxyHttpsAgent } from './proxy.js';

/** The region an input names, else the one configure-aws-credentials (or the environment) set. */
export function awsRegion(input: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return input || env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
}

/**
 * The SDK's own agents (keep-alive, 50 sockets), through HTTPS_PROXY / HTTP_PROXY unless NO_PROXY exempts the
 * endpoint (an http endpoint: a local stand-in). A request timeout is only a logged warning unless
 * throwOnRequestTimeout is set (@smithy/node-http-handler 4.x); socketTimeout covers an answer that stops mid-body,
 * which the request timeout (cleared once the headers arrive) does not.
 */
export function awsRequestHandler(requestMs: number) {
  return {
    requestTimeout: requestMs,
    throwOnRequestTimeout: true,
    socketTimeout: requestMs,
    connectionTimeout: Math.min(10_000, requestMs),
    httpsAgent: new EnvProxyHttpsAgent({ keepAlive: true, maxSockets: 50 }),
    httpAgent: new EnvProxyHttpAgent({ keepAlive: true, maxSockets: 50 }),
  };
}
