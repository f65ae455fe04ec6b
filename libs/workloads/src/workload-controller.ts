import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { FLUX_PRUNE_ANNOTATION, FLUX_PRUNE_DISABLED } from '@aks-gitops/cluster-model';
import type { PodPort } from './cluster-claims';
import type { ResolvedShutdown } from './shutdown';
import { KubeDeploymentWithSleep, KubeStatefulSetWithSleep } from './sleep-prestop';
import type { WorkloadMeta } from './workload-meta';
import type { VolumeClaimSpec } from './zero-trust-workload-props';

/** What runs a workload's pod template: a Deployment, or a StatefulSet when it has volumes. */
export interface ControllerInput {
  readonly name: string;
  readonly meta: WorkloadMeta;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly template: k8s.PodTemplateSpec;
  /** Absent when an autoscaler owns the count. */
  readonly replicas?: number;
  /** Waivers and the shutdown reason, on the Deployment or StatefulSet. */
  readonly annotations: Record<string, string>;
  readonly shutdown: ResolvedShutdown;
}

/** The preStop `sleep` action, which the typed k8s classes cannot carry (see sleep-prestop.ts). */
function preStopSleep(shutdown: ResolvedShutdown): number | undefined {
  return shutdown.preStop && 'sleep' in shutdown.preStop ? shutdown.preStop.sleep : undefined;
}

/** A Deployment that rolls out without taking a pod away before its replacement is ready. */
export function addDeployment(scope: Construct, input: ControllerInput): k8s.KubeDeployment {
  const { replicas } = input;
  const deploymentProps: k8s.KubeDeploymentProps = {
    metadata: input.meta(input.name, { annotations: input.annotations }),
    spec: {
      ...(replicas !== undefined ? { replicas } : {}),
      revisionHistoryLimit: 5,
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: {
          maxUnavailable: k8s.IntOrString.fromNumber(0),
          maxSurge: k8s.IntOrString.fromString('25%'),
        },
      },
      selector: { matchLabels: input.selector },
      template: input.template,
    },
  };
  const sleep = preStopSleep(input.shutdown);
  return sleep === undefined
    ? new k8s.KubeDeployment(scope, 'Workload', deploymentProps)
    : new KubeDeploymentWithSleep(scope, 'Workload', deploymentProps, sleep);
}

/**
 * A StatefulSet with one claim per volume and replica, and its headless Service `<name>-headless`.
 * Stateful brokers keep their data when the app or its Kustomization is removed: the StatefulSet
 * and its claims are never pruned by Flux, and claims are retained on delete.
 */
export function addStatefulSet(
  scope: Construct,
  input: ControllerInput,
  ports: readonly PodPort[],
  volumes: readonly VolumeClaimSpec[],
): k8s.KubeStatefulSet {
  const { name, replicas } = input;
  const headless = `${name}-headless`;
  new k8s.KubeService(scope, 'Headless', {
    metadata: input.meta(headless),
    spec: {
      clusterIp: 'None',
      selector: input.selector,
      publishNotReadyAddresses: true,
      ports: ports.map((p) => ({
        name: p.name,
        port: p.port,
        targetPort: k8s.IntOrString.fromString(p.name),
        protocol: p.protocol,
      })),
    },
  });
  const statefulSetProps: k8s.KubeStatefulSetProps = {
    metadata: input.meta(name, {
      annotations: { [FLUX_PRUNE_ANNOTATION]: FLUX_PRUNE_DISABLED, ...input.annotations },
    }),
    spec: {
      serviceName: headless,
      ...(replicas !== undefined ? { replicas } : {}),
      podManagementPolicy: 'Parallel',
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      selector: { matchLabels: input.selector },
      template: input.template,
      volumeClaimTemplates: volumes.map((v) => ({
        metadata: {
          name: v.name,
          labels: input.labels,
          annotations: { [FLUX_PRUNE_ANNOTATION]: FLUX_PRUNE_DISABLED },
        },
        spec: {
          accessModes: ['ReadWriteOnce'],
          ...(v.storageClassName ? { storageClassName: v.storageClassName } : {}),
          resources: { requests: { storage: k8s.Quantity.fromString(v.size) } },
        },
      })),
    },
  };
  const sleep = preStopSleep(input.shutdown);
  return sleep === undefined
    ? new k8s.KubeStatefulSet(scope, 'Workload', statefulSetProps)
    : new KubeStatefulSetWithSleep(scope, 'Workload', statefulSetProps, sleep);
}
