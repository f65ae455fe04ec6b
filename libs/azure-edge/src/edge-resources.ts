import type { ClusterSpec } from '@aks-gitops/cluster-model';
import type { ArmClientOptions } from './apply';
import { frontDoorEdge } from './front-door/front-door-edge';
import type { FrontDoorPlan } from './front-door/front-door-plan-report';

/**
 * Azure resources `edge` manages for a cluster besides the firewall DNAT group, each from its own
 * committed file under `clusters/<cluster>/azure/`. Adding one (say, a Private Link approval) is a
 * new entry here; the CLI plans and applies them after the DNAT group, in list order.
 */
export interface EdgeResource<T> {
  /** Heading in `plan` and `apply` output. */
  readonly title: string;
  /** Whether the cluster spec asks for it (its file exists exactly then). */
  enabled(cluster: ClusterSpec): boolean;
  /** Reads the committed file and checks it still matches the cluster spec (ConfigError otherwise). */
  load(rootDir: string, cluster: ClusterSpec): Promise<T>;
  /** What the file declares, without calling Azure. */
  describe(loaded: T): string;
  /** What apply would change in Azure (reads only), as data for `plan --json` and `--markdown`. */
  planData(loaded: T, arm: ArmClientOptions): Promise<FrontDoorPlan>;
  /** The plan as text (`plan`). */
  formatPlan(plan: FrontDoorPlan): string;
  /** Applies the file; writes progress to `out`. */
  apply(loaded: T, arm: ArmClientOptions, out: (s: string) => void): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const EDGE_RESOURCES: readonly EdgeResource<any>[] = [frontDoorEdge];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function edgeResourcesOf(cluster: ClusterSpec): EdgeResource<any>[] {
  return EDGE_RESOURCES.filter((r) => r.enabled(cluster));
}
