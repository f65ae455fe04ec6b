import type { RuleContext } from '../rule-context';
import { isLongRunning } from '../pod-template';
import { getPath } from '../unknown-value';

/*
 * Requests are what the scheduler packs nodes by, and a memory limit is what keeps one leaking pod
 * from getting its neighbours OOM-killed. A readiness probe is what lets a rollout or a node drain
 * stop sending traffic to a pod before it is gone.
 */

const REQUIRED_QUANTITIES: readonly (readonly [string, string])[] = [
  ['requests', 'cpu'],
  ['requests', 'memory'],
  ['limits', 'memory'],
];

function isSetQuantity(value: unknown): boolean {
  return (typeof value === 'string' && value.trim() !== '') || typeof value === 'number';
}

export function checkContainerResources({ cluster, report }: RuleContext): void {
  for (const { document, object, pod } of cluster.workloads) {
    const probed = isLongRunning(object, pod);
    for (const container of pod.containers) {
      // Ephemeral (debug) containers may not declare resources at all.
      if (container.role === 'ephemeralContainer') continue;
      const missing = REQUIRED_QUANTITIES.filter(
        ([section, resource]) => !isSetQuantity(getPath(container.spec, 'resources', section, resource)),
      ).map(([section, resource]) => `${section}.${resource}`);
      if (missing.length > 0) {
        report(
          'container-resources',
          document,
          `${container.label}: missing resources ${missing.join(', ')}`,
          `Set resources.requests.cpu, requests.memory and limits.memory on ${container.label}.`,
        );
      }
      if (probed && container.role === 'container' && container.spec.readinessProbe === undefined) {
        report(
          'readiness-probe',
          document,
          `${container.label}: no readinessProbe`,
          `Add a readinessProbe to ${container.label} (HTTP health endpoint or TCP port).`,
        );
      }
      // A hung process that still holds its port is only restarted by a liveness probe.
      if (probed && container.role === 'container' && container.spec.livenessProbe === undefined) {
        report(
          'liveness-probe',
          document,
          `${container.label}: no livenessProbe`,
          `Add a livenessProbe to ${container.label}, or waive it with the reason.`,
        );
      }
      // A read-only root keeps an intruder from dropping tools into the image; writable scratch is an emptyDir.
      if (getPath(container.spec, 'securityContext', 'readOnlyRootFilesystem') !== true) {
        report(
          'read-only-root-filesystem',
          document,
          `${container.label}: securityContext.readOnlyRootFilesystem is not true`,
          `Set readOnlyRootFilesystem: true and mount an emptyDir where ${container.label} must write, or waive it with the reason.`,
        );
      }
    }
  }
}
