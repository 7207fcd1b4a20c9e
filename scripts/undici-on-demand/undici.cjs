// What the bundles get for `require('undici')` / `import … from 'undici'` (scripts/build.mjs maps the bare name
// here through tsconfig.json next to this file): the same undici the toolkit pins, evaluated on first use instead
// of at start-up.
//
// Why: @actions/core imports its OIDC client at the top of its module, which imports @actions/http-client, which
// imports undici whole for ProxyAgent. Evaluating undici (and the node:http2, node:crypto… it pulls in) is most
// of every action's start-up beyond Node's own, yet a run that sets no proxy and asks for no OIDC token never
// touches it. The toolkit's code is unchanged: each property read here loads the real module and hands over the
// real export.
//
// Which copy: the one @actions/http-client resolves. The build checks that every module bundled with a bare
// `undici` import resolves that same version (so no importer silently gets another), and shipline's own code
// asks for `undici/index.js` (its own, newer undici) so it is not routed here.
'use strict';

let undici;
const load = () => (undici ??= require('../../node_modules/@actions/http-client/node_modules/undici/index.js'));

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
