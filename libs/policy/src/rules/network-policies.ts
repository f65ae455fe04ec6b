import type { ManifestDocument } from '@aks-gitops/cluster-model';
import { isEmptySelector, selectorMatches, showLabels } from '../label-selector';
import type { WorkloadView } from '../pod-template';
import type { RuleContext } from '../rule-context';
import {
  asArray,
  asRecord,
  asRecords,
  asString,
  asStringList,
  asStringMap,
  compareStrings,
  getPath,
  show,
  type UnknownRecord,
} from '../unknown-value';

/*
 * Zero trust on the pod network: every app namespace starts closed (default-deny), every workload
 * then opens exactly what it needs in a policy of its own, and no policy reopens the door to all.
 */

const DEFAULT_DENY_NAME = 'default-deny';

export function checkNetworkPolicies(context: RuleContext): void {
  checkDefaultDeny(context);
  checkWorkloadCoverage(context);
  checkOpenRules(context);
}

function specOf(policy: ManifestDocument): UnknownRecord {
  return asRecord(policy.object.spec) ?? {};
}

function policyTypes(spec: UnknownRecord): string[] {
  return asStringList(spec.policyTypes);
}

/** podSelector {} with both policy types and no rules: isolates every pod and admits nothing. */
function isDefaultDeny(policy: ManifestDocument): boolean {
  const spec = specOf(policy);
  const types = policyTypes(spec);
  return (
    isEmptySelector(spec.podSelector) &&
    types.includes('Ingress') &&
    types.includes('Egress') &&
    asArray(spec.ingress).length === 0 &&
    asArray(spec.egress).length === 0
  );
}

function describePolicyShape(spec: UnknownRecord): string {
  return `podSelector ${show(spec.podSelector)}, policyTypes ${show(spec.policyTypes)}, ${asArray(spec.ingress).length} ingress and ${asArray(spec.egress).length} egress rules`;
}

function firstByFile(workloads: WorkloadView[]): ManifestDocument {
  return workloads.map((workload) => workload.document).sort((a, b) => compareStrings(a.file, b.file))[0];
}

function checkDefaultDeny({ cluster, report }: RuleContext): void {
  for (const [namespace, workloads] of cluster.workloadsByNamespace) {
    const policies = cluster.networkPoliciesByNamespace.get(namespace) ?? [];
    if (policies.some(isDefaultDeny)) continue;
    const misshapen = policies.find((policy) => policy.object.metadata.name === DEFAULT_DENY_NAME);
    const fix = `Give namespace ${namespace} a NetworkPolicy ${DEFAULT_DENY_NAME} with podSelector {}, policyTypes [Ingress, Egress] and no ingress or egress rules.`;
    if (misshapen) {
      report(
        'netpol-default-deny',
        misshapen,
        `${DEFAULT_DENY_NAME} does not deny everything: ${describePolicyShape(specOf(misshapen))}`,
        fix,
      );
      continue;
    }
    // Blame the Namespace object when there is one: that is where the baseline (and a waiver) lives.
    const subject = cluster.namespaceObjects.get(namespace) ?? firstByFile(workloads);
    report(
      'netpol-default-deny',
      subject,
      `namespace ${namespace} runs ${workloads.length} workload(s) but has no default-deny NetworkPolicy for Ingress and Egress`,
      fix,
    );
  }
}

/** What keeps a selecting policy from counting as the workload's own policy, or undefined if it counts. */
function coverageGap(policy: ManifestDocument): string | undefined {
  const spec = specOf(policy);
  const types = policyTypes(spec);
  const gaps: string[] = [];
  for (const type of ['Ingress', 'Egress']) if (!types.includes(type)) gaps.push(`policyTypes lacks ${type}`);
  if (!Array.isArray(spec.ingress)) gaps.push('no ingress section');
  if (!Array.isArray(spec.egress)) gaps.push('no egress section');
  return gaps.length > 0 ? `${policy.object.metadata.name} (${gaps.join(', ')})` : undefined;
}

function checkWorkloadCoverage({ cluster, report }: RuleContext): void {
  for (const workload of cluster.workloads) {
    if (!workload.namespace) continue;
    const labels = workload.pod.labels;
    const selecting = (cluster.networkPolicySelectors.get(workload.namespace)?.candidates(labels) ?? []).filter(
      (policy) => {
        const selector = getPath(policy.object, 'spec', 'podSelector');
        // A namespace-wide policy (default-deny, allow-dns) is shared plumbing, not this workload's policy.
        return (
          Object.keys(asStringMap(asRecord(selector)?.matchLabels)).length > 0 && selectorMatches(selector, labels)
        );
      },
    );
    const gaps = selecting.map(coverageGap);
    if (gaps.some((gap) => gap === undefined)) continue;
    const reasons = gaps.filter((gap): gap is string => gap !== undefined).sort(compareStrings);
    const fix =
      'Add a NetworkPolicy whose podSelector.matchLabels picks these pods, with policyTypes [Ingress, Egress] and explicit ingress and egress lists (an empty list admits nothing).';
    const message =
      selecting.length === 0
        ? `no workload-specific NetworkPolicy selects pod labels ${showLabels(labels)}`
        : `the NetworkPolicies selecting pod labels ${showLabels(labels)} do not isolate both directions: ${reasons.join('; ')}`;
    report('netpol-workload-coverage', workload.document, message, fix);
  }
}

const ANYWHERE_CIDRS: ReadonlySet<string> = new Set(['0.0.0.0/0', '::/0']);

/** Why a `from` peer admits everyone, or undefined when it is a real restriction. */
function openPeer(peer: UnknownRecord): string | undefined {
  const cidr = asString(getPath(peer, 'ipBlock', 'cidr'));
  if (cidr !== undefined && ANYWHERE_CIDRS.has(cidr)) return `ipBlock ${cidr}`;
  if (
    isEmptySelector(peer.namespaceSelector) &&
    (peer.podSelector === undefined || isEmptySelector(peer.podSelector))
  ) {
    return 'namespaceSelector {} (every pod in every namespace)';
  }
  return undefined;
}

/** The two directions an "anywhere" rule can open, with the words and fixes each reports. */
const OPEN_DIRECTIONS = [
  {
    ruleId: 'netpol-allow-from-anywhere',
    section: 'ingress',
    peers: 'from',
    empty: 'no from (every source)',
    verb: 'admits',
    fix: 'Name the callers: podSelector/namespaceSelector for in-cluster clients, or the exact front-door subnet as ipBlock.',
  },
  {
    // Egress to every address (no `to`, or 0.0.0.0/0 even with private ranges excepted) lets a
    // compromised pod reach the Internet. Legitimate cases (workload identity reaching Entra ID
    // behind the hub firewall's FQDN rules) carry a waiver with a reason.
    ruleId: 'netpol-allow-to-anywhere',
    section: 'egress',
    peers: 'to',
    empty: 'no to (every destination)',
    verb: 'allows',
    fix: 'Name the destinations: podSelector/namespaceSelector for in-cluster services, exact CIDRs for external ones; or waive with the reason.',
  },
] as const;

function checkOpenRules({ cluster, report }: RuleContext): void {
  for (const policy of cluster.byKind.get('NetworkPolicy') ?? []) {
    for (const d of OPEN_DIRECTIONS) {
      asRecords(specOf(policy)[d.section]).forEach((rule, index) => {
        const peers = asRecords(rule[d.peers]);
        const reasons =
          peers.length === 0
            ? [d.empty]
            : peers.map(openPeer).filter((reason): reason is string => reason !== undefined);
        for (const reason of reasons)
          report(d.ruleId, policy, `${d.section} rule #${index + 1} ${d.verb} ${reason}`, d.fix);
      });
    }
  }
}
