import type { k8s } from 'cdk8s-plus-28';

/** Metadata of one object of a workload: its name, the workload's namespace and labels, and annotations if any. */
export type WorkloadMeta = (objName: string, extra?: { annotations?: Record<string, string> }) => k8s.ObjectMeta;

/** The metadata every object of a workload carries; empty annotations are left out. */
export function workloadMeta(namespace: string, labels: Record<string, string>): WorkloadMeta {
  return (objName, extra = {}) => ({
    name: objName,
    namespace,
    labels,
    ...(extra.annotations && Object.keys(extra.annotations).length ? { annotations: extra.annotations } : {}),
  });
}
