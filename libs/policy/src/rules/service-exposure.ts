import type { RuleContext } from '../rule-context';
import { asArray, asRecord, asStringMap, show } from '../unknown-value';
import { AZURE_INTERNAL_LB_ANNOTATION } from './services';

/*
 * ExternalName: the cluster DNS answers an in-cluster name with a CNAME to any host, so a pod that
 * may only talk to "payments.svc" ends up at whatever the Service points to; NetworkPolicy sees the
 * resolved IP, not the intent, and reviewers of the caller never see the outside host.
 *
 * LoadBalancer source ranges (cloud-provider-azure, docs/azure-facts.md): the load balancer's NSG
 * admits only `spec.loadBalancerSourceRanges`, or the `azure-allowed-ip-ranges` /
 * `azure-allowed-service-tags` annotations. On an internal LB those ranges only mean something with
 * `azure-deny-all-except-load-balancer-source-ranges: "true"`; otherwise the default NSG rule
 * (AllowVnetInBound) still admits the whole VNet and everything peered to it.
 */

export const AZURE_ALLOWED_IP_RANGES_ANNOTATION = 'service.beta.kubernetes.io/azure-allowed-ip-ranges';
export const AZURE_ALLOWED_SERVICE_TAGS_ANNOTATION = 'service.beta.kubernetes.io/azure-allowed-service-tags';
export const AZURE_DENY_ALL_EXCEPT_SOURCE_RANGES_ANNOTATION =
  'service.beta.kubernetes.io/azure-deny-all-except-load-balancer-source-ranges';

const ANYWHERE: ReadonlySet<string> = new Set(['0.0.0.0/0', '::/0', '*', 'Internet']);

function commaList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

export function checkServiceExposure({ cluster, report }: RuleContext): void {
  for (const service of cluster.byKind.get('Service') ?? []) {
    const spec = asRecord(service.object.spec) ?? {};
    const annotations = asStringMap(service.object.metadata.annotations);

    if (spec.type === 'ExternalName') {
      report(
        'service-external-name',
        service,
        `ExternalName Service points the in-cluster name at ${show(spec.externalName)}, outside the cluster's egress policy and review`,
        'Call the external host by its own name through an explicit egress rule (egress with cidr and reason), or waive it with the reason.',
      );
    }
    if (spec.type !== 'LoadBalancer') continue;

    const ranges = [
      ...asArray(spec.loadBalancerSourceRanges).filter((range): range is string => typeof range === 'string'),
      ...commaList(annotations[AZURE_ALLOWED_IP_RANGES_ANNOTATION]),
    ];
    const tags = commaList(annotations[AZURE_ALLOWED_SERVICE_TAGS_ANNOTATION]);
    const sources = [...ranges, ...tags];
    const fix = `Set spec.loadBalancerSourceRanges to the client ranges${annotations[AZURE_INTERNAL_LB_ANNOTATION] === 'true' ? ` and ${AZURE_DENY_ALL_EXCEPT_SOURCE_RANGES_ANNOTATION}: "true"` : ''} (L4Service does both), or waive it with the documented reason.`;
    if (sources.length === 0) {
      report(
        'service-lb-source-ranges',
        service,
        'LoadBalancer Service admits every source: no loadBalancerSourceRanges and no azure-allowed-ip-ranges or azure-allowed-service-tags',
        fix,
      );
      continue;
    }
    const open = sources.filter((source) => ANYWHERE.has(source));
    if (open.length > 0) {
      report(
        'service-lb-source-ranges',
        service,
        `LoadBalancer Service source ranges include ${show(open)}, which admits every source`,
        fix,
      );
      continue;
    }
    if (
      annotations[AZURE_INTERNAL_LB_ANNOTATION] === 'true' &&
      annotations[AZURE_DENY_ALL_EXCEPT_SOURCE_RANGES_ANNOTATION] !== 'true'
    ) {
      report(
        'service-lb-source-ranges',
        service,
        `internal LoadBalancer lists source ranges ${show(sources)} but ${AZURE_DENY_ALL_EXCEPT_SOURCE_RANGES_ANNOTATION} is ${show(service.object.metadata.annotations?.[AZURE_DENY_ALL_EXCEPT_SOURCE_RANGES_ANNOTATION])}, so the default NSG rule still admits the whole VNet`,
        fix,
      );
    }
  }
}
