import { ApiObject, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { FLUX_PRUNE_ANNOTATION, FLUX_PRUNE_DISABLED, WAIVER_ANNOTATION_PREFIX } from '@aks-gitops/cluster-model';
import type { ClusterSpec, GatewayApiProvider } from '@aks-gitops/cluster-model';
import type { ClusterRegistry } from './cluster-registry';
import { LABEL_GATEWAY_ACCESS, LABEL_MANAGED_BY, MANAGED_BY, WORKLOAD_IDENTITY_CLIENT_ID, WORKLOAD_IDENTITY_USE, selectorLabels, workloadLabels } from './labels';
import { dnsEgressRule } from './network-peers';

/** The folder name of the baseline under `clusters/<cluster>/`. */
export const BASELINE_FOLDER = 'platform';
const DEFAULT_SYNC_IMAGE = 'registry.k8s.io/pause:3.10';

export interface ClusterBaselineProps {
  readonly cluster: ClusterSpec;
  readonly registry: ClusterRegistry;
}

/**
 * What every app namespace gets before any app lands (Flux applies it first): the Namespace with
 * Pod Security `restricted` enforced, audited and warned at a pinned version; a default-deny
 * NetworkPolicy for ingress and egress; egress to kube-dns. On gateway-api clusters also the
 * shared Gateway with its HTTPS listener and Key Vault certificate.
 */
export class ClusterBaseline extends Chart {
  constructor(scope: Construct, props: ClusterBaselineProps) {
    super(scope, `${props.cluster.name}--${BASELINE_FOLDER}`, { disableResourceNameHashes: true });
    const { cluster, registry } = props;
    const pssVersion = `v${cluster.kubernetesVersion}`;
    const namespaces = new Set(registry.namespaces);
    const gw = cluster.l7.kind === 'gateway-api' ? cluster.l7 : undefined;
    if (gw) namespaces.add(gw.gateway.namespace);

    for (const ns of [...namespaces].sort()) {
      const labels: Record<string, string> = {
        [LABEL_MANAGED_BY]: MANAGED_BY,
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': pssVersion,
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/audit-version': pssVersion,
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/warn-version': pssVersion,
      };
      if (registry.gatewayNamespaces.has(ns)) labels[LABEL_GATEWAY_ACCESS] = 'true';
      // Deleting a namespace deletes everything in it: Flux must never prune one.
      new k8s.KubeNamespace(this, `Namespace-${ns}`, { metadata: { name: ns, labels, annotations: { [FLUX_PRUNE_ANNOTATION]: FLUX_PRUNE_DISABLED } } });
      new k8s.KubeNetworkPolicy(this, `DefaultDeny-${ns}`, {
        metadata: { name: 'default-deny', namespace: ns, labels: { [LABEL_MANAGED_BY]: MANAGED_BY } },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      });
      new k8s.KubeNetworkPolicy(this, `AllowDns-${ns}`, {
        metadata: { name: 'allow-dns', namespace: ns, labels: { [LABEL_MANAGED_BY]: MANAGED_BY } },
        spec: { podSelector: {}, policyTypes: ['Egress'], egress: [dnsEgressRule()] },
      });
    }
    if (gw) this.sharedGateway(cluster, gw);
  }

  /**
   * The Gateway every HTTPRoute attaches to. Only namespaces labelled for gateway access (those
   * with an L7Api) may attach, and only to the HTTPS listener. The certificate comes from Key
   * Vault through the Secrets Store CSI driver, which syncs it into a Secret only while a pod
   * mounts the volume: a minimal pod does exactly that.
   */
  private sharedGateway(cluster: ClusterSpec, gw: GatewayApiProvider): void {
    const ns = gw.gateway.namespace;
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
          ingress: [{ from: [{ ipBlock: { cidr: cluster.network.l7SourceCidr } }] }],
          egress: [dnsEgressRule(), { to: [{ namespaceSelector: { matchLabels: { [LABEL_GATEWAY_ACCESS]: 'true' } } }] }],
        },
      });
    }
  }
}
