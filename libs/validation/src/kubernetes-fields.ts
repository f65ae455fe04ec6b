import type { KubeObject } from '@aks-gitops/cluster-model';
import { isRecord } from './object-path';

/**
 * Fields of built-in kinds that a Kubernetes minor does not serve yet, beyond what the one field
 * schema (1.33) can tell: a field the API server of an older minor drops silently is worse than
 * one it rejects. Listed here: the lifecycle `sleep` handler (KEP-3960 PodLifecycleSleepAction),
 * beta and on by default from 1.30 (GA in 1.34); before 1.30 the API server drops it, so the
 * container gets no preStop at all (kubernetes.io "Container Lifecycle Hooks"; docs/azure-facts.md).
 */
const SLEEP_HANDLER_SINCE = 30;

/** Where the pod spec sits in each built-in workload kind (`apiVersion/kind`). */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  'v1/Pod': ['spec'],
  'apps/v1/Deployment': ['spec', 'template', 'spec'],
  'apps/v1/StatefulSet': ['spec', 'template', 'spec'],
  'apps/v1/DaemonSet': ['spec', 'template', 'spec'],
  'apps/v1/ReplicaSet': ['spec', 'template', 'spec'],
  'batch/v1/Job': ['spec', 'template', 'spec'],
  'batch/v1/CronJob': ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** `[path, message]` for each field of `obj` that `1.<minor>` does not serve. */
export function fieldsNotServed(obj: KubeObject, minor: number): Array<[path: string, message: string]> {
  if (minor >= SLEEP_HANDLER_SINCE) return [];
  const where = POD_SPEC_PATHS[`${String(obj.apiVersion)}/${String(obj.kind)}`];
  if (!where) return [];
  let pod: unknown = obj;
  for (const key of where) pod = isRecord(pod) ? pod[key] : undefined;
  if (!isRecord(pod)) return [];
  const out: Array<[string, string]> = [];
  for (const list of ['initContainers', 'containers'] as const) {
    const containers = pod[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((c: unknown, i) => {
      const lifecycle = isRecord(c) ? c.lifecycle : undefined;
      for (const hook of ['preStop', 'postStart'] as const) {
        const handler = isRecord(lifecycle) ? lifecycle[hook] : undefined;
        if (isRecord(handler) && handler.sleep !== undefined)
          out.push([
            `${where.join('.')}.${list}[${i}].lifecycle.${hook}.sleep`,
            `the sleep lifecycle handler is not served by Kubernetes 1.${minor} (PodLifecycleSleepAction is on by default from 1.${SLEEP_HANDLER_SINCE}): the API server drops it; use an exec handler`,
          ]);
      }
    });
  }
  return out;
}
