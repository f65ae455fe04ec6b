import type { KubeObject, ManifestDocument } from '@aks-gitops/cluster-model';
import { asRecord, asRecords, asString, asStringMap, getPath, type UnknownRecord } from './unknown-value';

export type ContainerRole = 'container' | 'initContainer' | 'ephemeralContainer';

export interface ContainerView {
  role: ContainerRole;
  name: string;
  spec: UnknownRecord;
  /** `container "api"`: the prefix every per-container message starts with. */
  label: string;
}

/** The pod a workload would create, read once so every pod rule sees the same thing. */
export interface PodTemplateView {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  spec: UnknownRecord;
  containers: ContainerView[];
}

export interface WorkloadView {
  document: ManifestDocument;
  object: KubeObject;
  namespace: string | undefined;
  pod: PodTemplateView;
}

/** Where each kind keeps its pod template. A Pod is its own template. */
const POD_TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  Pod: [],
};

/** Kinds whose `spec.replicas` runs several identical pods, which is what a PDB protects. */
export const REPLICATED_KINDS: ReadonlySet<string> = new Set([
  'Deployment',
  'StatefulSet',
  'ReplicaSet',
  'ReplicationController',
]);

/** Kinds whose pods run to completion: probes and disruption budgets do not apply, everything else does. */
export const RUN_TO_COMPLETION_KINDS: ReadonlySet<string> = new Set(['Job', 'CronJob']);

/**
 * True for pods meant to keep serving (Deployment, StatefulSet, DaemonSet, ReplicaSet,
 * ReplicationController, and a bare Pod that restarts always). Jobs, CronJobs and bare Pods with
 * restartPolicy Never/OnFailure finish: a readiness probe gates no traffic and a liveness probe on a
 * batch step mostly kills slow work, so the probe rules skip them. Security, resources, images and
 * NetworkPolicy coverage apply to every pod.
 */
export function isLongRunning(object: KubeObject, pod: PodTemplateView): boolean {
  if (RUN_TO_COMPLETION_KINDS.has(object.kind)) return false;
  if (object.kind === 'Pod') return (pod.spec.restartPolicy ?? 'Always') === 'Always';
  return true;
}

export function isWorkloadKind(kind: string): boolean {
  return Object.prototype.hasOwnProperty.call(POD_TEMPLATE_PATHS, kind);
}

const CONTAINER_LISTS: readonly [string, ContainerRole][] = [
  ['initContainers', 'initContainer'],
  ['containers', 'container'],
  ['ephemeralContainers', 'ephemeralContainer'],
];

/** Reads the pod template of a workload; undefined for non-workloads and templates without a spec. */
export function podTemplateOf(object: KubeObject): PodTemplateView | undefined {
  const path = POD_TEMPLATE_PATHS[object.kind];
  if (path === undefined) return undefined;
  const template = asRecord(path.length === 0 ? object : getPath(object, ...path)) ?? {};
  const metadata = asRecord(template.metadata) ?? {};
  // A template without a spec still has to be judged (it fails nearly everything), so use {}.
  const spec = asRecord(template.spec) ?? {};
  const containers: ContainerView[] = [];
  for (const [listKey, role] of CONTAINER_LISTS) {
    asRecords(spec[listKey]).forEach((container, index) => {
      const name = asString(container.name) ?? `#${index}`;
      containers.push({ role, name, spec: container, label: `${role} "${name}"` });
    });
  }
  return { labels: asStringMap(metadata.labels), annotations: asStringMap(metadata.annotations), spec, containers };
}
