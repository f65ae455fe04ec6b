import { k8s } from 'cdk8s-plus-28';
import { WORKLOAD_IDENTITY_USE } from './labels';
import { LIVENESS_TIMING, READINESS_TIMING, STARTUP_TIMING, toK8sProbe } from './probes';
import { DEFAULTS, TMP_VOLUME } from './workload-defaults';
import type { ZeroTrustWorkloadProps } from './zero-trust-workload-props';

/** What the pod template needs besides the props: names, labels and what the config objects mount. */
export interface PodTemplateInput {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly props: ZeroTrustWorkloadProps;
  /** ConfigMaps exposed as environment variables. */
  readonly envFrom: readonly k8s.EnvFromSource[];
  /** Volumes besides the platform's /tmp, and their mounts (Key Vault secrets, claim templates). */
  readonly volumes: readonly k8s.Volume[];
  readonly mounts: readonly k8s.VolumeMount[];
}

/**
 * The hardened pod: Pod Security `restricted` (non-root UID/GID, seccomp RuntimeDefault, all
 * capabilities dropped, no privilege escalation), a read-only root with a writable /tmp, no API
 * token, probes, the preStop wait and grace period of its front door, spread over zones and nodes.
 */
export function podTemplate(input: PodTemplateInput): k8s.PodTemplateSpec {
  const { name, props } = input;
  const wi = props.workloadIdentity;
  const uid = props.runAsUser ?? DEFAULTS.uid;
  const podLabels = { ...input.labels, ...(wi ? { [WORKLOAD_IDENTITY_USE]: 'true' } : {}) };
  const podSpec: k8s.PodSpec = {
    serviceAccountName: name,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    terminationGracePeriodSeconds: props.resolvedShutdown.terminationGracePeriodSeconds,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: uid,
      runAsGroup: uid,
      fsGroup: uid,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    containers: [container(input)],
    volumes: [{ name: TMP_VOLUME, emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } }, ...input.volumes],
    topologySpreadConstraints: [
      // ScheduleAnyway: spreading must never block scheduling in a region with fewer zones.
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: input.selector },
      },
      {
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: input.selector },
      },
    ],
  };
  return { metadata: { labels: podLabels }, spec: podSpec };
}

function container({ name, props, envFrom, mounts }: PodTemplateInput): k8s.Container {
  const shutdown = props.resolvedShutdown;
  const uid = props.runAsUser ?? DEFAULTS.uid;
  const firstTcp = props.ports.find((p) => p.protocol === 'TCP')?.port ?? 0;
  const res = props.resources ?? {};
  return {
    name,
    image: props.image,
    imagePullPolicy: 'IfNotPresent',
    ...(props.command ? { command: [...props.command] } : {}),
    ...(props.args ? { args: [...props.args] } : {}),
    ports: props.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol })),
    ...(props.env && Object.keys(props.env).length
      ? { env: Object.entries(sortRecord(props.env)).map(([n, value]) => ({ name: n, value })) }
      : {}),
    ...(envFrom.length ? { envFrom: [...envFrom] } : {}),
    resources: {
      requests: {
        cpu: k8s.Quantity.fromString(res.cpu ?? DEFAULTS.cpu),
        memory: k8s.Quantity.fromString(res.memory ?? DEFAULTS.memory),
      },
      limits: {
        memory: k8s.Quantity.fromString(res.memoryLimit ?? DEFAULTS.memoryLimit),
        ...(res.cpuLimit ? { cpu: k8s.Quantity.fromString(res.cpuLimit) } : {}),
      },
    },
    // The sleep handler is added after the typed conversion (see sleep-prestop.ts); exec is typed.
    ...(shutdown.preStop
      ? {
          lifecycle: { preStop: 'exec' in shutdown.preStop ? { exec: { command: [...shutdown.preStop.exec] } } : {} },
        }
      : {}),
    readinessProbe: toK8sProbe(props.readiness, firstTcp, READINESS_TIMING),
    livenessProbe: toK8sProbe(props.liveness, firstTcp, LIVENESS_TIMING),
    ...(props.startup ? { startupProbe: toK8sProbe(props.startup, firstTcp, STARTUP_TIMING) } : {}),
    securityContext: {
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: !props.writableRootFilesystem,
      runAsNonRoot: true,
      runAsUser: uid,
      runAsGroup: uid,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    volumeMounts: [{ name: TMP_VOLUME, mountPath: '/tmp' }, ...mounts],
  };
}

export function sortRecord(r: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
