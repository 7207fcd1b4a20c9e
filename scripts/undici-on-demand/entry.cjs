// The entry of dist/<bundle>/undici.cjs, built by scripts/build.mjs into a file of its own next to each bundle: the
// undici the toolkit pins (@actions/http-client's; the build checks every importer pins this same version).
'use strict';
module.exports = require('../../node_modules/@actions/http-client/node_modules/undici/index.js');
