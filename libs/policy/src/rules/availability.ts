import type { ManifestDocument } from '@aks-gitops/cluster-model';
import { autoscalerTargetKey } from '../cluster-index';
import { selectorMatches, showLabels } from '../label-selector';
import { REPLICATED_KINDS } from '../pod-template';
import type { RuleContext } from '../rule-context';
import { asNumber, getPath, show } from '../unknown-value';

/*
 * AKS upgrades drain every node. Without a PodDisruptionBudget a replicated workload can lose all
 * replicas at once; with a budget that allows no eviction the upgrade hangs instead. And when an
 * HPA owns the replica count, a `spec.replicas` in git makes Flux reset the HPA's decision on every
 * reconcile.
 */

export function checkAvailability(context: RuleContext): void {
  checkReplicatedWorkloads(context);
  checkBudgetsAllowEviction(context);
}

function checkReplicatedWorkloads({ cluster, report }: RuleContext): void {
  for (const { document, object, namespace, pod } of cluster.workloads) {
    if (!namespace || !REPLICATED_KINDS.has(object.kind)) continue;
    const autoscalers: ManifestDocument[] =
      cluster.autoscalersByTarget.get(autoscalerTargetKey(namespace, object.kind, object.metadata.name)) ?? [];
    const replicasField = getPath(object, 'spec', 'replicas');
    if (autoscalers.length > 0 && replicasField !== undefined) {
      report(
        'hpa-owns-replicas',
        document,
        `spec.replicas is ${show(replicasField)} but HorizontalPodAutoscaler ${autoscalers.map((hpa) => hpa.object.metadata.name).join(', ')} scales it`,
        'Remove spec.replicas; the HPA minReplicas sets the floor.',
      );
    }
    const replicas = asNumber(replicasField) ?? 1;
    if (replicas <= 1 && autoscalers.length === 0) continue;
    const budgets = (cluster.disruptionBudgetSelectors.get(namespace)?.candidates(pod.labels) ?? []).filter((budget) =>
      selectorMatches(getPath(budget.object, 'spec', 'selector'), pod.labels),
    );
    if (budgets.length > 0) continue;
    report(
      'pdb-for-replicated-workload',
      document,
      `${autoscalers.length > 0 ? 'autoscaled' : `${replicas} replicas`} but no PodDisruptionBudget selects pod labels ${showLabels(pod.labels)}`,
      'Add a PodDisruptionBudget (maxUnavailable: 1) whose selector matches the pod labels.',
    );
  }
}

function isZero(value: unknown): boolean {
  return value === 0 || value === '0' || value === '0%';
}

function checkBudgetsAllowEviction({ cluster, report }: RuleContext): void {
  for (const budget of cluster.byKind.get('PodDisruptionBudget') ?? []) {
    const maxUnavailable = getPath(budget.object, 'spec', 'maxUnavailable');
    const minAvailable = getPath(budget.object, 'spec', 'minAvailable');
    const blocking = isZero(maxUnavailable)
      ? `maxUnavailable is ${show(maxUnavailable)}`
      : minAvailable === '100%'
        ? 'minAvailable is "100%"'
        : undefined;
    if (!blocking) continue;
    report(
      'pdb-allows-eviction',
      budget,
      `${blocking}: no pod can ever be evicted, so node drains and AKS upgrades stall`,
      'Use maxUnavailable: 1 (or a minAvailable below the replica count).',
    );
  }
}
