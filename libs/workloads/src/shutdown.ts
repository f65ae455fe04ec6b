import { kubernetesMinor, supportsSleepAction } from '@aks-gitops/cluster-model';
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import type { FieldErrors } from './errors';
import type { ShutdownSpec } from './workload-props';

/** Which front door a workload sits behind; it decides the default preStop wait. */
export type FrontDoor = 'agic' | 'gateway' | 'load-balancer';

/** Default preStop wait per front door, in seconds (sources in ShutdownSpec.preStopSeconds). */
export const DEFAULT_PRESTOP_SECONDS: Readonly<Record<FrontDoor, number>> = {
  agic: 90,
  gateway: 30,
  'load-balancer': 15,
};
export const DEFAULT_DRAIN_SECONDS = 30;
/** Slack between the end of draining and SIGKILL. */
export const GRACE_MARGIN_SECONDS = 5;
/** Annotation recording why a workload shortened its preStop wait. */
export const SHUTDOWN_REASON_ANNOTATION = 'aks-gitops.io/shutdown-reason';

/** A resolved shutdown: what ZeroTrustWorkload writes into the pod. */
export interface ResolvedShutdown {
  readonly preStopSeconds: number;
  readonly drainSeconds: number;
  readonly terminationGracePeriodSeconds: number;
  /** `sleep` (1.30+) or an exec command; none when preStopSeconds is 0. */
  readonly preStop?: { readonly sleep: number } | { readonly exec: readonly string[] };
  readonly reason?: string;
}

export function resolveShutdown(
  spec: ShutdownSpec | undefined,
  frontDoor: FrontDoor,
  cluster: ClusterSpec,
  errs: FieldErrors,
): ResolvedShutdown {
  const s = spec ?? {};
  const def = DEFAULT_PRESTOP_SECONDS[frontDoor];
  const preStopSeconds = s.preStopSeconds ?? def;
  const drainSeconds = s.drainSeconds ?? DEFAULT_DRAIN_SECONDS;
  const int = (v: unknown, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
  if (!int(preStopSeconds, 600))
    throw errs.error(
      'shutdown.preStopSeconds',
      `${JSON.stringify(s.preStopSeconds)} is not an integer from 0 to 600`,
      `use seconds, e.g. ${def}`,
    );
  if (!int(drainSeconds, 3600))
    throw errs.error(
      'shutdown.drainSeconds',
      `${JSON.stringify(s.drainSeconds)} is not an integer from 0 to 3600`,
      `use seconds, e.g. ${DEFAULT_DRAIN_SECONDS}`,
    );
  const reason = typeof s.reason === 'string' ? s.reason.trim() : '';
  if (preStopSeconds < def && !reason) {
    throw errs.error(
      'shutdown.preStopSeconds',
      `${preStopSeconds} is below the default ${def} s for this front door (${frontDoor}), so requests may still arrive after the pod stops`,
      'keep the default, or add shutdown.reason saying why this workload can stop sooner',
    );
  }
  let preStop: ResolvedShutdown['preStop'];
  if (preStopSeconds > 0) {
    if (s.preStopCommand !== undefined) {
      if (
        !Array.isArray(s.preStopCommand) ||
        s.preStopCommand.length === 0 ||
        !s.preStopCommand.every((c) => typeof c === 'string' && c.length > 0)
      ) {
        throw errs.error(
          'shutdown.preStopCommand',
          `${JSON.stringify(s.preStopCommand)} is not a non-empty command`,
          `write e.g. ["/bin/sleep", "${preStopSeconds}"]`,
        );
      }
      if (supportsSleepAction(cluster)) {
        throw errs.error(
          'shutdown.preStopCommand',
          `is set, but cluster ${cluster.name} runs Kubernetes ${cluster.kubernetesVersion}, which has the sleep lifecycle action (no binary in the image needed)`,
          'drop preStopCommand on this cluster',
        );
      }
      preStop = { exec: [...s.preStopCommand] };
    } else if (supportsSleepAction(cluster)) {
      preStop = { sleep: preStopSeconds };
    } else {
      throw errs.error(
        'shutdown.preStopCommand',
        `is needed: cluster ${cluster.name} runs Kubernetes 1.${kubernetesMinor(cluster)}, which has no sleep lifecycle action (beta from 1.30), and an exec preStop needs a binary the image may not have`,
        `set shutdown.preStopCommand to a command the image contains, e.g. ["/bin/sleep", "${preStopSeconds}"], or shutdown.preStopSeconds: 0 with a reason`,
      );
    }
  }
  return {
    preStopSeconds,
    drainSeconds,
    terminationGracePeriodSeconds: preStopSeconds + drainSeconds + GRACE_MARGIN_SECONDS,
    ...(preStop ? { preStop } : {}),
    ...(reason ? { reason } : {}),
  };
}
