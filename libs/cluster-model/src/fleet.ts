import type { ClusterSpec } from './cluster-spec';
import { aksDevWeu } from './clusters/aks-dev-weu';
import { aksProdWeu } from './clusters/aks-prod-weu';
import { validateFleet } from './validate-fleet';

/**
 * Every cluster this repository deploys to. Adding a cluster: add a file under `clusters/` and list
 * it here; `npm run synth` then renders every app that deploys to it plus its Flux wiring.
 */
export const CLUSTERS: readonly ClusterSpec[] = [aksDevWeu, aksProdWeu];

/** The fleet, validated; throws a ConfigError naming the cluster and field on bad input. */
export function loadFleet(specs: readonly ClusterSpec[] = CLUSTERS): readonly ClusterSpec[] {
  validateFleet(specs);
  return [...specs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
