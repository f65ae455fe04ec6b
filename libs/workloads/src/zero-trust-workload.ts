import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  DNS_LABEL,
  FLUX_PRUNE_ANNOTATION,
  FLUX_PRUNE_DISABLED,
  WAIVER_ANNOTATION_PREFIX,
  dnsLabelProblem,
  guidProblem,
  parseCidr,
  portProblem,
} from '@aks-gitops/cluster-model';
import { AppChart } from './app-chart';
import type { CallClaim, PodPort, WorkloadRecord } from './cluster-registry';
import { FieldErrors } from './errors';
import { imageProblem } from './image';
import { WORKLOAD_IDENTITY_CLIENT_ID, WORKLOAD_IDENTITY_USE, selectorLabels, workloadLabels } from './labels';
import { dnsEgressRule, ipBlockPeer, namespacePodPeer } from './network-peers';
import { LIVENESS_TIMING, READINESS_TIMING, STARTUP_TIMING, ProbeAction, probeProblem, toK8sProbe } from './probes';
import { SHUTDOWN_REASON_ANNOTATION, type ResolvedShutdown } from './shutdown';
import { KubeDeploymentWithSleep, KubeStatefulSetWithSleep } from './sleep-prestop';
import type { WorkloadProps } from './workload-props';

/** A persistent volume of a stateful workload (one PVC per replica through volumeClaimTemplates). */
export interface VolumeClaimSpec {
  readonly name: string;
  readonly mountPath: string;
  /** Size, e.g. `10Gi`. */
  readonly size: string;
  /** Default: the cluster default StorageClass. */
  readonly storageClassName?: string;
}

/** What L7Api and L4Service add on top of the shared WorkloadProps. */
export interface ZeroTrustWorkloadProps extends WorkloadProps {
  readonly component: string;
  /** Prefix of field paths in error messages, e.g. `L7Api(orders-api)`. */
  readonly fieldPrefix: string;
  readonly ports: readonly PodPort[];
  readonly readiness: ProbeAction;
  readonly liveness: ProbeAction;
  readonly startup?: ProbeAction;
  /** Ingress rules of the workload NetworkPolicy: exactly the sources that reach the pods. */
  readonly ingress: readonly k8s.NetworkPolicyIngressRule[];
  /** Run as a StatefulSet with these volumes instead of a Deployment. */
  readonly volumes?: readonly VolumeClaimSpec[];
  /** Extra waivers (rule id -> reason) the calling construct adds for an explicit loosening. */
  readonly waivers?: Readonly<Record<string, string>>;
  /** preStop wait, drain time and grace period, resolved by the construct for its front door. */
  readonly resolvedShutdown: ResolvedShutdown;
}

const QUANTITY = /^([0-9]+(\.[0-9]+)?)(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KV_OBJECT = /^[0-9a-zA-Z-]{1,127}$/;
const TMP_VOLUME = 'tmp';
const SECRETS_VOLUME = 'keyvault-secrets';
const SECRETS_MOUNT = '/mnt/secrets-store';
/** Waiver rule id for an egress rule to 0.0.0.0/0 (mirrors the policy rule netpol-allow-from-anywhere). */
export const EGRESS_ANYWHERE_RULE = 'netpol-allow-to-anywhere';
/** RFC 1918 ranges: never reachable through the workload identity egress rule. */
export const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] as const;
export const ENTRA_EGRESS_REASON =
  'workload identity: HTTPS to public addresses for the Entra ID token endpoint; FQDN filtering is done by the hub Azure Firewall';
const DEFAULTS = {
  replicas: 2,
  minReplicas: 2,
  cpu: '100m',
  memory: '128Mi',
  memoryLimit: '256Mi',
  targetCpu: 70,
  uid: 10001,
} as const;

function bytes(q: string): number {
  const m = QUANTITY.exec(q);
  if (!m) return NaN;
  const units: Record<string, number> = {
    '': 1,
    m: 0.001,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    Ki: 1024,
    Mi: 1024 ** 2,
    Gi: 1024 ** 3,
    Ti: 1024 ** 4,
  };
  return Number(m[1]) * units[m[3] ?? ''];
}

/**
 * The one pod implementation behind both L7Api and L4Service: ServiceAccount, Deployment or
 * StatefulSet, optional HPA, PDB, ConfigMap and SecretProviderClass, and the workload
 * NetworkPolicy. Hardening is not optional: Pod Security `restricted`, non-root UID/GID >= 10000,
 * seccomp RuntimeDefault, all capabilities dropped, read-only root with a writable /tmp.
 */
export class ZeroTrustWorkload extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly selector: Record<string, string>;
  readonly labels: Record<string, string>;
  readonly record: WorkloadRecord;
  /** Egress rules added once all apps are declared (calls to other apps). */
  private readonly lateEgress: k8s.NetworkPolicyEgressRule[];
  /** Escape hatches: the generated objects, for `addJsonPatch` when a prop does not cover a need. */
  readonly serviceAccount: k8s.KubeServiceAccount;
  readonly workload: k8s.KubeDeployment | k8s.KubeStatefulSet;
  readonly networkPolicy: k8s.KubeNetworkPolicy;
  readonly podDisruptionBudget?: k8s.KubePodDisruptionBudget;
  readonly autoscaler?: k8s.KubeHorizontalPodAutoscalerV2;
  readonly configMap?: k8s.KubeConfigMap;
  readonly secretProviderClass?: ApiObject;

  constructor(scope: Construct, id: string, props: ZeroTrustWorkloadProps) {
    super(scope, id);
    const chart = AppChart.containing(this);
    const errs = new FieldErrors(chart, props.fieldPrefix);
    const name = props.name ?? chart.app;
    errs.check('name', dnsLabelProblem(name, 50), 'use a lowercase DNS label of at most 50 characters');
    // The name is also the Service name, and Services need an RFC 1035 label: an app named
    // "1orders" is a valid namespace, but its default workload name would make a Service that
    // the API server rejects at apply time.
    if (!/^[a-z]/.test(name))
      throw errs.error(
        'name',
        `"${name}" does not start with a letter, so it cannot name a Service`,
        'set name: to a DNS label that starts with a letter',
      );
    if (!chart.claimWorkloadName(name)) {
      throw errs.error(
        'name',
        `workload name "${name}" is used twice in this app`,
        'give each L7Api/L4Service in the app its own name',
      );
    }
    const services = props.volumes?.length ? [name, `${name}-headless`] : [name];
    const clash = chart.claimServiceNames(name, services);
    if (clash) {
      throw errs.error(
        'name',
        `Service "${clash.service}" of workload ${name} is also the Service of workload ${clash.owner} in this app`,
        `rename workload ${name} or ${clash.owner} (a StatefulSet also has a Service <name>-headless)`,
      );
    }
    this.name = name;
    this.namespace = chart.namespace;
    this.selector = selectorLabels(name);
    this.labels = workloadLabels(chart.app, name, props.component);
    validate(props, errs);

    const waivers: Record<string, string> = { ...(props.waivers ?? {}) };
    if (props.writableRootFilesystem) waivers['read-only-root-filesystem'] = props.writableRootFilesystem.reason;
    const waiverAnnotations: Record<string, string> = Object.fromEntries(
      Object.entries(waivers).map(([rule, reason]) => [`${WAIVER_ANNOTATION_PREFIX}${rule}`, reason]),
    );
    const shutdown = props.resolvedShutdown;
    if (shutdown.reason) waiverAnnotations[SHUTDOWN_REASON_ANNOTATION] = shutdown.reason;
    const meta = (objName: string, extra: { annotations?: Record<string, string> } = {}) => ({
      name: objName,
      namespace: this.namespace,
      labels: this.labels,
      ...(extra.annotations && Object.keys(extra.annotations).length ? { annotations: extra.annotations } : {}),
    });

    // Identity: a dedicated ServiceAccount; the API token is never mounted. Workload identity
    // does not need it: its webhook projects its own audience-bound token into labelled pods.
    const wi = props.workloadIdentity;
    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: meta(name, wi ? { annotations: { [WORKLOAD_IDENTITY_CLIENT_ID]: wi.clientId } } : {}),
      automountServiceAccountToken: false,
    });

    const envFrom: k8s.EnvFromSource[] = [];
    if (props.config && Object.keys(props.config).length) {
      this.configMap = new k8s.KubeConfigMap(this, 'Config', {
        metadata: meta(`${name}-config`),
        data: sortRecord(props.config),
      });
      envFrom.push({ configMapRef: { name: `${name}-config` } });
    }

    const volumes: k8s.Volume[] = [{ name: TMP_VOLUME, emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } }];
    const mounts: k8s.VolumeMount[] = [{ name: TMP_VOLUME, mountPath: '/tmp' }];
    if (props.keyVaultSecrets?.length) {
      const spcName = `${name}-keyvault`;
      this.secretProviderClass = new ApiObject(this, 'KeyVaultSecrets', {
        apiVersion: 'secrets-store.csi.x-k8s.io/v1',
        kind: 'SecretProviderClass',
        metadata: meta(spcName),
        spec: {
          provider: 'azure',
          parameters: {
            usePodIdentity: 'false',
            clientID: wi?.clientId ?? '',
            keyvaultName: chart.cluster.keyVault.name,
            tenantId: chart.cluster.keyVault.tenantId,
            objects: keyVaultObjects([...props.keyVaultSecrets].sort()),
          },
        },
      });
      volumes.push({
        name: SECRETS_VOLUME,
        csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: spcName } },
      });
      mounts.push({ name: SECRETS_VOLUME, mountPath: SECRETS_MOUNT, readOnly: true });
    }
    for (const v of props.volumes ?? []) mounts.push({ name: v.name, mountPath: v.mountPath });

    const uid = props.runAsUser ?? DEFAULTS.uid;
    const firstTcp = props.ports.find((p) => p.protocol === 'TCP')?.port ?? 0;
    const res = props.resources ?? {};
    const container: k8s.Container = {
      name,
      image: props.image,
      imagePullPolicy: 'IfNotPresent',
      ...(props.command ? { command: [...props.command] } : {}),
      ...(props.args ? { args: [...props.args] } : {}),
      ports: props.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol })),
      ...(props.env && Object.keys(props.env).length
        ? { env: Object.entries(sortRecord(props.env)).map(([n, value]) => ({ name: n, value })) }
        : {}),
      ...(envFrom.length ? { envFrom } : {}),
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
      volumeMounts: mounts,
    };

    const podLabels = { ...this.labels, ...(wi ? { [WORKLOAD_IDENTITY_USE]: 'true' } : {}) };
    const podSpec: k8s.PodSpec = {
      serviceAccountName: name,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: shutdown.terminationGracePeriodSeconds,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: uid,
        runAsGroup: uid,
        fsGroup: uid,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [container],
      volumes,
      topologySpreadConstraints: [
        // ScheduleAnyway: spreading must never block scheduling in a region with fewer zones.
        {
          maxSkew: 1,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: 'ScheduleAnyway',
          labelSelector: { matchLabels: this.selector },
        },
        {
          maxSkew: 1,
          topologyKey: 'kubernetes.io/hostname',
          whenUnsatisfiable: 'ScheduleAnyway',
          labelSelector: { matchLabels: this.selector },
        },
      ],
    };
    const template: k8s.PodTemplateSpec = { metadata: { labels: podLabels }, spec: podSpec };
    const replicas = props.autoscaling ? undefined : (props.replicas ?? DEFAULTS.replicas);
    const kindName = props.volumes?.length ? 'StatefulSet' : 'Deployment';

    if (props.volumes?.length) {
      // Stateful brokers keep their data when the app or its Kustomization is removed: the
      // StatefulSet and its claims are never pruned by Flux, and claims are retained on delete.
      const headless = `${name}-headless`;
      new k8s.KubeService(this, 'Headless', {
        metadata: meta(headless),
        spec: {
          clusterIp: 'None',
          selector: this.selector,
          publishNotReadyAddresses: true,
          ports: props.ports.map((p) => ({
            name: p.name,
            port: p.port,
            targetPort: k8s.IntOrString.fromString(p.name),
            protocol: p.protocol,
          })),
        },
      });
      const sleep = shutdown.preStop && 'sleep' in shutdown.preStop ? shutdown.preStop.sleep : undefined;
      const statefulSetProps: k8s.KubeStatefulSetProps = {
        metadata: meta(name, { annotations: { [FLUX_PRUNE_ANNOTATION]: FLUX_PRUNE_DISABLED, ...waiverAnnotations } }),
        spec: {
          serviceName: headless,
          ...(replicas !== undefined ? { replicas } : {}),
          podManagementPolicy: 'Parallel',
          persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
          selector: { matchLabels: this.selector },
          template,
          volumeClaimTemplates: props.volumes.map((v) => ({
            metadata: {
              name: v.name,
              labels: this.labels,
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
      this.workload =
        sleep === undefined
          ? new k8s.KubeStatefulSet(this, 'Workload', statefulSetProps)
          : new KubeStatefulSetWithSleep(this, 'Workload', statefulSetProps, sleep);
    } else {
      const sleep = shutdown.preStop && 'sleep' in shutdown.preStop ? shutdown.preStop.sleep : undefined;
      const deploymentProps: k8s.KubeDeploymentProps = {
        metadata: meta(name, { annotations: waiverAnnotations }),
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
          selector: { matchLabels: this.selector },
          template,
        },
      };
      this.workload =
        sleep === undefined
          ? new k8s.KubeDeployment(this, 'Workload', deploymentProps)
          : new KubeDeploymentWithSleep(this, 'Workload', deploymentProps, sleep);
    }

    if (props.autoscaling) {
      const a = props.autoscaling;
      this.autoscaler = new k8s.KubeHorizontalPodAutoscalerV2(this, 'Autoscaler', {
        metadata: meta(name),
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: kindName, name },
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
    // An HPA may scale past one pod at any time, so an autoscaled workload always gets a budget
    // (maxUnavailable 1 still lets a drain evict a lone pod); the policy gate requires the same.
    // Before, minReplicas 1 meant no budget and the gate failed the synthesized output.
    if (props.autoscaling || (replicas ?? 1) > 1) {
      this.podDisruptionBudget = new k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
        metadata: meta(name),
        spec: {
          maxUnavailable: k8s.IntOrString.fromNumber(1),
          selector: { matchLabels: this.selector },
          unhealthyPodEvictionPolicy: 'AlwaysAllow',
        },
      });
    }

    // Egress: DNS, declared CIDRs, and (added once every app is declared) the apps this one calls.
    const lateEgress: k8s.NetworkPolicyEgressRule[] = [];
    const staticEgress: k8s.NetworkPolicyEgressRule[] = [dnsEgressRule()];
    for (const e of props.egress ?? []) {
      staticEgress.push({
        to: [ipBlockPeer(e.cidr)],
        ports: e.ports.map((p) => ({ port: k8s.IntOrString.fromNumber(p.port), protocol: p.protocol ?? 'TCP' })),
      });
    }
    // The reason for an egress to anywhere was validated but then dropped, although the props doc
    // and README promise a visible, reviewed exception: record it as a waiver on the policy.
    const anywhere = (props.egress ?? [])
      .filter((e) => parseCidr(e.cidr)?.prefix === 0)
      .map((e) => (e.reason ?? '').trim());
    if (wi) {
      // Workload identity exchanges its projected token at Entra ID (login.microsoftonline.com),
      // whose addresses are public and many. NetworkPolicy cannot name an FQDN without Cilium
      // ACNS, so allow HTTPS to public addresses only; the hub firewall's FQDN rules decide
      // which hosts are reachable.
      staticEgress.push({
        to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [...PRIVATE_RANGES] } }],
        ports: [{ port: k8s.IntOrString.fromNumber(443), protocol: 'TCP' }],
      });
      anywhere.push(ENTRA_EGRESS_REASON);
    }
    this.networkPolicy = new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: meta(
        name,
        anywhere.length
          ? {
              annotations: {
                [`${WAIVER_ANNOTATION_PREFIX}${EGRESS_ANYWHERE_RULE}`]: [...new Set(anywhere)].join('; '),
              },
            }
          : {},
      ),
      spec: {
        podSelector: { matchLabels: this.selector },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [...props.ingress],
        egress: Lazy.any({ produce: () => [...staticEgress, ...lateEgress] }),
      },
    });

    this.record = { app: chart.app, name, namespace: this.namespace, selector: this.selector, ports: props.ports };
    this.lateEgress = lateEgress;
    chart.registry.addWorkload(this.record);
    for (const e of props.egress ?? []) {
      chart.registry.egress.push({
        app: chart.app,
        workload: name,
        destination: e.cidr,
        ports: e.ports.map((p) => `${p.protocol ?? 'TCP'} ${p.port}`),
      });
    }
    if (wi)
      chart.registry.egress.push({
        app: chart.app,
        workload: name,
        destination: 'public addresses (Entra ID)',
        ports: ['TCP 443'],
      });
    if (wi)
      chart.registry.identities.push({
        app: chart.app,
        workload: name,
        namespace: this.namespace,
        serviceAccount: name,
        clientId: wi.clientId,
        keyVaultSecrets: Boolean(props.keyVaultSecrets?.length),
      });
    const mine = (props.calls ?? []).map((c, i): CallClaim => {
      const call = typeof c === 'string' ? { app: c } : c;
      return {
        caller: this.record,
        targetApp: call.app,
        targetWorkload: call.workload,
        ports: call.ports,
        field: `${props.fieldPrefix}.calls[${i}]`,
      };
    });
    chart.registry.calls.push(...mine);
    chart.registry.accepts.push(
      ...(props.acceptCallsFrom ?? []).map((from, i) => ({
        app: chart.app,
        workload: name,
        from,
        field: `${props.fieldPrefix}.acceptCallsFrom[${i}]`,
      })),
    );
    // After every app is declared (the registry has checked each call and its consent by then).
    chart.registry.onFinalize(() => this.wireCalls(chart, mine));
  }

  /**
   * Egress to each callee here, and ingress from each accepted caller as a NetworkPolicy in this
   * workload's own namespace: the allow rule lives in the callee's folder, owned by the callee's
   * Flux Kustomization, and no app writes into another app's namespace.
   */
  private wireCalls(chart: AppChart, mine: readonly CallClaim[]): void {
    for (const call of mine) {
      const { target, ports } = chart.registry.resolveCall(call);
      this.lateEgress.push({
        to: [namespacePodPeer(target.namespace, target.selector)],
        ports: ports.map((p) => ({ port: k8s.IntOrString.fromNumber(p.port), protocol: p.protocol })),
      });
    }
    for (const { call, ports } of chart.registry.callsTo(chart.app, this.name)) {
      const caller = call.caller;
      new k8s.KubeNetworkPolicy(this, `CallerIngress-${caller.app}-${caller.name}`, {
        metadata: { name: calleePolicyName(caller, this.record), namespace: this.namespace, labels: this.labels },
        spec: {
          podSelector: { matchLabels: { ...this.selector } },
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [namespacePodPeer(caller.namespace, caller.selector)],
              ports: ports.map((p) => ({ port: k8s.IntOrString.fromNumber(p.port), protocol: p.protocol })),
            },
          ],
        },
      });
    }
  }
}

function validate(props: ZeroTrustWorkloadProps, errs: FieldErrors): void {
  errs.check('image', imageProblem(props.image), 'pin a version: registry/repo:1.2.3 or registry/repo@sha256:<digest>');
  if (props.replicas !== undefined) {
    if (props.autoscaling)
      throw errs.error(
        'replicas',
        'is set together with autoscaling',
        'drop replicas: the HorizontalPodAutoscaler owns the count (set autoscaling.minReplicas)',
      );
    if (!Number.isInteger(props.replicas) || props.replicas < 1 || props.replicas > 100)
      throw errs.error(
        'replicas',
        `${JSON.stringify(props.replicas)} is not an integer from 1 to 100`,
        'set 1..100 replicas',
      );
  }
  if (props.autoscaling) {
    const a = props.autoscaling;
    const min = a.minReplicas ?? DEFAULTS.minReplicas;
    if (!Number.isInteger(min) || min < 1)
      throw errs.error(
        'autoscaling.minReplicas',
        `${JSON.stringify(a.minReplicas)} is not a positive integer`,
        'set minReplicas >= 1',
      );
    if (!Number.isInteger(a.maxReplicas) || a.maxReplicas < min || a.maxReplicas > 1000)
      throw errs.error(
        'autoscaling.maxReplicas',
        `${JSON.stringify(a.maxReplicas)} is not an integer from minReplicas (${min}) to 1000`,
        'set maxReplicas >= minReplicas',
      );
    const t = a.targetCpuUtilization;
    if (t !== undefined && (!Number.isInteger(t) || t < 1 || t > 100))
      throw errs.error(
        'autoscaling.targetCpuUtilization',
        `${JSON.stringify(t)} is not a percentage from 1 to 100`,
        'use e.g. 70',
      );
  }
  const res = props.resources ?? {};
  for (const key of ['cpu', 'memory', 'memoryLimit', 'cpuLimit'] as const) {
    const v = res[key];
    if (v !== undefined && (typeof v !== 'string' || !QUANTITY.test(v)))
      throw errs.error(
        `resources.${key}`,
        `${JSON.stringify(v)} is not a Kubernetes quantity`,
        'write e.g. "250m" for CPU or "256Mi" for memory',
      );
  }
  if (bytes(res.memoryLimit ?? DEFAULTS.memoryLimit) < bytes(res.memory ?? DEFAULTS.memory)) {
    throw errs.error(
      'resources.memoryLimit',
      `${res.memoryLimit ?? DEFAULTS.memoryLimit} is below the memory request ${res.memory ?? DEFAULTS.memory}`,
      'set memoryLimit >= memory',
    );
  }
  const uid = props.runAsUser ?? DEFAULTS.uid;
  if (!Number.isInteger(uid) || uid < 10000 || uid > 2147483647)
    throw errs.error(
      'runAsUser',
      `${JSON.stringify(props.runAsUser)} is not a UID >= 10000`,
      'build the image to run as a UID of 10000 or more (kube-score container-security-context-user-group-id)',
    );
  for (const k of Object.keys(props.env ?? {}))
    if (!ENV_NAME.test(k))
      throw errs.error(
        `env.${k}`,
        `"${k}" is not a valid environment variable name`,
        'use letters, digits and underscores, not starting with a digit',
      );
  for (const k of Object.keys(props.config ?? {}))
    if (!/^[-._a-zA-Z0-9]+$/.test(k))
      throw errs.error(`config.${k}`, `"${k}" is not a valid ConfigMap key`, 'use letters, digits, "-", "_" and "."');
  if (props.workloadIdentity)
    errs.check(
      'workloadIdentity.clientId',
      guidProblem(props.workloadIdentity.clientId),
      'use the client ID (GUID) of the user-assigned managed identity',
    );
  (props.keyVaultSecrets ?? []).forEach((s, i) => {
    if (typeof s !== 'string' || !KV_OBJECT.test(s))
      throw errs.error(
        `keyVaultSecrets[${i}]`,
        `${JSON.stringify(s)} is not a Key Vault secret name`,
        'use 1-127 letters, digits and dashes',
      );
  });
  if (props.keyVaultSecrets?.length && !props.workloadIdentity) {
    throw errs.error(
      'keyVaultSecrets',
      'needs a workload identity to read Key Vault',
      'set workloadIdentity: { clientId } for an identity with "Key Vault Secrets User" on the vault',
    );
  }
  (props.egress ?? []).forEach((e, i) => {
    const c = parseCidr(e?.cidr);
    if (!c)
      throw errs.error(
        `egress[${i}].cidr`,
        `${JSON.stringify(e?.cidr)} is not an IPv4 CIDR`,
        'write a network address such as "10.30.0.0/24" or "10.30.0.5/32"',
      );
    if (c.prefix === 0 && !e.reason?.trim())
      throw errs.error(
        `egress[${i}].cidr`,
        'allows egress to anywhere without a reason',
        'narrow the CIDR, or add reason: "..." to record why this workload needs the Internet',
      );
    if (!Array.isArray(e.ports) || e.ports.length === 0)
      throw errs.error(`egress[${i}].ports`, 'is empty', 'list the destination ports, e.g. [{ port: 5432 }]');
    e.ports.forEach((p, j) => {
      errs.check(`egress[${i}].ports[${j}].port`, portProblem(p?.port), 'use 1-65535');
      if (p.protocol !== undefined && p.protocol !== 'TCP' && p.protocol !== 'UDP')
        throw errs.error(
          `egress[${i}].ports[${j}].protocol`,
          `${JSON.stringify(p.protocol)} is not TCP or UDP`,
          'use "TCP" or "UDP"',
        );
    });
  });
  const accepted = new Set<string>();
  (props.acceptCallsFrom ?? []).forEach((from, i) => {
    errs.check(`acceptCallsFrom[${i}]`, dnsLabelProblem(from), 'name the calling app, e.g. "payments-api"');
    if (from === errs.app)
      throw errs.error(
        `acceptCallsFrom[${i}]`,
        `names this app (${from}); workloads of one app need no consent to call each other`,
        `remove '${from}'`,
      );
    if (accepted.has(from)) throw errs.error(`acceptCallsFrom[${i}]`, `lists ${from} twice`, 'list each caller once');
    accepted.add(from);
  });
  (props.calls ?? []).forEach((c, i) => {
    const appName = typeof c === 'string' ? c : c?.app;
    errs.check(`calls[${i}]`, dnsLabelProblem(appName), 'name another app, e.g. "orders-api"');
    // `ports: []` would become a NetworkPolicy rule with no ports, which admits every port.
    if (typeof c === 'object' && c.ports !== undefined && (!Array.isArray(c.ports) || c.ports.length === 0)) {
      throw errs.error(
        `calls[${i}].ports`,
        'is empty, and an empty port list would allow every port',
        "omit ports to allow all of the callee's ports, or list the ones needed",
      );
    }
  });
  const tcpPorts = props.ports.filter((p) => p.protocol === 'TCP').map((p) => p.port);
  const udpPorts = props.ports.filter((p) => p.protocol === 'UDP').map((p) => p.port);
  errs.check(
    'health.readiness',
    probeProblem(props.readiness, tcpPorts, udpPorts),
    'probe an HTTP path starting with "/", a TCP port of the container, a gRPC port or an exec command',
  );
  errs.check(
    'health.liveness',
    probeProblem(props.liveness, tcpPorts, udpPorts),
    'probe an HTTP path starting with "/", a TCP port of the container, a gRPC port or an exec command',
  );
  if (props.startup)
    errs.check(
      'health.startup',
      probeProblem(props.startup, tcpPorts, udpPorts),
      'probe an HTTP path starting with "/", a TCP port of the container, a gRPC port or an exec command',
    );
  if (props.writableRootFilesystem && !props.writableRootFilesystem.reason?.trim()) {
    throw errs.error(
      'writableRootFilesystem.reason',
      'is empty',
      'say why the container must write outside /tmp (it is recorded as a policy waiver)',
    );
  }
  // Volume names and mount paths must be unique in the pod; the platform already uses these.
  const volumeNames = new Set<string>([TMP_VOLUME, SECRETS_VOLUME]);
  const mountPaths = new Set<string>(['/tmp', SECRETS_MOUNT]);
  (props.volumes ?? []).forEach((v, i) => {
    errs.check(`volumes[${i}].name`, dnsLabelProblem(v?.name), 'use a lowercase DNS label');
    if (volumeNames.has(v.name))
      throw errs.error(
        `volumes[${i}].name`,
        `"${v.name}" is used twice or reserved (${TMP_VOLUME}, ${SECRETS_VOLUME})`,
        'give every volume its own name',
      );
    volumeNames.add(v.name);
    if (typeof v.mountPath !== 'string' || !v.mountPath.startsWith('/') || mountPaths.has(v.mountPath))
      throw errs.error(
        `volumes[${i}].mountPath`,
        `${JSON.stringify(v.mountPath)} is not an absolute path, or is already mounted (/tmp and ${SECRETS_MOUNT} are the platform's)`,
        'mount each volume at its own absolute path such as /data',
      );
    mountPaths.add(v.mountPath);
    if (typeof v.size !== 'string' || !QUANTITY.test(v.size) || !(bytes(v.size) > 0))
      throw errs.error(
        `volumes[${i}].size`,
        `${JSON.stringify(v.size)} is not a storage quantity`,
        'write e.g. "10Gi"',
      );
    // StorageClass names are DNS subdomains; anything else is rejected by the API server at apply time.
    if (
      v.storageClassName !== undefined &&
      (typeof v.storageClassName !== 'string' ||
        v.storageClassName.length > 253 ||
        !v.storageClassName.split('.').every((l) => DNS_LABEL.test(l)))
    ) {
      throw errs.error(
        `volumes[${i}].storageClassName`,
        `${JSON.stringify(v.storageClassName)} is not a StorageClass name`,
        'name an existing StorageClass, e.g. "managed-csi-premium", or omit it for the cluster default',
      );
    }
  });
}

function sortRecord(r: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The provider's `objects` parameter: a YAML array of objects, as its docs show it. */
function keyVaultObjects(names: readonly string[]): string {
  return `array:\n${names.map((n) => `  - |\n    objectName: ${n}\n    objectType: secret\n`).join('')}`;
}

function truncateName(n: string): string {
  return n.length <= 63 ? n : n.slice(0, 63).replace(/-+$/, '');
}

/**
 * Name of the callee-side NetworkPolicy, unique per caller workload and callee workload inside the
 * callee's namespace. It used to be `allow-from-<ns>-<workload>`, so app "payments" workload "api"
 * and app "payments-api" both wrote `allow-from-payments-api` into the callee namespace (two Flux
 * Kustomizations fighting over one object), and one caller calling two workloads of an app wrote
 * the same name twice. NetworkPolicy names are DNS subdomains: a dot, which no app or workload name
 * can contain, separates the parts. The common case (default workload names) keeps its old name.
 */
function calleePolicyName(caller: WorkloadRecord, target: WorkloadRecord): string {
  const head = truncateName(`allow-from-${caller.namespace}`);
  if (target.name !== target.namespace) return `${head}.${caller.name}.to-${target.name}`;
  return caller.name === caller.namespace ? head : `${head}.${caller.name}`;
}
