// The folder a step works in, on its own so that an action needing only this does not load @actions/github (and
// the HTTP client under it) just to read one variable: GITHUB_WORKSPACE as the runner sets it, else the current
// directory (a terminal run). run-context.ts reads it from here too.
export function workspaceOf(env: NodeJS.ProcessEnv = process.env): string {
  return env.GITHUB_WORKSPACE || process.cwd();
}
