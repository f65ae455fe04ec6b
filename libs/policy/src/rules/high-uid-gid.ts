import type { RuleContext } from '../rule-context';
import { asNumber, asRecord, show } from '../unknown-value';

/**
 * Platform rule stricter than PSS (kube-score container-security-context-user-group-id): UIDs and
 * GIDs below 10000 can collide with real users on the node, so a container escape would act as
 * one of them. Both must be set explicitly, on the container or inherited from the pod.
 */
const MINIMUM_ID = 10000;

export function checkHighUidGid({ cluster, report }: RuleContext): void {
  for (const { document, pod } of cluster.workloads) {
    const podContext = asRecord(pod.spec.securityContext) ?? {};
    for (const container of pod.containers) {
      const context = asRecord(container.spec.securityContext) ?? {};
      const user = context.runAsUser ?? podContext.runAsUser;
      const group = context.runAsGroup ?? podContext.runAsGroup;
      const userOk = (asNumber(user) ?? -1) >= MINIMUM_ID;
      const groupOk = (asNumber(group) ?? -1) >= MINIMUM_ID;
      if (userOk && groupOk) continue;
      report(
        'pod-high-uid-gid',
        document,
        `${container.label}: runAsUser ${show(user)}, runAsGroup ${show(group)} (both must be >= ${MINIMUM_ID})`,
        `Set spec.securityContext.runAsUser and runAsGroup to ${MINIMUM_ID} or more (and build the image to run as that UID).`,
      );
    }
  }
}
