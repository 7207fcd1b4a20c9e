// The product's own code the gate-tick bench runs in-process: the inputs reader, the checks and metric gates built
// from the inputs, and the bake window's loop itself (one tick per call), with the real Prometheus starter.
export { readSmokeTestInputs } from '../actions/smoke-test/src/inputs.js';
export { checksFromInputs } from '../actions/smoke-test/src/checks.js';
export { Connections } from '../actions/smoke-test/src/probe.js';
export { watchWindow } from '../actions/smoke-test/src/watch.js';
export { metricGatesFromInputs } from '../actions/smoke-test/src/window-gates.js';
export { prometheusBinary, startPrometheus } from '../cli/sandbox/prometheus.js';
