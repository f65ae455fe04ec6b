import type { FieldChange } from './field-changes';

/** A Kubernetes object as committed: enough to name it and read its fields. */
export interface KubeDoc {
  readonly apiVersion?: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly annotations?: Record<string, string>;
    readonly [k: string]: unknown;
  };
  readonly [k: string]: unknown;
}

export interface ObjectChange {
  /** `Kind namespace/name`. */
  readonly id: string;
  readonly kind: string;
  readonly fields: readonly FieldChange[];
}

/** What changed in one folder of one cluster: an app, `platform`, or the Flux wiring not owned by an app. */
export interface GroupDiff {
  readonly cluster: string;
  /** App name, `platform` or `flux`. */
  readonly group: string;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly ObjectChange[];
}

/** A DNAT rule of the cluster's Firewall Policy rule collection group, by rule name. */
export interface DnatRuleChange {
  readonly cluster: string;
  readonly rule: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** A one-line summary of the rule (new side, or old side when removed). */
  readonly summary: string;
  readonly fields: readonly FieldChange[];
}

/**
 * What a reviewer must look at first. Ordered by the list below, then cluster and app.
 * - public-exposure: a new DNAT rule, or a new Ingress/HTTPRoute host
 * - network-policy-widened: a NetworkPolicy admits more sources (a CIDR broadened, a new namespaceSelector, ports added)
 * - waiver: a `waivers.aks-gitops.io/<rule>` annotation added or changed
 * - stateful-removed: a StatefulSet, a volume claim template or a Namespace removed (data or a tenant goes away)
 * - image-not-pinned: an added or changed container image without `@sha256:` on a prod cluster
 * - flux-changed: a Flux Kustomization or GitRepository changed or removed (how everything else is applied)
 */
export const RISK_KINDS = [
  'public-exposure',
  'network-policy-widened',
  'waiver',
  'stateful-removed',
  'image-not-pinned',
  'flux-changed',
] as const;
export type RiskKind = (typeof RISK_KINDS)[number];

export interface RiskFlag {
  readonly kind: RiskKind;
  readonly cluster: string;
  readonly group: string;
  readonly message: string;
}

export interface FleetDiff {
  readonly base: { readonly ref: string; readonly commit: string };
  readonly head: { readonly ref: string; readonly commit: string };
  readonly risks: readonly RiskFlag[];
  readonly groups: readonly GroupDiff[];
  readonly dnat: readonly DnatRuleChange[];
  /** Files that changed but hold no Kubernetes objects or DNAT rules we read (e.g. traffic.md), for completeness. */
  readonly otherFiles: readonly string[];
}
