import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ClusterSpec, KubeObject } from '@aks-gitops/cluster-model';
import type { ClusterRegistry } from './cluster-registry';
import { inManifestOrder, namespaceManifestFactory } from './namespace-baseline';
import { addSharedGateway } from './shared-gateway';
import { appApplierClusterRole, tenantFluxObjects } from './tenant-flux';
import { appHealthCheckExprs } from './flux-health-checks';

export { TLS_SYNC_REPLICAS } from './shared-gateway';

/** The folder name of the baseline under `clusters/<cluster>/`. */
export const BASELINE_FOLDER = 'platform';

export interface ClusterBaselineProps {
  readonly cluster: ClusterSpec;
  readonly registry: ClusterRegistry;
  /**
   * The apps deployed on this cluster: each gets its namespace and the Flux objects that apply its
   * folder with its own rights (see tenantFluxObjects).
   * @default the namespaces of the workloads in `registry`
   */
  readonly apps?: readonly string[];
  /**
   * Leave out the objects of the namespaces for which this is false (and those apps' Flux objects):
   * what the policy gate needs around the apps `synth --changed` renders when the baseline itself
   * is kept as written is their namespaces' part, not every app's.
   * @default every namespace
   */
  readonly includeNamespace?: (namespace: string) => boolean;
}

/**
 * What every app namespace gets before any app lands (Flux applies it first): the Namespace with
 * Pod Security `restricted` enforced, audited and warned at a pinned version; a default-deny
 * NetworkPolicy for ingress and egress; egress to kube-dns. On gateway-api clusters also the
 * shared Gateway with its HTTPS listener and Key Vault certificate.
 */
export class ClusterBaseline extends Chart {
  /**
   * Every app namespace's Namespace, default-deny and allow-dns, as finished manifests rather than
   * constructs: three per app on every cluster are a large share of what a fleet synth renders, and
   * the generated classes' typed `manifest()` builds them at a fraction of an ApiObject's cost (no
   * construct node, no token resolution; nothing in them is lazy). `toJson()` includes them.
   */
  readonly namespaceManifests: readonly KubeObject[];

  constructor(scope: Construct, props: ClusterBaselineProps) {
    super(scope, `${props.cluster.name}--${BASELINE_FOLDER}`, { disableResourceNameHashes: true });
    const { cluster, registry } = props;
    const include = props.includeNamespace ?? (() => true);
    const apps = [...new Set(props.apps ?? registry.namespaces)].filter(include).sort();
    const namespaces = new Set([...[...registry.namespaces].filter(include), ...apps]);
    const gw = cluster.l7.kind === 'gateway-api' ? cluster.l7 : undefined;
    if (gw && include(gw.gateway.namespace)) namespaces.add(gw.gateway.namespace);
    if (gw?.agc?.deployment === 'managed' && include(gw.agc.namespace)) namespaces.add(gw.agc.namespace);

    const gatewayNamespaces = registry.gatewayNamespaces;
    const l7Apps = new Set(registry.routes.map((r) => r.app));
    const manifestsOf = namespaceManifestFactory(cluster);
    this.namespaceManifests = [
      ...[...namespaces].sort().flatMap((ns) => manifestsOf(ns, gatewayNamespaces.has(ns))),
      inManifestOrder(appApplierClusterRole()),
      ...apps.flatMap((app) =>
        tenantFluxObjects(cluster, app, appHealthCheckExprs(cluster, l7Apps.has(app))).map(inManifestOrder),
      ),
    ];
    if (gw) addSharedGateway(this, cluster, gw, registry);
  }

  override toJson(): ReturnType<Chart['toJson']> {
    return [...super.toJson(), ...this.namespaceManifests];
  }
}
