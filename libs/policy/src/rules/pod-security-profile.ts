import type { WorkloadView } from '../pod-template';
import type { Report } from '../rule-context';
import { asRecord, show, type UnknownRecord } from '../unknown-value';

/*
 * What the Pod Security Standards "restricted" profile allows, as kubernetes/pod-security-admission
 * lists it, and the checks the pod and its containers share (pod-security-standards.ts checks the
 * pod, pod-security-container.ts each container).
 */

/** restrictedVolumes: hostPath is reported by its own rule, so it is not in this list either way. */
export const RESTRICTED_VOLUME_TYPES: ReadonlySet<string> = new Set([
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
export const SAFE_SYSCTLS: ReadonlySet<string> = new Set([
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

export const ALLOWED_SECCOMP_TYPES: ReadonlySet<string> = new Set(['RuntimeDefault', 'Localhost']);
export const ALLOWED_APPARMOR_TYPES: ReadonlySet<string> = new Set(['RuntimeDefault', 'Localhost']);
/** container_engine_t is only allowed from policy version 1.31; namespaces pin v1.30. */
export const ALLOWED_SELINUX_TYPES: ReadonlySet<string> = new Set([
  '',
  'container_t',
  'container_init_t',
  'container_kvm_t',
]);
export const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

export function securityContextOf(holder: UnknownRecord): UnknownRecord {
  return asRecord(holder.securityContext) ?? {};
}

export function checkSeLinux(
  document: WorkloadView['document'],
  who: string,
  context: UnknownRecord,
  report: Report,
): void {
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
