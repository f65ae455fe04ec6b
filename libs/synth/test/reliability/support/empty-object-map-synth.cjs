// Run by empty-object-map.spec.ts as
//   node --allow-natives-syntax --require libs/synth/register.cjs <this file> <cli args...>
// with AKS_GITOPS_ROOT set: runs the aks-gitops CLI in this process and asks V8, as output units
// are staged and at exit, whether its one map for empty objects still takes transitions
// (see libs/workloads/src/construct-children.ts). Prints one line at exit: "never full (N probes)"
// or "full at probe K of N (<unit>)".
const path = require('node:path');

const libs = path.resolve(__dirname, '..', '..', '..', '..');
const { emptyObjectMapTakesTransitions } = require(
  path.join(libs, 'workloads', 'test', 'support', 'empty-object-map.cjs'),
);

let probes = 0;
let firstFull;
function probe(where) {
  probes++;
  if (!emptyObjectMapTakesTransitions() && firstFull === undefined) firstFull = `full at probe ${probes} (${where})`;
}

const { StagingArea } = require(path.join(libs, 'synth', 'src', 'write', 'staging-area.ts'));
const add = StagingArea.prototype.add;
// Each probe spends a transition of its own (its key is new), so every 25th unit is probed, not each.
let units = 0;
StagingArea.prototype.add = function (unit, files) {
  if (units++ % 25 === 0) probe(unit);
  return add.call(this, unit, files);
};
process.on('exit', () => {
  probe('exit');
  process.stdout.write(`\nEMPTY-OBJECT-MAP: ${firstFull ?? `never full (${probes} probes)`}\n`);
});
require(path.join(libs, 'cli', 'src', 'main.ts')).runFromCommandLine(process.argv.slice(2));
