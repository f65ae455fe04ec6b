import type { WorkloadView } from '../pod-template';
import type { Report, RuleContext } from '../rule-context';
import { asRecords, asString, getPath, show } from '../unknown-value';
import { checkContainer } from './pod-security-container';
import {
  ALLOWED_APPARMOR_TYPES,
  ALLOWED_SECCOMP_TYPES,
  APPARMOR_ANNOTATION_PREFIX,
  RESTRICTED_VOLUME_TYPES,
  SAFE_SYSCTLS,
  checkSeLinux,
  securityContextOf,
} from './pod-security-profile';

/*
 * Pod Security Standards "restricted", field by field as kubernetes/pod-security-admission checks
 * them (policy/check_*.go). Namespaces enforce this level in the cluster; evaluating it here makes a
 * violation fail the pull request instead of leaving a Deployment that can never create pods.
 * Here the pod-level fields; each container's own are checked in pod-security-container.ts.
 */

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
