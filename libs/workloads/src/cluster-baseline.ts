import { ApiObject, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { FLUX_PRUNE_ANNOTATION, FLUX_PRUNE_DISABLED, WAIVER_ANNOTATION_PREFIX } from '@aks-gitops/cluster-model';
import type { ClusterSpec, GatewayApiProvider, KubeObject, SharedFrontendSpec } from '@aks-gitops/cluster-model';
import type { ClusterRegistry } from './cluster-registry';
import { LABEL_GATEWAY_ACCESS, LABEL_MANAGED_BY, MANAGED_BY, WORKLOAD_IDENTITY_CLIENT_ID, WORKLOAD_IDENTITY_USE, selectorLabels, workloadLabels } from './labels';
import { dnsEgressRule } from './network-peers';
import { privateLinkNatCidr, sharedFrontendAnnotations } from './shared-frontend';
import { appApplierClusterRole, tenantFluxObjects } from './tenant-flux';

/**
 * The Namespace, default-deny and allow-dns of every app namespace. The three are the same for
 * every namespace but for its name, so the typed `manifest()` of the generated classes renders each
 * shape once per cluster and every namespace shares its (frozen) labels and spec.
 */
function namespaceManifestFactory(pssVersion: string): (ns: string, gatewayAccess: boolean) => KubeObject[] {
  const labels: Record<string, string> = {
    [LABEL_MANAGED_BY]: MANAGED_BY,
    'pod-security.kubernetes.io/enforce': 'restricted',
    'pod-security.kubernetes.io/enforce-version': pssVersion,
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/audit-version': pssVersion,
    'pod-security.kubernetes.io/warn': 'restricted',
    'pod-security.kubernetes.io/warn-version': pssVersion,
  };
  // Deleting a namespace deletes everything in it: Flux must never prune one.
  const namespace = (gatewayAccess: boolean) =>
    inManifestOrder(k8s.KubeNamespace.manifest({ metadata: { name: '', labels: gatewayAccess ? { ...labels, [LABEL_GATEWAY_ACCESS]: 'true' } : labels, annotations: { [FLUX_PRUNE_ANNOTATION]: FLUX_PRUNE_DISABLED } } }));
  const shapes = {
    namespace: namespace(false),
    gatewayNamespace: namespace(true),
    defaultDeny: inManifestOrder(k8s.KubeNetworkPolicy.manifest({
      metadata: { name: 'default-deny', namespace: '', labels: { [LABEL_MANAGED_BY]: MANAGED_BY } },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    })),
    allowDns: inManifestOrder(k8s.KubeNetworkPolicy.manifest({
      metadata: { name: 'allow-dns', namespace: '', labels: { [LABEL_MANAGED_BY]: MANAGED_BY } },
      spec: { podSelector: {}, policyTypes: ['Egress'], egress: [dnsEgressRule()] },
    })),
  };
  for (const shape of Object.values(shapes)) deepFreeze(shape);
  // Overriding a key keeps its place, so the keys stay in the order an ApiObject renders them.
  const named = (shape: KubeObject, ns: string): KubeObject =>
    ({ ...shape, metadata: shape.kind === 'Namespace' ? { ...shape.metadata, name: ns } : { ...shape.metadata, namespace: ns } });
  return (ns, gatewayAccess) => [named(gatewayAccess ? shapes.gatewayNamespace : shapes.namespace, ns), named(shapes.defaultDeny, ns), named(shapes.allowDns, ns)];
}

/** Keys as an ApiObject renders them: apiVersion, kind, metadata, then the rest, all sorted below. */
function inManifestOrder(obj: unknown): KubeObject {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) if ((v as Record<string, unknown>)[k] !== undefined) out[k] = sorted((v as Record<string, unknown>)[k]);
    return out;
  };
  const body = sorted(obj) as Record<string, unknown>;
  const out: Record<string, unknown> = { apiVersion: body.apiVersion, kind: body.kind, metadata: body.metadata };
  for (const [k, v] of Object.entries(body)) if (!(k in out)) out[k] = v;
  return out as unknown as KubeObject;
}

function deepFreeze(v: unknown): void {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return;
  Object.freeze(v);
  for (const child of Object.values(v)) deepFreeze(child);
}

/** The folder name of the baseline under `clusters/<cluster>/`. */
export const BASELINE_FOLDER = 'platform';
const DEFAULT_SYNC_IMAGE = 'registry.k8s.io/pause:3.10';

export interface ClusterBaselineProps {
  readonly cluster: ClusterSpec;
  readonly registry: ClusterRegistry;
  /**
   * The apps deployed on this cluster: each gets its namespace and the Flux objects that apply its
   * folder with its own rights (see tenantFluxObjects).
   * @default the namespaces of the workloads in `registry`
   */
  readonly apps?: readonly string[];
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
    const pssVersion = `v${cluster.kubernetesVersion}`;
    const apps = [...new Set(props.apps ?? registry.namespaces)].sort();
    const namespaces = new Set([...registry.namespaces, ...apps]);
    const gw = cluster.l7.kind === 'gateway-api' ? cluster.l7 : undefined;
    if (gw) namespaces.add(gw.gateway.namespace);

    const gatewayNamespaces = registry.gatewayNamespaces;
    const manifestsOf = namespaceManifestFactory(pssVersion);
    this.namespaceManifests = [
      ...[...namespaces].sort().flatMap((ns) => manifestsOf(ns, gatewayNamespaces.has(ns))),
      inManifestOrder(appApplierClusterRole()),
      ...apps.flatMap((app) => tenantFluxObjects(cluster, app).map(inManifestOrder)),
    ];
    if (gw) this.sharedGateway(cluster, gw);
  }

  override toJson(): ReturnType<Chart['toJson']> {
    return [...super.toJson(), ...this.namespaceManifests];
  }

  /**
   * The Gateway every HTTPRoute attaches to. Only namespaces labelled for gateway access (those
   * with an L7Api) may attach, and only to the HTTPS listener. The certificate comes from Key
   * Vault through the Secrets Store CSI driver, which syncs it into a Secret only while a pod
   * mounts the volume: a minimal pod does exactly that.
   */
  private sharedGateway(cluster: ClusterSpec, gw: GatewayApiProvider): void {
    const ns = gw.gateway.namespace;
    const frontend = gw.frontend ? cluster.sharedFrontends?.find((f) => f.name === gw.frontend) : undefined;
    const tlsName = `${gw.gateway.name}-tls`;
    const syncName = `${gw.gateway.name}-tls-sync`;
    const labels = workloadLabels('platform', syncName, 'gateway-tls');
    new ApiObject(this, 'Gateway', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: {
        name: gw.gateway.name,
        namespace: ns,
        labels: { [LABEL_MANAGED_BY]: MANAGED_BY },
        ...(gw.alb ? { annotations: { 'alb.networking.azure.io/alb-namespace': gw.alb.namespace, 'alb.networking.azure.io/alb-name': gw.alb.name } } : {}),
      },
      spec: {
        gatewayClassName: gw.gatewayClassName,
        // Gateway API asks implementations to copy these to the resources they create for the
        // Gateway (its LoadBalancer Service): that is how the in-cluster gateway joins a shared
        // internal frontend, and owns the frontend's Private Link Service when it has one.
        ...(frontend ? { infrastructure: { annotations: sharedFrontendAnnotations(cluster, frontend, true) } } : {}),
        listeners: [{
          name: gw.gateway.listener,
          protocol: 'HTTPS',
          port: 443,
          tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: tlsName }] },
          allowedRoutes: { kinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }], namespaces: { from: 'Selector', selector: { matchLabels: { [LABEL_GATEWAY_ACCESS]: 'true' } } } },
        }],
      },
    });
    new ApiObject(this, 'GatewayTls', {
      apiVersion: 'secrets-store.csi.x-k8s.io/v1',
      kind: 'SecretProviderClass',
      metadata: { name: tlsName, namespace: ns, labels: { [LABEL_MANAGED_BY]: MANAGED_BY } },
      spec: {
        provider: 'azure',
        secretObjects: [{
          secretName: tlsName,
          type: 'kubernetes.io/tls',
          data: [{ objectName: gw.tls.certificateName, key: 'tls.key' }, { objectName: gw.tls.certificateName, key: 'tls.crt' }],
        }],
        parameters: {
          usePodIdentity: 'false',
          clientID: gw.tls.clientId,
          keyvaultName: cluster.keyVault.name,
          tenantId: cluster.keyVault.tenantId,
          objects: `array:\n  - |\n    objectName: ${gw.tls.certificateName}\n    objectType: secret\n`,
        },
      },
    });
    new k8s.KubeServiceAccount(this, 'GatewayTlsSyncIdentity', {
      metadata: { name: syncName, namespace: ns, labels, annotations: { [WORKLOAD_IDENTITY_CLIENT_ID]: gw.tls.clientId } },
      automountServiceAccountToken: false,
    });
    const selector = selectorLabels(syncName);
    new k8s.KubeDeployment(this, 'GatewayTlsSync', {
      metadata: {
        name: syncName,
        namespace: ns,
        labels,
        annotations: {
          [`${WAIVER_ANNOTATION_PREFIX}readiness-probe`]: 'pause container: it only holds the CSI volume mounted so the driver keeps the listener Secret synced; it serves nothing to probe',
          [`${WAIVER_ANNOTATION_PREFIX}liveness-probe`]: 'pause container: nothing to probe',
        },
      },
      spec: {
        replicas: 1,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: { ...labels, [WORKLOAD_IDENTITY_USE]: 'true' } },
          spec: {
            serviceAccountName: syncName,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'pause',
              image: gw.tls.syncImage ?? DEFAULT_SYNC_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              resources: { requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('16Mi') }, limits: { memory: k8s.Quantity.fromString('32Mi') } },
              securityContext: { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
              volumeMounts: [{ name: 'tls', mountPath: '/mnt/tls', readOnly: true }],
            }],
            volumes: [{ name: 'tls', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: tlsName } } }],
          },
        },
      },
    });
    new k8s.KubeNetworkPolicy(this, 'GatewayTlsSyncPolicy', {
      metadata: { name: syncName, namespace: ns, labels },
      spec: { podSelector: { matchLabels: selector }, policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [dnsEgressRule()] },
    });
    if (gw.gatewayPodLabels) {
      // An in-cluster implementation runs gateway pods here, behind its own load balancer: admit
      // traffic from where L7 traffic arrives, and let the gateway reach only namespaces that may
      // attach routes. The implementation's control-plane traffic is not covered (see README).
      new k8s.KubeNetworkPolicy(this, 'GatewayPodsPolicy', {
        metadata: { name: gw.gateway.name, namespace: ns, labels: { [LABEL_MANAGED_BY]: MANAGED_BY } },
        spec: {
          podSelector: { matchLabels: { ...gw.gatewayPodLabels } },
          policyTypes: ['Ingress', 'Egress'],
          // No port restriction: the container port behind the listener is the implementation's choice.
          ingress: [{ from: gatewaySources(cluster, frontend).map((cidr) => ({ ipBlock: { cidr } })) }],
          egress: [dnsEgressRule(), { to: [{ namespaceSelector: { matchLabels: { [LABEL_GATEWAY_ACCESS]: 'true' } } }] }],
        },
      });
    }
  }
}

/**
 * Where traffic reaches in-cluster gateway pods from: the L7 source subnet, plus the Private Link
 * NAT subnet when the gateway sits on a shared frontend with a PLS (Front Door arrives from there).
 */
function gatewaySources(cluster: ClusterSpec, frontend: SharedFrontendSpec | undefined): string[] {
  const nat = frontend && privateLinkNatCidr(cluster, frontend);
  return [...new Set([cluster.network.l7SourceCidr, ...(nat ? [nat] : [])])];
}
