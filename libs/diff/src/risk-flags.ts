import type { FieldChange } from './field-changes';
import type { DnatRuleChange, KubeDoc, RiskFlag, RiskKind } from './model';
import { RISK_KINDS } from './model';

const WAIVER_PREFIX = 'waivers.aks-gitops.io/';
const FLUX_KINDS = new Set(['Kustomization', 'GitRepository']);
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export interface ObjectPair {
  readonly cluster: string;
  readonly group: string;
  readonly id: string;
  readonly old?: KubeDoc;
  readonly new?: KubeDoc;
  readonly fields: readonly FieldChange[];
}

/** Hosts an object publishes through the L7 front door (Ingress rules and TLS, HTTPRoute hostnames). */
export function publishedHosts(o: KubeDoc | undefined): string[] {
  if (!o) return [];
  const spec = (o.spec ?? {}) as { rules?: { host?: string }[]; tls?: { hosts?: string[] }[]; hostnames?: string[] };
  if (o.kind === 'Ingress')
    return [...(spec.rules ?? []).map((r) => r.host ?? '*'), ...(spec.tls ?? []).flatMap((t) => t.hosts ?? [])];
  if (o.kind === 'HTTPRoute' || o.kind === 'GRPCRoute' || o.kind === 'TLSRoute') return spec.hostnames ?? ['*'];
  return [];
}

/** Images of every container of a pod template (Deployment, StatefulSet, ...) or a Pod. */
export function containerImages(o: KubeDoc | undefined): string[] {
  if (!o) return [];
  const spec = o.spec as
    | ({ template?: { spec?: PodSpec }; jobTemplate?: { spec?: { template?: { spec?: PodSpec } } } } & PodSpec)
    | undefined;
  const pod = o.kind === 'Pod' ? spec : (spec?.template?.spec ?? spec?.jobTemplate?.spec?.template?.spec);
  return [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])].map((c) => c.image ?? '').filter(Boolean);
}
interface PodSpec {
  containers?: { image?: string }[];
  initContainers?: { image?: string }[];
}

interface Peer {
  ipBlock?: { cidr: string; except?: string[] };
  namespaceSelector?: unknown;
  podSelector?: unknown;
}
interface IngressRule {
  from?: Peer[];
  ports?: { port?: number | string; protocol?: string; endPort?: number }[];
}

/** The IPv4 range of a CIDR as [first, last] addresses; undefined for anything else (IPv6). */
function cidrRange(cidr: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) return undefined;
  const ip = ((+m[1] << 24) >>> 0) + (+m[2] << 16) + (+m[3] << 8) + +m[4];
  const bits = +m[5];
  const size = 2 ** (32 - bits);
  const first = ip - (ip % size);
  return [first, first + size - 1];
}

const covers = (outer: string, inner: string): boolean => {
  const a = cidrRange(outer);
  const b = cidrRange(inner);
  return a !== undefined && b !== undefined ? a[0] <= b[0] && b[1] <= a[1] : outer === inner;
};

/**
 * How a NetworkPolicy's ingress got wider: every source CIDR of the new policy not inside an old
 * one, every namespaceSelector peer the old policy did not have, and every port added.
 */
export function widenedSources(oldPolicy: KubeDoc | undefined, newPolicy: KubeDoc): string[] {
  const rulesOf = (p: KubeDoc | undefined): IngressRule[] =>
    (p?.spec as { ingress?: IngressRule[] } | undefined)?.ingress ?? [];
  const oldRules = rulesOf(oldPolicy);
  const newRules = rulesOf(newPolicy);
  const oldCidrs = oldRules.flatMap((r) => (r.from ?? []).flatMap((p) => (p.ipBlock ? [p.ipBlock.cidr] : [])));
  const oldNs = new Set(
    oldRules.flatMap((r) =>
      (r.from ?? [])
        .filter((p) => p.namespaceSelector !== undefined)
        .map((p) => JSON.stringify([p.namespaceSelector, p.podSelector])),
    ),
  );
  const portKey = (p: { port?: number | string; protocol?: string; endPort?: number }) =>
    `${p.protocol ?? 'TCP'} ${p.port ?? 'all'}${p.endPort ? `-${p.endPort}` : ''}`;
  const oldPorts = new Set(oldRules.flatMap((r) => (r.ports?.length ? r.ports.map(portKey) : ['all ports'])));
  const out = new Set<string>();
  for (const rule of newRules) {
    if (rule.from === undefined || rule.from.length === 0) out.add('admits every source');
    for (const peer of rule.from ?? []) {
      if (peer.ipBlock && !oldCidrs.some((c) => covers(c, peer.ipBlock!.cidr)))
        out.add(`source ${peer.ipBlock.cidr} added`);
      if (
        peer.namespaceSelector !== undefined &&
        !oldNs.has(JSON.stringify([peer.namespaceSelector, peer.podSelector]))
      ) {
        out.add(`namespaceSelector ${JSON.stringify(peer.namespaceSelector)} added`);
      }
    }
    for (const port of rule.ports?.length ? rule.ports.map(portKey) : ['all ports']) {
      if (!oldPorts.has(port) && !oldPorts.has('all ports')) out.add(`port ${port} added`);
    }
  }
  return [...out].sort(cmp);
}

const waivers = (o: KubeDoc | undefined): Map<string, string> =>
  new Map(Object.entries(o?.metadata.annotations ?? {}).filter(([k]) => k.startsWith(WAIVER_PREFIX)));

/** The risk flags of one object's change. */
export function objectRisks(pair: ObjectPair, environment: string): RiskFlag[] {
  const flags: RiskFlag[] = [];
  const flag = (kind: RiskKind, message: string) =>
    flags.push({ kind, cluster: pair.cluster, group: pair.group, message });
  const { old: before, new: after } = pair;
  const oldHosts = new Set(publishedHosts(before));
  for (const host of new Set(publishedHosts(after))) {
    if (!oldHosts.has(host)) flag('public-exposure', `${pair.id} publishes host ${host}`);
  }
  // Only a policy that existed can widen; a new app's policies are read in its own section.
  if (before?.kind === 'NetworkPolicy' && after?.kind === 'NetworkPolicy') {
    for (const w of widenedSources(before, after)) flag('network-policy-widened', `${pair.id}: ${w}`);
  }
  const oldWaivers = waivers(before);
  for (const [key, reason] of waivers(after)) {
    const rule = key.slice(WAIVER_PREFIX.length);
    if (!oldWaivers.has(key)) flag('waiver', `${pair.id} waives ${rule}: ${reason}`);
    else if (oldWaivers.get(key) !== reason) flag('waiver', `${pair.id} changes its waiver of ${rule}: ${reason}`);
  }
  if (
    before &&
    !after &&
    (before.kind === 'StatefulSet' || before.kind === 'Namespace' || before.kind === 'PersistentVolumeClaim')
  ) {
    flag('stateful-removed', `${pair.id} removed`);
  }
  if (before?.kind === 'StatefulSet' && after?.kind === 'StatefulSet') {
    const names = (o: KubeDoc) =>
      ((o.spec as { volumeClaimTemplates?: { metadata?: { name?: string } }[] }).volumeClaimTemplates ?? []).map(
        (t) => t.metadata?.name ?? '',
      );
    const kept = new Set(names(after));
    for (const n of names(before))
      if (!kept.has(n)) flag('stateful-removed', `${pair.id}: volume claim template ${n} removed`);
  }
  if (environment === 'prod' && after) {
    const oldImages = new Set(containerImages(before));
    for (const image of containerImages(after)) {
      if (!image.includes('@sha256:') && !oldImages.has(image))
        flag('image-not-pinned', `${pair.id} runs ${image} (no digest)`);
    }
  }
  const fluxKind = (before ?? after)!.kind;
  if (FLUX_KINDS.has(fluxKind) && (before ?? after)!.apiVersion?.includes('toolkit.fluxcd.io') && before) {
    flag(
      'flux-changed',
      after ? `${pair.id}: ${pair.fields.map((f) => f.path).join(', ')} changed` : `${pair.id} removed`,
    );
  }
  return flags;
}

/** A new DNAT rule is a new way in from the internet. */
export function dnatRisks(changes: readonly DnatRuleChange[]): RiskFlag[] {
  const flags: RiskFlag[] = [];
  for (const c of changes) {
    if (c.change === 'added')
      flags.push({
        kind: 'public-exposure',
        cluster: c.cluster,
        group: 'azure',
        message: `new Azure Firewall DNAT rule ${c.rule}: ${c.summary}`,
      });
    if (
      c.change === 'changed' &&
      c.fields.some((f) => f.path.startsWith('sourceAddresses') || f.path.startsWith('destinationPorts'))
    ) {
      flags.push({
        kind: 'public-exposure',
        cluster: c.cluster,
        group: 'azure',
        message: `Azure Firewall DNAT rule ${c.rule} now admits ${c.summary}`,
      });
    }
  }
  return flags;
}

export function sortRisks(flags: RiskFlag[]): RiskFlag[] {
  const rank = (k: RiskKind) => RISK_KINDS.indexOf(k);
  return flags.sort(
    (a, b) =>
      rank(a.kind) - rank(b.kind) || cmp(a.cluster, b.cluster) || cmp(a.group, b.group) || cmp(a.message, b.message),
  );
}
