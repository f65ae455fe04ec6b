import type { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { WAIVER_ANNOTATION_PREFIX } from '@aks-gitops/cluster-model';
import { AppChart } from './app-chart';
import type { CallClaim, WorkloadRecord } from './cluster-claims';
import { FieldErrors } from './errors';
import { WORKLOAD_IDENTITY_CLIENT_ID, selectorLabels, workloadLabels } from './labels';
import { podTemplate } from './pod-template';
import { SHUTDOWN_REASON_ANNOTATION } from './shutdown';
import { claimWorkloadName, validateWorkloadProps } from './validate-workload-props';
import { addPodConfig } from './workload-config';
import { addDeployment, addStatefulSet, type ControllerInput } from './workload-controller';
import { DEFAULTS } from './workload-defaults';
import { workloadMeta } from './workload-meta';
import { addCallerIngressPolicy, addWorkloadNetworkPolicy, callEgressRule } from './workload-network-policy';
import { addAutoscaler, addDisruptionBudget } from './workload-scaling';
import type { ZeroTrustWorkloadProps } from './zero-trust-workload-props';

export type { VolumeClaimSpec, ZeroTrustWorkloadProps } from './zero-trust-workload-props';
export { EGRESS_ANYWHERE_RULE, ENTRA_EGRESS_REASON, PRIVATE_RANGES } from './workload-network-policy';

/**
 * The one pod implementation behind both L7Api and L4Service: ServiceAccount, Deployment or
 * StatefulSet, optional HPA, PDB, ConfigMap and SecretProviderClass, and the workload
 * NetworkPolicy. Hardening is not optional: Pod Security `restricted`, non-root UID/GID >= 10000,
 * seccomp RuntimeDefault, all capabilities dropped, read-only root with a writable /tmp.
 *
 * Escape hatches: every generated object is a field (`deployment` or `statefulSet`,
 * `serviceAccount`, `networkPolicy`, ...), for `addJsonPatch` when a prop does not cover a need;
 * the policy gate still checks the result.
 */
export class ZeroTrustWorkload extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly selector: Record<string, string>;
  readonly labels: Record<string, string>;
  readonly record: WorkloadRecord;
  /** Egress rules added once all apps are declared (calls to other apps). */
  private readonly lateEgress: k8s.NetworkPolicyEgressRule[] = [];
  /** The ServiceAccount `<name>` (API token never mounted). */
  readonly serviceAccount: k8s.KubeServiceAccount;
  /** The Deployment `<name>`; absent when the workload has volumes (then it is `statefulSet`). */
  readonly deployment?: k8s.KubeDeployment;
  /** The StatefulSet `<name>` of a workload with volumes; absent otherwise (then it is `deployment`). */
  readonly statefulSet?: k8s.KubeStatefulSet;
  /** The workload's own NetworkPolicy `<name>` (callers' allow rules are separate policies). */
  readonly networkPolicy: k8s.KubeNetworkPolicy;
  readonly podDisruptionBudget?: k8s.KubePodDisruptionBudget;
  readonly autoscaler?: k8s.KubeHorizontalPodAutoscalerV2;
  readonly configMap?: k8s.KubeConfigMap;
  readonly secretProviderClass?: ApiObject;

  constructor(scope: Construct, id: string, props: ZeroTrustWorkloadProps) {
    super(scope, id);
    const chart = AppChart.containing(this);
    const errs = new FieldErrors(chart, props.fieldPrefix);
    const name = claimWorkloadName(chart, errs, props);
    this.name = name;
    this.namespace = chart.namespace;
    this.selector = selectorLabels(name);
    this.labels = workloadLabels(chart.app, name, props.component);
    validateWorkloadProps(props, errs);
    const meta = workloadMeta(this.namespace, this.labels);

    // Identity: a dedicated ServiceAccount; the API token is never mounted. Workload identity
    // does not need it: its webhook projects its own audience-bound token into labelled pods.
    const clientId = props.workloadIdentity?.clientId;
    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: meta(name, clientId ? { annotations: { [WORKLOAD_IDENTITY_CLIENT_ID]: clientId } } : {}),
      automountServiceAccountToken: false,
    });
    const config = addPodConfig(this, name, meta, chart.cluster.keyVault, props);
    this.configMap = config.configMap;
    this.secretProviderClass = config.secretProviderClass;
    const template = podTemplate({ name, labels: this.labels, selector: this.selector, props, ...config });
    const replicas = props.autoscaling ? undefined : (props.replicas ?? DEFAULTS.replicas);
    const controller: ControllerInput = {
      name,
      meta,
      labels: this.labels,
      selector: this.selector,
      template,
      replicas,
      annotations: controllerAnnotations(props),
      shutdown: props.resolvedShutdown,
    };
    if (props.volumes?.length) this.statefulSet = addStatefulSet(this, controller, props.ports, props.volumes);
    else this.deployment = addDeployment(this, controller);
    if (props.autoscaling)
      this.autoscaler = addAutoscaler(
        this,
        name,
        meta,
        this.statefulSet ? 'StatefulSet' : 'Deployment',
        props.autoscaling,
      );
    if (props.autoscaling || (replicas ?? 1) > 1)
      this.podDisruptionBudget = addDisruptionBudget(this, name, meta, this.selector);
    this.networkPolicy = addWorkloadNetworkPolicy(this, name, meta, this.selector, props, this.lateEgress);

    this.record = { app: chart.app, name, namespace: this.namespace, selector: this.selector, ports: props.ports };
    this.registerClaims(chart, props);
  }

  /**
   * What other apps and the cluster-wide folders need from this workload: the workload, its
   * egress, its identity, its calls and the callers it accepts. Calls are wired after every app
   * is declared (the registry has checked each call and its consent by then).
   */
  private registerClaims(chart: AppChart, props: ZeroTrustWorkloadProps): void {
    const { registry, app } = chart;
    const workload = this.name;
    registry.registerWorkload(this.record);
    for (const e of props.egress ?? []) {
      registry.registerEgress({
        app,
        workload,
        destination: e.cidr,
        ports: e.ports.map((p) => `${p.protocol ?? 'TCP'} ${p.port}`),
      });
    }
    const wi = props.workloadIdentity;
    if (wi) registry.registerEgress({ app, workload, destination: 'public addresses (Entra ID)', ports: ['TCP 443'] });
    if (wi)
      registry.registerIdentity({
        app,
        workload,
        namespace: this.namespace,
        serviceAccount: workload,
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
    for (const call of mine) registry.registerCall(call);
    (props.acceptCallsFrom ?? []).forEach((from, i) =>
      registry.registerAccept({ app, workload, from, field: `${props.fieldPrefix}.acceptCallsFrom[${i}]` }),
    );
    registry.onFinalize(() => this.wireCalls(chart, mine));
  }

  /**
   * Egress to each callee here, and ingress from each accepted caller as a NetworkPolicy in this
   * workload's own namespace: the allow rule lives in the callee's folder, owned by the callee's
   * Flux Kustomization, and no app writes into another app's namespace.
   */
  private wireCalls(chart: AppChart, mine: readonly CallClaim[]): void {
    for (const call of mine) {
      const { target, ports } = chart.registry.resolveCall(call);
      this.lateEgress.push(callEgressRule(target, ports));
    }
    for (const { call, ports } of chart.registry.callsTo(chart.app, this.name))
      addCallerIngressPolicy(this, call.caller, this.record, this.labels, ports);
  }
}

/** Waivers (rule id -> reason, as annotations) and the shutdown reason, on the Deployment or StatefulSet. */
function controllerAnnotations(props: ZeroTrustWorkloadProps): Record<string, string> {
  const waivers: Record<string, string> = { ...(props.waivers ?? {}) };
  if (props.writableRootFilesystem) waivers['read-only-root-filesystem'] = props.writableRootFilesystem.reason;
  const annotations: Record<string, string> = Object.fromEntries(
    Object.entries(waivers).map(([rule, reason]) => [`${WAIVER_ANNOTATION_PREFIX}${rule}`, reason]),
  );
  if (props.resolvedShutdown.reason) annotations[SHUTDOWN_REASON_ANNOTATION] = props.resolvedShutdown.reason;
  return annotations;
}
