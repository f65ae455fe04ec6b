import type {
  FirewallPolicyNatRuleCollection,
  FirewallPolicyRuleCollectionGroup,
  FirewallPolicyRuleCollectionUnion,
  FirewallPolicyRuleUnion,
  NatRule,
} from '@azure/arm-network';

/**
 * Narrowing helpers for the SDK's polymorphic unions. The unions include their base interfaces,
 * whose discriminator is itself a union, so `===` on the discriminator alone does not narrow.
 */
export function isNatRuleCollection(c: FirewallPolicyRuleCollectionUnion): c is FirewallPolicyNatRuleCollection {
  return c.ruleCollectionType === 'FirewallPolicyNatRuleCollection';
}

export function isNatRule(r: FirewallPolicyRuleUnion): r is NatRule {
  return r.ruleType === 'NatRule';
}

export interface NatRuleInCollection {
  collection: FirewallPolicyNatRuleCollection;
  rule: NatRule;
}

/** Every NAT rule of a group with its collection, in document order. */
export function natRulesOf(group: FirewallPolicyRuleCollectionGroup): NatRuleInCollection[] {
  return (group.ruleCollections ?? [])
    .filter(isNatRuleCollection)
    .flatMap((collection) => (collection.rules ?? []).filter(isNatRule).map((rule) => ({ collection, rule })));
}
