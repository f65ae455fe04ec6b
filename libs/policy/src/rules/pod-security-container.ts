import type { ContainerView, WorkloadView } from '../pod-template';
import type { Report } from '../rule-context';
import {
  asArray,
  asNumber,
  asRecord,
  asRecords,
  asStringList,
  getPath,
  show,
  type UnknownRecord,
} from '../unknown-value';
import { ALLOWED_APPARMOR_TYPES, ALLOWED_SECCOMP_TYPES, checkSeLinux, securityContextOf } from './pod-security-profile';

/** What every check of one container reads. */
interface ContainerCheck {
  readonly document: WorkloadView['document'];
  readonly container: ContainerView;
  /** The container's label in messages (`container "api"`, `initContainer "migrate"`). */
  readonly who: string;
  readonly context: UnknownRecord;
  readonly podContext: UnknownRecord;
  readonly report: Report;
}

/** The container-level fields of Pod Security Standards "restricted", in the order findings are reported. */
export function checkContainer({ document, pod }: WorkloadView, container: ContainerView, report: Report): void {
  const check: ContainerCheck = {
    document,
    container,
    who: container.label,
    context: securityContextOf(container.spec),
    podContext: securityContextOf(pod.spec),
    report,
  };
  checkPrivilegeAndUser(check, pod.spec.hostUsers === false);
  checkSeccomp(check);
  checkCapabilities(check);
  checkIsolation(check);
  checkHostPorts(check);
  checkProbeHosts(check);
}

/** allowPrivilegeEscalation, runAsNonRoot and runAsUser (the last two do not apply in a user namespace). */
function checkPrivilegeAndUser(
  { document, who, context, podContext, report }: ContainerCheck,
  inUserNamespace: boolean,
): void {
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
}

function checkSeccomp({ document, who, context, podContext, report }: ContainerCheck): void {
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
}

function checkCapabilities({ document, who, context, report }: ContainerCheck): void {
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
}

/** privileged, procMount, AppArmor, SELinux and Windows hostProcess: what separates the container from the node. */
function checkIsolation({ document, who, context, report }: ContainerCheck): void {
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
}

function checkHostPorts({ document, container, who, report }: ContainerCheck): void {
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
}

function checkProbeHosts({ document, container, who, report }: ContainerCheck): void {
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
