// What the bundles get for `require('undici')` / `import … from 'undici'` (scripts/build.mjs maps the bare name
// here through tsconfig.json next to this file): the undici the toolkit pins, loaded on first use from
// `undici.cjs`, a file of its own next to the bundle (built from entry.cjs), instead of at every start-up.
//
// Why: @actions/core imports its OIDC client at the top of its module, which imports @actions/http-client, which
// imports undici whole for ProxyAgent. Inside the bundle, undici was 70% of the code V8 compiled at every start,
// and evaluating it (with node:http2, node:crypto… it pulls in) most of each action's start-up beyond Node's own,
// yet a run that sets no proxy and asks for no OIDC token never touches it. The toolkit's code is unchanged:
// each property read here loads the real module and hands over the real export.
//
// shipline's own code asks for `undici/index.js` (its own, newer undici), so it is not routed here.
'use strict';

let undici;
// Left to Node at run time (an ncc external): resolved next to the bundle file that runs this.
const load = () => (undici ??= require('./undici.cjs'));

module.exports = new Proxy(
  {},
  {
    // undici is CommonJS with no __esModule marker: answering that question must not load it (webpack asks it when
    // an ES module imports this one).
    get: (_, key) => (key === '__esModule' ? undefined : load()[key]),
    has: (_, key) => key in load(),
    ownKeys: () => Reflect.ownKeys(load()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Object.getOwnPropertyDescriptor(load(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  },
);
