// @actions/workflow-parser imports its JSON schemas without `with { type: 'json' }` (it expects a bundler);
// this loader hook adds the attribute so Node can load the package as published.
export async function load(url, context, nextLoad) {
  if (url.endsWith('.json'))
    return nextLoad(url, { ...context, importAttributes: { ...context.importAttributes, type: 'json' } });
  return nextLoad(url, context);
}
