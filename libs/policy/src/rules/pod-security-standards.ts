import type { ContainerView, WorkloadView } from '../pod-template';
import type { Report, RuleContext } from '../rule-context';
import {
  asArray,
  asNumber,
  asRecord,
  asRecords,
  asString,
  asStringList,
  getPath,
  show,
  type UnknownRecord,
} from '../unknown-value';

/*
 * Pod Security Standards "restricted", field by field as kubernetes/pod-security-admission checks
 * them (policy/check_*.go). Namespaces enforce this level in the cluster; evaluating it here makes a
 * violation fail the pull request instead of leaving a Deployment that can never create pods.
 */

/** restrictedVolumes: hostPath is reported by its own rule, so it is not in this list either way. */
const RESTRICTED_VOLUME_TYPES: ReadonlySet<string> = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

/**
 * Safe sysctls up to policy version 1.29. Namespaces pin enforce-version v1.30, and the admission
 * controller judges with the pinned version's list: later additions (net.ipv4.tcp_rmem/tcp_wmem in
 * 1.32) would pass here but be rejected in the cluster.
 */
const SAFE_SYSCTLS: ReadonlySet<string> = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ping_group_range',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_syncookies',
]);

const ALLOWED_SECCOMP_TYPES: ReadonlySet<string> = new Set(['RuntimeDefault', 'Localhost']);
const ALLOWED_APPARMOR_TYPES: ReadonlySet<string> = new Set(['RuntimeDefault', 'Localhost']);
/** container_engine_t is only allowed from policy version 1.31; namespaces pin v1.30. */
const ALLOWED_SELINUX_TYPES: ReadonlySet<string> = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function securityContextOf(holder: UnknownRecord): UnknownRecord {
  return asRecord(holder.securityContext) ?? {};
}

export function checkPodSecurityStandards({ cluster, report }: RuleContext): void {
  for (const workload of cluster.workloads) {
    checkVolumes(workload, report);
    checkHostNamespaces(workload, report);
    checkSysctls(workload, report);
    checkPodLevelContext(workload, report);
    for (const container of workload.pod.containers) checkContainer(workload, container, report);
  }
}

function checkVolumes({ document, pod }: WorkloadView, report: Report): void {
  for (const volume of asRecords(pod.spec.volumes)) {
    const name = asString(volume.name) ?? '<unnamed>';
    const types = Object.keys(volume).filter((key) => key !== 'name');
    if (types.includes('hostPath')) {
      report(
        'pss-host-path',
        document,
        `volume "${name}" mounts hostPath ${show(getPath(volume, 'hostPath', 'path'))}`,
        'Remove the hostPath volume; use emptyDir, a PVC or a CSI volume.',
      );
      continue;
    }
    const forbidden = types.filter((type) => !RESTRICTED_VOLUME_TYPES.has(type));
    if (forbidden.length > 0) {
      report(
        'pss-restricted-volume-types',
        document,
        `volume "${name}" uses ${forbidden.join(', ')}, which the restricted profile forbids`,
        'Use only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret volumes.',
      );
    }
  }
}

function checkHostNamespaces({ document, pod }: WorkloadView, report: Report): void {
  const shared = ['hostNetwork', 'hostPID', 'hostIPC'].filter((field) => pod.spec[field] === true);
  if (shared.length > 0) {
    report(
      'pss-host-namespaces',
      document,
      `pod sets ${shared.map((field) => `${field}: true`).join(', ')}`,
      `Remove ${shared.join(', ')} from the pod spec.`,
    );
  }
}

function checkSysctls({ document, pod }: WorkloadView, report: Report): void {
  const names = asRecords(securityContextOf(pod.spec).sysctls).map((sysctl) => asString(sysctl.name) ?? '<unnamed>');
  const unsafe = names.filter((name) => !SAFE_SYSCTLS.has(name));
  if (unsafe.length > 0) {
    report(
      'pss-sysctls',
      document,
      `pod sets unsafe sysctls ${unsafe.join(', ')}`,
      `Remove them; only ${[...SAFE_SYSCTLS].join(', ')} are allowed.`,
    );
  }
}

/** Checks that concern only spec.securityContext (each container is checked separately). */
function checkPodLevelContext({ document, pod }: WorkloadView, report: Report): void {
  const context = securityContextOf(pod.spec);
  const inUserNamespace = pod.spec.hostUsers === false;
  if (!inUserNamespace && context.runAsNonRoot === false) {
    report(
      'pss-run-as-non-root',
      document,
      'pod securityContext.runAsNonRoot is false',
      'Set spec.securityContext.runAsNonRoot: true.',
    );
  }
  if (!inUserNamespace && context.runAsUser === 0) {
    report(
      'pss-run-as-user',
      document,
      'pod securityContext.runAsUser is 0 (root)',
      'Set spec.securityContext.runAsUser to a non-zero UID (>= 10000).',
    );
  }
  const seccomp = getPath(context, 'seccompProfile', 'type');
  if (seccomp !== undefined && !ALLOWED_SECCOMP_TYPES.has(String(seccomp))) {
    report(
      'pss-seccomp-profile',
      document,
      `pod seccompProfile.type is ${show(seccomp)}`,
      'Set spec.securityContext.seccompProfile.type: RuntimeDefault.',
    );
  }
  const apparmor = getPath(context, 'appArmorProfile', 'type');
  if (apparmor !== undefined && !ALLOWED_APPARMOR_TYPES.has(String(apparmor))) {
    report(
      'pss-apparmor',
      document,
      `pod appArmorProfile.type is ${show(apparmor)}`,
      'Use appArmorProfile.type RuntimeDefault or Localhost, or leave it unset.',
    );
  }
  for (const [key, value] of Object.entries(pod.annotations)) {
    if (
      key.startsWith(APPARMOR_ANNOTATION_PREFIX) &&
      value !== '' &&
      value !== 'runtime/default' &&
      !value.startsWith('localhost/')
    ) {
      report(
        'pss-apparmor',
        document,
        `pod annotation ${key} is ${show(value)}`,
        'Use runtime/default or localhost/<profile>, or remove the annotation.',
      );
    }
  }
  checkSeLinux(document, 'pod', context, report);
  if (getPath(context, 'windowsOptions', 'hostProcess') === true) {
    report(
      'pss-host-process',
      document,
      'pod sets windowsOptions.hostProcess: true',
      'Remove windowsOptions.hostProcess.',
    );
  }
}

function checkSeLinux(document: WorkloadView['document'], who: string, context: UnknownRecord, report: Report): void {
  const options = asRecord(context.seLinuxOptions);
  if (!options) return;
  const problems: string[] = [];
  const type = options.type;
  if (type !== undefined && !ALLOWED_SELINUX_TYPES.has(String(type))) problems.push(`type ${show(type)}`);
  for (const field of ['user', 'role']) {
    if (options[field] !== undefined && options[field] !== '') problems.push(`${field} ${show(options[field])}`);
  }
  if (problems.length > 0) {
    report(
      'pss-selinux',
      document,
      `${who} seLinuxOptions sets ${problems.join(', ')}`,
      'Leave seLinuxOptions.user/role unset and use type container_t, container_init_t or container_kvm_t.',
    );
  }
}

function checkContainer({ document, pod }: WorkloadView, container: ContainerView, report: Report): void {
  const context = securityContextOf(container.spec);
  const podContext = securityContextOf(pod.spec);
  const who = container.label;
  const inUserNamespace = pod.spec.hostUsers === false;

  if (context.allowPrivilegeEscalation !== false) {
    report(
      'pss-allow-privilege-escalation',
      document,
      `${who}: allowPrivilegeEscalation is ${show(context.allowPrivilegeEscalation)} (must be false)`,
      `Set securityContext.allowPrivilegeEscalation: false on ${who}.`,
    );
  }

  if (!inUserNamespace) {
    if (context.runAsNonRoot === false) {
      report(
        'pss-run-as-non-root',
        document,
        `${who}: runAsNonRoot is false`,
        `Set securityContext.runAsNonRoot: true on ${who} (or remove it and set it on the pod).`,
      );
    } else if (context.runAsNonRoot !== true && podContext.runAsNonRoot !== true) {
      report(
        'pss-run-as-non-root',
        document,
        `${who}: runAsNonRoot is ${show(context.runAsNonRoot)} and the pod does not set it to true`,
        'Set spec.securityContext.runAsNonRoot: true on the pod.',
      );
    }
    if (context.runAsUser === 0) {
      report(
        'pss-run-as-user',
        document,
        `${who}: runAsUser is 0 (root)`,
        `Set runAsUser on ${who} to a non-zero UID (>= 10000), or remove it.`,
      );
    }
  }

  const seccomp = getPath(context, 'seccompProfile', 'type');
  if (seccomp !== undefined && !ALLOWED_SECCOMP_TYPES.has(String(seccomp))) {
    report(
      'pss-seccomp-profile',
      document,
      `${who}: seccompProfile.type is ${show(seccomp)}`,
      `Use RuntimeDefault or Localhost on ${who}, or remove it and rely on the pod-level profile.`,
    );
  } else if (seccomp === undefined && getPath(podContext, 'seccompProfile', 'type') === undefined) {
    report(
      'pss-seccomp-profile',
      document,
      `${who}: no seccompProfile on the container or the pod`,
      'Set spec.securityContext.seccompProfile.type: RuntimeDefault on the pod.',
    );
  }

  const capabilities = asRecord(context.capabilities) ?? {};
  const dropped = asStringList(capabilities.drop);
  if (!dropped.includes('ALL')) {
    report(
      'pss-capabilities-drop-all',
      document,
      `${who}: capabilities.drop is ${show(capabilities.drop)} (must include "ALL")`,
      `Set securityContext.capabilities.drop: ["ALL"] on ${who}.`,
    );
  }
  const added = asArray(capabilities.add).filter((capability) => capability !== 'NET_BIND_SERVICE');
  if (added.length > 0) {
    report(
      'pss-capabilities-add',
      document,
      `${who}: capabilities.add includes ${added.map((capability) => show(capability)).join(', ')}`,
      'Add no capability other than NET_BIND_SERVICE.',
    );
  }

  if (context.privileged === true) {
    report('pss-privileged', document, `${who}: privileged is true`, `Remove securityContext.privileged from ${who}.`);
  }
  if (context.procMount !== undefined && context.procMount !== 'Default') {
    report(
      'pss-proc-mount',
      document,
      `${who}: procMount is ${show(context.procMount)}`,
      'Remove securityContext.procMount or set it to Default.',
    );
  }
  const apparmor = getPath(context, 'appArmorProfile', 'type');
  if (apparmor !== undefined && !ALLOWED_APPARMOR_TYPES.has(String(apparmor))) {
    report(
      'pss-apparmor',
      document,
      `${who}: appArmorProfile.type is ${show(apparmor)}`,
      'Use appArmorProfile.type RuntimeDefault or Localhost, or leave it unset.',
    );
  }
  checkSeLinux(document, `${who}:`, context, report);
  if (getPath(context, 'windowsOptions', 'hostProcess') === true) {
    report(
      'pss-host-process',
      document,
      `${who}: windowsOptions.hostProcess is true`,
      `Remove windowsOptions.hostProcess from ${who}.`,
    );
  }

  const hostPorts = asRecords(container.spec.ports)
    .map((port) => asNumber(port.hostPort))
    .filter((hostPort): hostPort is number => hostPort !== undefined && hostPort !== 0);
  if (hostPorts.length > 0) {
    report(
      'pss-host-ports',
      document,
      `${who}: hostPort ${hostPorts.join(', ')}`,
      'Remove hostPort; expose the port through a Service.',
    );
  }

  const probeHosts = handlerHosts(container.spec);
  if (probeHosts.length > 0) {
    report(
      'pss-probe-host',
      document,
      `${who}: ${probeHosts.join(', ')}`,
      'Remove host from probes and lifecycle handlers; they must target the pod itself.',
    );
  }
}

const PROBE_FIELDS = ['livenessProbe', 'readinessProbe', 'startupProbe'];
const LIFECYCLE_FIELDS = ['postStart', 'preStop'];

/** `readinessProbe.httpGet.host "10.0.0.1"` for every probe or lifecycle handler that sets a host. */
function handlerHosts(container: UnknownRecord): string[] {
  const handlers: [string, unknown][] = [
    ...PROBE_FIELDS.map((field): [string, unknown] => [field, container[field]]),
    ...LIFECYCLE_FIELDS.map((field): [string, unknown] => [
      `lifecycle.${field}`,
      getPath(container, 'lifecycle', field),
    ]),
  ];
  const found: string[] = [];
  for (const [path, handler] of handlers) {
    for (const action of ['httpGet', 'tcpSocket']) {
      const host = getPath(handler, action, 'host');
      if (host !== undefined && host !== '') found.push(`${path}.${action}.host is ${show(host)}`);
    }
  }
  return found;
}
