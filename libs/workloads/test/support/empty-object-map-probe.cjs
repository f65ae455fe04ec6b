// Run by construct-children.spec.ts as
//   node --allow-natives-syntax --require libs/synth/register.cjs <this file> <charts|plain-charts>
// Prints one line: whether V8's map for empty objects still takes transitions after 2,000 charts with ids of their own were
// created, each in its own App as the synth does (`charts`: AppChart; `plain-charts`: cdk8s' Chart,
// the control that shows the probe sees the problem).
const { App, Chart } = require('cdk8s');
const { CLUSTERS } = require('../../../cluster-model/src');
const { AppChart, ClusterRegistry } = require('../../src');
const { emptyObjectMapTakesTransitions } = require('./empty-object-map.cjs');

const kind = process.argv[2];
const cluster = CLUSTERS[0];
const registry = new ClusterRegistry(cluster);
const keep = [];
for (let i = 0; i < 2000; i++) {
  const app = `app-${String(i).padStart(4, '0')}`;
  const chart =
    kind === 'plain-charts'
      ? new Chart(new App({ outdir: '/dev/null' }), `${cluster.name}--${app}`)
      : new AppChart(new App({ outdir: '/dev/null' }), { cluster, app, registry });
  keep.push(chart);
}
process.stdout.write(
  `${emptyObjectMapTakesTransitions() ? 'takes transitions' : 'full'} after ${keep.length} charts\n`,
);
