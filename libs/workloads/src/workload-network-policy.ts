import type { WorkloadRecord } from './cluster-registry';

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
