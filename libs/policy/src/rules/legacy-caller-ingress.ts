import { apiGroupOf, RESERVED_NAMESPACES, type ManifestDocument } from '@aks-gitops/cluster-model';
import { isRecord } from '../unknown-value';

/*
 * TRANSITION ONLY (issue 12): until callee consent lands, synth writes a caller's ingress into its
 * callee as `NetworkPolicy <callee>/allow-from-<caller>[.<workload>][.to-<workload>]` in the caller's own folder. On a cluster
 * still in that layout (no per-app `flux-applier`, so Flux applies every app with its own rights and
 * nothing else carries consent), that one shape is accepted: Ingress only, admitting nothing but the
 * caller's own namespace. Once the baseline creates `flux-applier` accounts (the consent layout),
 * the exemption stops applying by itself and the object is refused like any other write into
 * another app's namespace. Delete this file when no cluster can be in the old layout.
 */

const FLUX_APPLIER = 'flux-applier';
const RESERVED: ReadonlySet<string> = new Set(RESERVED_NAMESPACES);
const NAMESPACE_LABEL = 'kubernetes.io/metadata.name';

/** True when no app namespace has a flux-applier account: the layout before callee consent. */
export function isPreConsentLayout(documents: readonly ManifestDocument[]): boolean {
  return !documents.some((document) => document.object.kind === 'ServiceAccount' && document.object.metadata.name === FLUX_APPLIER);
}

/** The caller ingress synth writes in the pre-consent layout, and nothing wider. */
export function isPreConsentCallerIngress(document: ManifestDocument, callerApp: string): boolean {
  const { object } = document;
  const namespace = object.metadata.namespace;
  if (apiGroupOf(object.apiVersion) !== 'networking.k8s.io' || object.kind !== 'NetworkPolicy') return false;
  const name = object.metadata.name;
  // `allow-from-<caller>` (cut to 63 characters), then `.<workload>` and `.to-<workload>` parts when
  // the workloads are not named after their apps (libs/workloads calleePolicyName).
  const full = `allow-from-${callerApp}`;
  const head = full.length <= 63 ? full : full.slice(0, 63).replace(/-+$/, '');
  const generatedName = name === head || (name.startsWith(`${head}.`) && /^[a-z0-9-]+(\.[a-z0-9-]+)?$/.test(name.slice(head.length + 1)));
  if (!generatedName || namespace === undefined || namespace === callerApp || RESERVED.has(namespace)) return false;
  const spec = object.spec;
  if (!isRecord(spec) || spec.egress !== undefined || !Array.isArray(spec.policyTypes) || spec.policyTypes.length !== 1 || spec.policyTypes[0] !== 'Ingress') return false;
  if (!Array.isArray(spec.ingress) || spec.ingress.length === 0) return false;
  return spec.ingress.every((rule) => isRecord(rule) && Array.isArray(rule.from) && rule.from.length > 0 && rule.from.every((peer) => admitsOnlyCaller(peer, callerApp)));
}

function admitsOnlyCaller(peer: unknown, callerApp: string): boolean {
  if (!isRecord(peer) || peer.ipBlock !== undefined) return false;
  const selector = peer.namespaceSelector;
  if (!isRecord(selector) || selector.matchExpressions !== undefined || !isRecord(selector.matchLabels)) return false;
  const labels = Object.entries(selector.matchLabels);
  return labels.length === 1 && labels[0][0] === NAMESPACE_LABEL && labels[0][1] === callerApp;
}
