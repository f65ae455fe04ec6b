/*
 * The catalog as the gate uses it: each rule with whether an annotation may waive it, as a list in
 * catalog order and by id.
 */
import type { Severity } from './model';
import { CATALOG, type RuleCategory, type RuleId } from './rule-catalog';

export interface RuleDefinition {
  readonly id: RuleId;
  readonly severity: Severity;
  readonly category: RuleCategory;
  readonly description: string;
  /** When set, the severity on clusters whose environment is not prod (the rule is stricter in prod). */
  readonly severityOutsideProd?: Severity;
  /**
   * Whether a `waivers.aks-gitops.io/<id>` annotation can excuse a finding. Never for the gate's own
   * rules (circular), the tenancy and RBAC rules (an app would waive its way out of its namespace),
   * default deny and the privileged/host Pod Security rules (see NEVER_WAIVABLE).
   */
  readonly waivable: boolean;
}

/** Whole families no annotation can excuse. */
const NEVER_WAIVABLE_CATEGORIES: ReadonlySet<RuleCategory> = new Set(['gate', 'tenancy', 'rbac']);
/**
 * Single rules no annotation can excuse: a privileged or host-level container is a node compromise
 * away from every tenant, and without default deny every other NetworkPolicy is advisory.
 */
const NEVER_WAIVABLE: ReadonlySet<RuleId> = new Set<RuleId>([
  'pss-privileged',
  'pss-allow-privilege-escalation',
  'pss-capabilities-add',
  'pss-host-path',
  'pss-host-namespaces',
  'pss-host-ports',
  'pss-host-process',
  'pss-probe-host',
  'netpol-default-deny',
  'namespace-pss-restricted',
]);

/** The catalog as a list, in a fixed order (grouped by category). */
export const RULES: readonly RuleDefinition[] = (Object.keys(CATALOG) as RuleId[]).map((id) => ({
  id,
  ...CATALOG[id],
  waivable: !NEVER_WAIVABLE_CATEGORIES.has(CATALOG[id].category) && !NEVER_WAIVABLE.has(id),
}));

const RULES_BY_ID: ReadonlyMap<string, RuleDefinition> = new Map(
  RULES.map((definition) => [definition.id, definition]),
);

/** Looks up a rule named in untrusted text (a waiver annotation key). */
export function findRule(ruleId: string): RuleDefinition | undefined {
  return RULES_BY_ID.get(ruleId);
}

export function ruleDefinition(ruleId: RuleId): RuleDefinition {
  return RULES_BY_ID.get(ruleId) as RuleDefinition;
}
