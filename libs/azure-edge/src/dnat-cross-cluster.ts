import { ConfigError, ConfigErrors } from '@aks-gitops/cluster-model';
import type { NatRule } from '@azure/arm-network';
import { describeEndpoint, endpointField } from './dnat-endpoint-validation';
import type { FirewallDnatRules } from './firewall-dnat-rules';
import { compareStrings } from './names';

/**
 * Checks rules of several clusters together. Public IPs are unique Azure-wide, so the same firewall
 * IP, port and protocol in two clusters' groups is always a clash: the group with the lower priority
 * number wins and the other rule silently never matches.
 */
export function assertNoCrossClusterDnatConflicts(all: readonly FirewallDnatRules[]): void {
  const errors: ConfigError[] = [];
  const owners = new Map<string, { dnat: FirewallDnatRules; rule: NatRule }>();
  const sorted = [...all].sort((a, b) => compareStrings(a.cluster, b.cluster));
  for (const dnat of sorted) {
    for (const rule of dnat.rules) {
      for (const address of rule.destinationAddresses ?? []) {
        for (const port of rule.destinationPorts ?? []) {
          for (const protocol of rule.ipProtocols ?? []) {
            const key = `${address}:${port}/${protocol}`;
            const first = owners.get(key);
            if (!first) {
              owners.set(key, { dnat, rule });
              continue;
            }
            if (first.dnat === dnat) continue; // same cluster: build() already rejects it
            const origin = dnat.origins.get(rule.name as string);
            const firstOrigin = first.dnat.origins.get(first.rule.name as string);
            errors.push(
              new ConfigError({
                cluster: dnat.cluster,
                app: origin?.app,
                field: origin ? endpointField(origin, 'firewallPort') : `rules.${rule.name}`,
                problem: `${key} is published by cluster ${first.dnat.cluster} (${firstOrigin ? describeEndpoint(firstOrigin) : `rule ${first.rule.name}`}) and by cluster ${dnat.cluster} (${origin ? describeEndpoint(origin) : `rule ${rule.name}`})`,
                fix: 'give one of them another firewallPort, or another firewall public IP',
              }),
            );
          }
        }
      }
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new ConfigErrors(errors);
}
