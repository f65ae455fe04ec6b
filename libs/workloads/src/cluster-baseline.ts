import { ApiObject, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { AGC_GATEWAY_CLASS, FLUX_PRUNE_ANNOTATION, FLUX_PRUNE_DISABLED, usesLocalDns } from '@aks-gitops/cluster-model';
import type { ClusterSpec, GatewayApiProvider, KubeObject, SharedFrontendSpec } from '@aks-gitops/cluster-model';
import type { ClusterRegistry } from './cluster-registry';
import {
  LABEL_GATEWAY_ACCESS,
  LABEL_MANAGED_BY,
  MANAGED_BY,
  WORKLOAD_IDENTITY_CLIENT_ID,
  WORKLOAD_IDENTITY_USE,
  selectorLabels,
  workloadLabels,
} from './labels';
import { hostCertificateSecretName, hostListenerName } from './listener-names';
import { ciliumLocalDnsPolicySpec, dnsEgressRule, localDnsEgressRule } from './network-peers';
import { privateLinkNatCidr, sharedFrontendAnnotations } from './shared-frontend';
import { appApplierClusterRole, tenantFluxObjects } from './tenant-flux';
import { appHealthCheckExprs } from './flux-health-checks';

/**
 * The Namespace, default-deny and allow-dns of every app namespace. The three are the same for
 * every namespace but for its name, so the typed `manifest()` of the generated classes renders each
 * shape once per cluster and every namespace shares its (frozen) labels and spec.
 */
function namespaceManifestFactory(cluster: ClusterSpec): (ns: string, gatewayAccess: boolean) => KubeObject[] {
  const pssVersion = `v${cluster.kubernetesVersion}`;
  const localDns = usesLocalDns(cluster);
  const ciliumLocalDns = localDns && cluster.networkPolicyEngine === 'cilium';
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
    inManifestOrder(
      k8s.KubeNamespace.manifest({
        metadata: {
          name: '',
          labels: gatewayAccess ? { ...labels, [LABEL_GATEWAY_ACCESS]: 'true' } : labels,
          annotations: { [FLUX_PRUNE_ANNOTATION]: FLUX_PRUNE_DISABLED },
        },
      }),
    );
  const shapes = {
    namespace: namespace(false),
    gatewayNamespace: namespace(true),
    defaultDeny: inManifestOrder(
      k8s.KubeNetworkPolicy.manifest({
        metadata: { name: 'default-deny', namespace: '', labels: { [LABEL_MANAGED_BY]: MANAGED_BY } },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      }),
    ),
    allowDns: inManifestOrder(
      k8s.KubeNetworkPolicy.manifest({
        metadata: { name: 'allow-dns', namespace: '', labels: { [LABEL_MANAGED_BY]: MANAGED_BY } },
        spec: {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: localDns && !ciliumLocalDns ? [dnsEgressRule(), localDnsEgressRule()] : [dnsEgressRule()],
        },
      }),
    ),
    // Kept in manifest order by hand: there is no generated class for the Cilium CRD.
    allowLocalDns: inManifestOrder({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'allow-localdns', namespace: '', labels: { [LABEL_MANAGED_BY]: MANAGED_BY } },
      spec: ciliumLocalDnsPolicySpec(),
    }),
  };
  for (const shape of Object.values(shapes)) deepFreeze(shape);
  // Overriding a key keeps its place, so the keys stay in the order an ApiObject renders them.
  const named = (shape: KubeObject, ns: string): KubeObject => ({
    ...shape,
    metadata: shape.kind === 'Namespace' ? { ...shape.metadata, name: ns } : { ...shape.metadata, namespace: ns },
  });
  return (ns, gatewayAccess) => [
    named(gatewayAccess ? shapes.gatewayNamespace : shapes.namespace, ns),
    named(shapes.defaultDeny, ns),
    named(shapes.allowDns, ns),
    ...(ciliumLocalDns ? [named(shapes.allowLocalDns, ns)] : []),
  ];
}

/** Keys as an ApiObject renders them: apiVersion, kind, metadata, then the rest, all sorted below. */
function inManifestOrder(obj: unknown): KubeObject {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort())
      if ((v as Record<string, unknown>)[k] !== undefined) out[k] = sorted((v as Record<string, unknown>)[k]);
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
/** Pods mounting the gateway certificates: the CSI driver deletes synced Secrets when the last one goes. */
export const TLS_SYNC_REPLICAS = 2;

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
    const apps = [...new Set(props.apps ?? registry.namespaces)].sort();
    const namespaces = new Set([...registry.namespaces, ...apps]);
    const gw = cluster.l7.kind === 'gateway-api' ? cluster.l7 : undefined;
    if (gw) namespaces.add(gw.gateway.namespace);
    if (gw?.agc?.deployment === 'managed') namespaces.add(gw.agc.namespace);

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
    if (gw) this.sharedGateway(cluster, gw, registry);
  }

  override toJson(): ReturnType<Chart['toJson']> {
    return [...super.toJson(), ...this.namespaceManifests];
  }

  /**
   * The Gateway every HTTPRoute attaches to. Only namespaces labelled for gateway access (those
   * with an L7Api) may attach, and only to the HTTPS listeners. Certificates come from Key Vault
   * through the Secrets Store CSI driver, which syncs them into Secrets only while a pod mounts the
   * volume and deletes them when the last such pod goes: two pause pods, spread over zones and
   * nodes, kept by a PodDisruptionBudget and surged on rollout, do exactly that.
   */
  private sharedGateway(cluster: ClusterSpec, gw: GatewayApiProvider, registry: ClusterRegistry): void {
    const ns = gw.gateway.namespace;
    const frontend = gw.frontend ? cluster.sharedFrontends?.find((f) => f.name === gw.frontend) : undefined;
    const tlsName = `${gw.gateway.name}-tls`;
    const syncName = `${gw.gateway.name}-tls-sync`;
    const labels = workloadLabels('platform', syncName, 'gateway-tls');
    const allowedRoutes = {
      kinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }],
      namespaces: { from: 'Selector', selector: { matchLabels: { [LABEL_GATEWAY_ACCESS]: 'true' } } },
    };
    const httpsListener = (name: string, secret: string, hostname?: string) => ({
      name,
      ...(hostname ? { hostname } : {}),
      protocol: 'HTTPS',
      port: 443,
      tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: secret }] },
      allowedRoutes,
    });
    // APIs with their own certificate: one listener per host, presenting that certificate
    // (a listener with a hostname wins over the catch-all one for that host).
    const hostCertificates = new Map<string, string>();
    for (const r of registry.routes) if (r.certificate) hostCertificates.set(r.host, r.certificate.name);
    const ownCertificates = [...new Set(hostCertificates.values())].sort();
    const hostListeners = [...hostCertificates.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([host, cert]) =>
        httpsListener(hostListenerName(host), hostCertificateSecretName(gw.gateway.name, cert), host),
      );

    const agc = gw.gatewayClassName === AGC_GATEWAY_CLASS ? gw.agc : undefined;
    const annotations: Record<string, string> =
      agc?.deployment === 'managed'
        ? { 'alb.networking.azure.io/alb-namespace': agc.namespace, 'alb.networking.azure.io/alb-name': agc.name }
        : agc?.deployment === 'bring-your-own'
          ? { 'alb.networking.azure.io/alb-id': agc.resourceId }
          : {};
    new ApiObject(this, 'Gateway', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: {
        name: gw.gateway.name,
        namespace: ns,
        labels: { [LABEL_MANAGED_BY]: MANAGED_BY },
        ...(Object.keys(annotations).length ? { annotations } : {}),
      },
      spec: {
        gatewayClassName: gw.gatewayClassName,
        // Bring-your-own AGC: the Gateway names its frontend (AGC how-to guides, "BYO deployment").
        ...(agc?.deployment === 'bring-your-own'
          ? { addresses: [{ type: 'alb.networking.azure.io/alb-frontend', value: agc.frontendName }] }
          : {}),
        // Gateway API asks implementations to copy these to the resources they create for the
        // Gateway (its LoadBalancer Service): that is how the in-cluster gateway joins a shared
        // internal frontend, and owns the frontend's Private Link Service when it has one.
        ...(frontend ? { infrastructure: { annotations: sharedFrontendAnnotations(cluster, frontend, true) } } : {}),
        listeners: [httpsListener(gw.gateway.listener, tlsName), ...hostListeners],
      },
    });
    if (agc?.deployment === 'managed') {
      // Managed AGC: the ALB Controller creates the AGC resource, its frontend and the subnet
      // association from this object, and deletes them with it (AGC quickstart "managed by ALB Controller").
      new ApiObject(this, 'ApplicationLoadBalancer', {
        apiVersion: 'alb.networking.azure.io/v1',
        kind: 'ApplicationLoadBalancer',
        metadata: {
          name: agc.name,
          namespace: agc.namespace,
          labels: { [LABEL_MANAGED_BY]: MANAGED_BY },
          annotations: { [FLUX_PRUNE_ANNOTATION]: FLUX_PRUNE_DISABLED },
        },
        spec: { associations: [agc.associationSubnetId] },
      });
    }
    const certificates = [
      { object: gw.tls.certificateName, secret: tlsName },
      ...ownCertificates.map((c) => ({ object: c, secret: hostCertificateSecretName(gw.gateway.name, c) })),
    ];
    new ApiObject(this, 'GatewayTls', {
      apiVersion: 'secrets-store.csi.x-k8s.io/v1',
      kind: 'SecretProviderClass',
      metadata: { name: tlsName, namespace: ns, labels: { [LABEL_MANAGED_BY]: MANAGED_BY } },
      spec: {
        provider: 'azure',
        secretObjects: certificates.map((c) => ({
          secretName: c.secret,
          type: 'kubernetes.io/tls',
          data: [
            { objectName: c.object, key: 'tls.key' },
            { objectName: c.object, key: 'tls.crt' },
          ],
        })),
        parameters: {
          usePodIdentity: 'false',
          clientID: gw.tls.clientId,
          keyvaultName: cluster.keyVault.name,
          tenantId: cluster.keyVault.tenantId,
          objects: `array:\n${certificates.map((c) => `  - |\n    objectName: ${c.object}\n    objectType: secret\n`).join('')}`,
        },
      },
    });
    new k8s.KubeServiceAccount(this, 'GatewayTlsSyncIdentity', {
      metadata: {
        name: syncName,
        namespace: ns,
        labels,
        annotations: { [WORKLOAD_IDENTITY_CLIENT_ID]: gw.tls.clientId },
      },
      automountServiceAccountToken: false,
    });
    const selector = selectorLabels(syncName);
    // `/pause -v` prints the version and exits 0 (kubernetes build/pause/linux/pause.c): a probe
    // that needs no shell. The container only starts once the CSI volume is mounted, which is when
    // the driver creates or refreshes the Secrets, so Ready means "this pod holds the sync".
    const pauseProbe = {
      exec: { command: ['/pause', '-v'] },
      periodSeconds: 10,
      timeoutSeconds: 2,
      failureThreshold: 3,
    };
    new k8s.KubeDeployment(this, 'GatewayTlsSync', {
      metadata: { name: syncName, namespace: ns, labels },
      spec: {
        replicas: TLS_SYNC_REPLICAS,
        // Surge first: the number of pods mounting the volume never drops during a rollout.
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) },
        },
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: { ...labels, [WORKLOAD_IDENTITY_USE]: 'true' } },
          spec: {
            serviceAccountName: syncName,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 65532,
              runAsGroup: 65532,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: 'topology.kubernetes.io/zone',
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: { matchLabels: selector },
              },
              {
                maxSkew: 1,
                topologyKey: 'kubernetes.io/hostname',
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: { matchLabels: selector },
              },
            ],
            containers: [
              {
                name: 'pause',
                image: gw.tls.syncImage ?? DEFAULT_SYNC_IMAGE,
                imagePullPolicy: 'IfNotPresent',
                resources: {
                  requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('16Mi') },
                  limits: { memory: k8s.Quantity.fromString('32Mi') },
                },
                readinessProbe: pauseProbe,
                livenessProbe: pauseProbe,
                securityContext: {
                  allowPrivilegeEscalation: false,
                  privileged: false,
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: true,
                  runAsUser: 65532,
                  runAsGroup: 65532,
                  capabilities: { drop: ['ALL'] },
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                volumeMounts: [{ name: 'tls', mountPath: '/mnt/tls', readOnly: true }],
              },
            ],
            volumes: [
              {
                name: 'tls',
                csi: {
                  driver: 'secrets-store.csi.k8s.io',
                  readOnly: true,
                  volumeAttributes: { secretProviderClass: tlsName },
                },
              },
            ],
          },
        },
      },
    });
    // A drain may evict one sync pod at a time, never the last: the synced Secrets survive node upgrades.
    new k8s.KubePodDisruptionBudget(this, 'GatewayTlsSyncBudget', {
      metadata: { name: syncName, namespace: ns, labels },
      spec: {
        maxUnavailable: k8s.IntOrString.fromNumber(1),
        selector: { matchLabels: selector },
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });
    new k8s.KubeNetworkPolicy(this, 'GatewayTlsSyncPolicy', {
      metadata: { name: syncName, namespace: ns, labels },
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [],
        egress: [dnsEgressRule()],
      },
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
          egress: [
            dnsEgressRule(),
            { to: [{ namespaceSelector: { matchLabels: { [LABEL_GATEWAY_ACCESS]: 'true' } } }] },
          ],
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
