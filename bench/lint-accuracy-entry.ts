// The product's own code the lint accuracy bench needs beside the bundle: each format's "up" part (goose files'
// Up section and the cuts goose sends separately), the statement splitter (to place squawk's findings on the
// statement shipline's annotations point at) and the workflow-command reader (to read those annotations).
export { FORMATS } from '../actions/migrate/src/formats.js';
export { positionAt, splitStatements } from '../actions/migrate/src/sql.js';
export { readCommands } from '../shared/workflow-commands.js';
export { accuracyTable, score } from './lint-score.js';
export { parseDoBodies } from '../actions/migrate/src/lint.js';
export { firstContract, newReleaseSchema } from '../actions/migrate/src/schema-change.js';
