import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { WAIVER_ANNOTATION_PREFIX, parseCidr } from '@aks-gitops/cluster-model';
import type { PodPort, WorkloadRecord } from './cluster-claims';
import { dnsEgressRule, ipBlockPeer, namespacePodPeer } from './network-peers';
import type { WorkloadMeta } from './workload-meta';
import type { ZeroTrustWorkloadProps } from './zero-trust-workload-props';

/** Waiver rule id for an egress rule to 0.0.0.0/0 (mirrors the policy rule netpol-allow-from-anywhere). */
export const EGRESS_ANYWHERE_RULE = 'netpol-allow-to-anywhere';
/** RFC 1918 ranges: never reachable through the workload identity egress rule. */
export const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] as const;
export const ENTRA_EGRESS_REASON =
  'workload identity: HTTPS to public addresses for the Entra ID token endpoint; FQDN filtering is done by the hub Azure Firewall';

export function truncateName(n: string): string {
  return n.length <= 63 ? n : n.slice(0, 63).replace(/-+$/, '');
}

/**
 * Name of the callee-side NetworkPolicy, unique per caller workload and callee workload inside the
 * callee's namespace. It used to be `allow-from-<ns>-<workload>`, so app "payments" workload "api"
 * and app "payments-api" both wrote `allow-from-payments-api` into the callee namespace (two Flux
 * Kustomizations fighting over one object), and one caller calling two workloads of an app wrote
 * the same name twice. NetworkPolicy names are DNS subdomains: a dot, which no app or workload name
 * can contain, separates the parts. The common case (default workload names) keeps its old name.
 */
export function calleePolicyName(caller: WorkloadRecord, target: WorkloadRecord): string {
  const head = truncateName(`allow-from-${caller.namespace}`);
  if (target.name !== target.namespace) return `${head}.${caller.name}.to-${target.name}`;
  return caller.name === caller.namespace ? head : `${head}.${caller.name}`;
}

/**
 * The workload's own NetworkPolicy `<name>`: default deny both ways, ingress from exactly the
 * sources its construct names, egress to DNS, the declared CIDRs, Entra ID for workload identity,
 * and (added to `lateEgress` once every app is declared) the apps it calls.
 */
export function addWorkloadNetworkPolicy(
  scope: Construct,
  name: string,
  meta: WorkloadMeta,
  selector: Record<string, string>,
  props: ZeroTrustWorkloadProps,
  lateEgress: readonly k8s.NetworkPolicyEgressRule[],
): k8s.KubeNetworkPolicy {
  const staticEgress: k8s.NetworkPolicyEgressRule[] = [dnsEgressRule()];
  for (const e of props.egress ?? []) {
    staticEgress.push({
      to: [ipBlockPeer(e.cidr)],
      ports: e.ports.map((p) => ({ port: k8s.IntOrString.fromNumber(p.port), protocol: p.protocol ?? 'TCP' })),
    });
  }
  // An egress to anywhere is a visible, reviewed exception: its reason is a waiver on the policy.
  const anywhere = (props.egress ?? [])
    .filter((e) => parseCidr(e.cidr)?.prefix === 0)
    .map((e) => (e.reason ?? '').trim());
  if (props.workloadIdentity) {
    // Workload identity exchanges its projected token at Entra ID (login.microsoftonline.com),
    // whose addresses are public and many. NetworkPolicy cannot name an FQDN without Cilium
    // ACNS, so allow HTTPS to public addresses only; the hub firewall's FQDN rules decide
    // which hosts are reachable.
    staticEgress.push({
      to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [...PRIVATE_RANGES] } }],
      ports: [{ port: k8s.IntOrString.fromNumber(443), protocol: 'TCP' }],
    });
    anywhere.push(ENTRA_EGRESS_REASON);
  }
  return new k8s.KubeNetworkPolicy(scope, 'NetworkPolicy', {
    metadata: meta(
      name,
      anywhere.length
        ? {
            annotations: {
              [`${WAIVER_ANNOTATION_PREFIX}${EGRESS_ANYWHERE_RULE}`]: [...new Set(anywhere)].join('; '),
            },
          }
        : {},
    ),
    spec: {
      podSelector: { matchLabels: selector },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [...props.ingress],
      egress: Lazy.any({ produce: () => [...staticEgress, ...lateEgress] }),
    },
  });
}

/** The egress rule of a call: to the callee's pods, on the ports the call may use. */
export function callEgressRule(target: WorkloadRecord, ports: readonly PodPort[]): k8s.NetworkPolicyEgressRule {
  return {
    to: [namespacePodPeer(target.namespace, target.selector)],
    ports: ports.map((p) => ({ port: k8s.IntOrString.fromNumber(p.port), protocol: p.protocol })),
  };
}

/**
 * The callee's NetworkPolicy that admits one accepted caller, in the callee's own namespace: the
 * allow rule lives in the callee's folder, owned by the callee's Flux Kustomization.
 */
export function addCallerIngressPolicy(
  scope: Construct,
  caller: WorkloadRecord,
  target: WorkloadRecord,
  labels: Record<string, string>,
  ports: readonly PodPort[],
): k8s.KubeNetworkPolicy {
  return new k8s.KubeNetworkPolicy(scope, `CallerIngress-${caller.app}-${caller.name}`, {
    metadata: { name: calleePolicyName(caller, target), namespace: target.namespace, labels },
    spec: {
      podSelector: { matchLabels: { ...target.selector } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [namespacePodPeer(caller.namespace, caller.selector)],
          ports: ports.map((p) => ({ port: k8s.IntOrString.fromNumber(p.port), protocol: p.protocol })),
        },
      ],
    },
  });
}
