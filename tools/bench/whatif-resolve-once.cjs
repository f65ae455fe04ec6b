/**
 * Benchmark what-if, preloaded with NODE_OPTIONS=--require (never used by synth itself).
 *
 * cdk8s `Chart.toJson()` calls `App._synthChart(chart)`, which resolves dependencies and runs
 * `validate()` over EVERY construct of the whole App before rendering that one chart. synth keeps
 * all clusters' charts in one App and calls toJson() once per app folder, so the work is
 * O(charts x constructs): quadratic in the fleet size.
 *
 * This patch does the same whole-App preparation (dependency resolution + validation of every
 * construct) once per App shape (number of top-level charts) and then renders each chart on its
 * own, exactly like cdk8s' chartToKube. Validation still covers every construct; the output must
 * be byte-identical (the benchmark checks it). It prices the fix "prepare once, render per chart".
 */
const { isMainThread } = require('node:worker_threads');

// tsx also runs --require preloads in its module-loader thread: patch only the main thread.
if (isMainThread) patch(require('cdk8s'));

function patch({ App, ApiObject, Chart, DependencyGraph }) {
  const original = App._synthChart;
  const prepared = new WeakMap();
  App._synthChart = function synthChartOnce(chart) {
    const app = App.of(chart);
    const shape = app.node.children.length;
    if (prepared.get(app) !== shape) {
      prepared.set(app, shape);
      return original.call(App, chart); // whole-App resolve + validate, then this chart
    }
    return new DependencyGraph(chart.node)
      .topology()
      .filter((x) => x instanceof ApiObject)
      .filter((x) => Chart.of(x) === chart)
      .map((x) => x.toJson());
  };
}
