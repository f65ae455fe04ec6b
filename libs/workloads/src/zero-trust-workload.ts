import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  FLUX_PRUNE_ANNOTATION,
  FLUX_PRUNE_DISABLED,
  WAIVER_ANNOTATION_PREFIX,
  dnsLabelProblem,
  parseCidr,
} from '@aks-gitops/cluster-model';
import { AppChart } from './app-chart';
import type { CallClaim, WorkloadRecord } from './cluster-registry';
import { FieldErrors } from './errors';
import { WORKLOAD_IDENTITY_CLIENT_ID, WORKLOAD_IDENTITY_USE, selectorLabels, workloadLabels } from './labels';
import { dnsEgressRule, ipBlockPeer, namespacePodPeer } from './network-peers';
import { keyVaultObjects, sortRecord } from './pod-template';
import { LIVENESS_TIMING, READINESS_TIMING, STARTUP_TIMING, toK8sProbe } from './probes';
import { SHUTDOWN_REASON_ANNOTATION } from './shutdown';
import { KubeDeploymentWithSleep, KubeStatefulSetWithSleep } from './sleep-prestop';
import { validateWorkloadProps } from './validate-workload-props';
import { DEFAULTS, SECRETS_MOUNT, SECRETS_VOLUME, TMP_VOLUME } from './workload-defaults';
import { EGRESS_ANYWHERE_RULE, ENTRA_EGRESS_REASON, PRIVATE_RANGES, calleePolicyName } from './workload-network-policy';
import type { ZeroTrustWorkloadProps } from './zero-trust-workload-props';

export type { VolumeClaimSpec, ZeroTrustWorkloadProps } from './zero-trust-workload-props';
export { EGRESS_ANYWHERE_RULE, ENTRA_EGRESS_REASON, PRIVATE_RANGES } from './workload-network-policy';

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
    validateWorkloadProps(props, errs);

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
