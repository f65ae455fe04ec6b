import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { DEFAULTS } from './workload-defaults';
import type { WorkloadMeta } from './workload-meta';
import type { AutoscalingSpec } from './workload-props';

/** A HorizontalPodAutoscaler on CPU utilization for the workload's Deployment or StatefulSet. */
export function addAutoscaler(
  scope: Construct,
  name: string,
  meta: WorkloadMeta,
  kind: 'Deployment' | 'StatefulSet',
  a: AutoscalingSpec,
): k8s.KubeHorizontalPodAutoscalerV2 {
  return new k8s.KubeHorizontalPodAutoscalerV2(scope, 'Autoscaler', {
    metadata: meta(name),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind, name },
      minReplicas: a.minReplicas ?? DEFAULTS.minReplicas,
      maxReplicas: a.maxReplicas,
      metrics: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            target: { type: 'Utilization', averageUtilization: a.targetCpuUtilization ?? DEFAULTS.targetCpu },
          },
        },
      ],
    },
  });
}

/**
 * A PodDisruptionBudget of one unavailable pod. An HPA may scale past one pod at any time, so an
 * autoscaled workload always gets a budget (maxUnavailable 1 still lets a drain evict a lone pod);
 * the policy gate requires the same.
 */
export function addDisruptionBudget(
  scope: Construct,
  name: string,
  meta: WorkloadMeta,
  selector: Record<string, string>,
): k8s.KubePodDisruptionBudget {
  return new k8s.KubePodDisruptionBudget(scope, 'DisruptionBudget', {
    metadata: meta(name),
    spec: {
      maxUnavailable: k8s.IntOrString.fromNumber(1),
      selector: { matchLabels: selector },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  });
}
