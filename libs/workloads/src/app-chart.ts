import { Chart } from 'cdk8s';
import type { Construct, IConstruct } from 'constructs';
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import type { ClusterRegistry } from './cluster-registry';
import { useDictionaryChildren } from './construct-children';

export interface AppChartProps {
  readonly cluster: ClusterSpec;
  readonly app: string;
  readonly registry: ClusterRegistry;
}

/**
 * One app on one cluster: the unit that becomes `clusters/<cluster>/<app>/`. Every object inside
 * gets an explicit name from props, never from the construct path, so renaming a construct id in
 * app code renames nothing in the cluster (no hash suffixes either).
 */
export class AppChart extends Chart {
  static containing(c: IConstruct): AppChart {
    for (let s: IConstruct | undefined = c; s; s = s.node.scope) {
      if (s instanceof AppChart) return s as AppChart;
    }
    throw new Error(`${c.node.path} is not inside an AppChart: create L7Api/L4Service with ctx.scope`);
  }

  readonly cluster: ClusterSpec;
  readonly app: string;
  /** The app's namespace. One namespace per app keeps default-deny and RBAC boundaries simple. */
  override readonly namespace: string;
  readonly registry: ClusterRegistry;
  private readonly workloadNames = new Set<string>();
  private readonly serviceOwners = new Map<string, string>();

  constructor(scope: Construct, props: AppChartProps) {
    // The chart's id and the app's construct ids are per app (see useDictionaryChildren).
    useDictionaryChildren(scope);
    super(scope, `${props.cluster.name}--${props.app}`, { disableResourceNameHashes: true, namespace: props.app });
    this.cluster = props.cluster;
    this.app = props.app;
    this.namespace = props.app;
    this.registry = props.registry;
    useDictionaryChildren(this);
  }

  /** Reserves a workload name inside this app; the caller turns `undefined` into a ConfigError. */
  claimWorkloadName(name: string): boolean {
    if (this.workloadNames.has(name)) return false;
    this.workloadNames.add(name);
    return true;
  }

  /**
   * Reserves the Service names a workload creates (its own, and a StatefulSet's `<name>-headless`).
   * Workload names are unique, but a workload called "db-headless" next to a stateful "db" would
   * write two Services of that name. Returns the clash, or undefined when all were free.
   */
  claimServiceNames(workload: string, services: readonly string[]): { service: string; owner: string } | undefined {
    for (const service of services) {
      const owner = this.serviceOwners.get(service);
      if (owner !== undefined && owner !== workload) return { service, owner };
    }
    for (const service of services) this.serviceOwners.set(service, workload);
    return undefined;
  }
}
