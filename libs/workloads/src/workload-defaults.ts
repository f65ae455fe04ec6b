/** The platform's defaults for a workload's pod, and the names of the volumes the platform mounts. */
export const QUANTITY = /^([0-9]+(\.[0-9]+)?)(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/;
export const TMP_VOLUME = 'tmp';
export const SECRETS_VOLUME = 'keyvault-secrets';
export const SECRETS_MOUNT = '/mnt/secrets-store';
export const DEFAULTS = {
  replicas: 2,
  minReplicas: 2,
  cpu: '100m',
  memory: '128Mi',
  memoryLimit: '256Mi',
  targetCpu: 70,
  uid: 10001,
} as const;

export function bytes(q: string): number {
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
