// What bench/migrate-down.bench.mjs drives: the down machinery rollback's migrate-down runs, compiled as one module.
export { connect } from '../actions/migrate/src/db.js';
export { downsFrom, proveDowns, runDownsLocked } from '../actions/migrate/src/down.js';
export { FORMATS, readFolder } from '../actions/migrate/src/formats.js';
export { applyAll, prepare } from '../actions/migrate/src/migrator.js';
export { trackerFor } from '../actions/migrate/src/tracking.js';
