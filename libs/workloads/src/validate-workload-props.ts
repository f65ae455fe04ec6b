import { DNS_LABEL, dnsLabelProblem, guidProblem, parseCidr, portProblem } from '@aks-gitops/cluster-model';
import type { AppChart } from './app-chart';
import type { FieldErrors } from './errors';
import { imageProblem } from './image';
import { probeProblem } from './probes';
import { DEFAULTS, QUANTITY, SECRETS_MOUNT, SECRETS_VOLUME, TMP_VOLUME, bytes } from './workload-defaults';
import type { ZeroTrustWorkloadProps } from './zero-trust-workload-props';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KV_OBJECT = /^[0-9a-zA-Z-]{1,127}$/;

/**
 * The workload's name (default: the app name), checked and claimed in the app: it names the
 * workload's objects and its Service, so it is unique in the app, and so are its Services.
 */
export function claimWorkloadName(chart: AppChart, errs: FieldErrors, props: ZeroTrustWorkloadProps): string {
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
  return name;
}

/** Checks every prop of a workload before any object is made; throws the first ConfigError. */
export function validateWorkloadProps(props: ZeroTrustWorkloadProps, errs: FieldErrors): void {
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
