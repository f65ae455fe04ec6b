import type { RuleContext } from '../rule-context';
import { show } from '../unknown-value';

/**
 * Most pods never call the Kubernetes API, so a mounted API token is only something to steal.
 * Pods labelled for Azure Workload Identity are exempt by platform decision: their service account
 * is a reviewed, federated identity. (The webhook projects the Azure token itself either way, so
 * those pods may still turn automounting off.)
 */
export const WORKLOAD_IDENTITY_LABEL = 'azure.workload.identity/use';

export function checkServiceAccountToken({ cluster, report }: RuleContext): void {
  for (const { document, pod } of cluster.workloads) {
    if (pod.spec.automountServiceAccountToken === false) continue;
    if (pod.labels[WORKLOAD_IDENTITY_LABEL] === 'true') continue;
    report(
      'automount-service-account-token',
      document,
      `pod automountServiceAccountToken is ${show(pod.spec.automountServiceAccountToken)} and the pod does not use Workload Identity`,
      `Set automountServiceAccountToken: false in the pod spec (or label the pod ${WORKLOAD_IDENTITY_LABEL}: "true" if it uses Workload Identity).`,
    );
  }
}
