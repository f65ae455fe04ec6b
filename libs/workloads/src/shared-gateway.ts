import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { AGC_GATEWAY_CLASS, FLUX_PRUNE_ANNOTATION, FLUX_PRUNE_DISABLED } from '@aks-gitops/cluster-model';
import type { ClusterSpec, GatewayApiProvider, SharedFrontendSpec } from '@aks-gitops/cluster-model';
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
import { dnsEgressRule } from './network-peers';
import { privateLinkNatCidr, sharedFrontendAnnotations } from './shared-frontend';

const DEFAULT_SYNC_IMAGE = 'registry.k8s.io/pause:3.10';
/** Pods mounting the gateway certificates: the CSI driver deletes synced Secrets when the last one goes. */
export const TLS_SYNC_REPLICAS = 2;

/**
 * The Gateway every HTTPRoute attaches to. Only namespaces labelled for gateway access (those
 * with an L7Api) may attach, and only to the HTTPS listeners. Certificates come from Key Vault
 * through the Secrets Store CSI driver, which syncs them into Secrets only while a pod mounts the
 * volume and deletes them when the last such pod goes: two pause pods, spread over zones and
 * nodes, kept by a PodDisruptionBudget and surged on rollout, do exactly that.
 */
export function addSharedGateway(
  scope: Construct,
  cluster: ClusterSpec,
  gw: GatewayApiProvider,
  registry: ClusterRegistry,
): void {
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
  new ApiObject(scope, 'Gateway', {
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
    new ApiObject(scope, 'ApplicationLoadBalancer', {
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
  new ApiObject(scope, 'GatewayTls', {
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
  new k8s.KubeServiceAccount(scope, 'GatewayTlsSyncIdentity', {
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
  new k8s.KubeDeployment(scope, 'GatewayTlsSync', {
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
  new k8s.KubePodDisruptionBudget(scope, 'GatewayTlsSyncBudget', {
    metadata: { name: syncName, namespace: ns, labels },
    spec: {
      maxUnavailable: k8s.IntOrString.fromNumber(1),
      selector: { matchLabels: selector },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  });
  new k8s.KubeNetworkPolicy(scope, 'GatewayTlsSyncPolicy', {
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
    new k8s.KubeNetworkPolicy(scope, 'GatewayPodsPolicy', {
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

/**
 * Where traffic reaches in-cluster gateway pods from: the L7 source subnet, plus the Private Link
 * NAT subnet when the gateway sits on a shared frontend with a PLS (Front Door arrives from there).
 */
function gatewaySources(cluster: ClusterSpec, frontend: SharedFrontendSpec | undefined): string[] {
  const nat = frontend && privateLinkNatCidr(cluster, frontend);
  return [...new Set([cluster.network.l7SourceCidr, ...(nat ? [nat] : [])])];
}
