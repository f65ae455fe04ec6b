/**
 * Untimed check of design fix 11 at fleet scale: synth renders every ApiObject with its own
 * one-pass renderObject; this renders the whole generated fleet a second time with cdk8s' own
 * `ApiObject.toJson()` and requires every file to be byte-identical.
 *
 *   node --require ./libs/synth/register.cjs tools/bench/render-check.ts <root>
 *
 * Prints `render-check: identical, <objects> objects in <files> files` or the first difference.
 */
import * as path from 'node:path';
import { loadFleet } from '@aks-gitops/cluster-model';
import type { ClusterSpec, KubeObject } from '@aks-gitops/cluster-model';
import { loadApps, synthesizeFleet } from '@aks-gitops/synth';

const root = path.resolve(process.argv[2] ?? process.cwd());
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { clusters: specs } = require(path.join(root, 'clusters.ts')) as { clusters: readonly ClusterSpec[] };
const clusters = loadFleet(specs);
const apps = loadApps(path.join(root, 'apps'));
const fast = synthesizeFleet({ clusters, apps });
const reference = synthesizeFleet({ clusters, apps, renderObject: (o) => o.toJson() as KubeObject });

let files = 0;
const problems: string[] = [];
const unitPaths = new Set([...fast.units.keys(), ...reference.units.keys()]);
for (const unit of unitPaths) {
  const a = fast.units.get(unit);
  const b = reference.units.get(unit);
  for (const file of new Set([...(a?.keys() ?? []), ...(b?.keys() ?? [])])) {
    files++;
    if (a?.get(file) !== b?.get(file)) problems.push(`${unit}/${file}`);
  }
}
if (problems.length > 0) {
  process.stdout.write(`render-check: DIFFERENT in ${problems.length} file(s), first ${problems[0]}\n`);
  process.exit(1);
}
process.stdout.write(`render-check: identical, ${fast.stats.objects} objects in ${files} files\n`);
