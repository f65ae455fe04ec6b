import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import { sortRecord } from './pod-template';
import { SECRETS_MOUNT, SECRETS_VOLUME } from './workload-defaults';
import type { WorkloadMeta } from './workload-meta';
import type { ZeroTrustWorkloadProps } from './zero-trust-workload-props';

/** The objects a pod reads its configuration from, and how it reads them. */
export interface PodConfig {
  readonly configMap?: k8s.KubeConfigMap;
  readonly secretProviderClass?: ApiObject;
  readonly envFrom: readonly k8s.EnvFromSource[];
  readonly volumes: readonly k8s.Volume[];
  readonly mounts: readonly k8s.VolumeMount[];
}

/** The ConfigMap and SecretProviderClass of a workload (when its props ask for them), and the pod's env, volumes and mounts. */
export function addPodConfig(
  scope: Construct,
  name: string,
  meta: WorkloadMeta,
  keyVault: ClusterSpec['keyVault'],
  props: ZeroTrustWorkloadProps,
): PodConfig {
  const envFrom: k8s.EnvFromSource[] = [];
  const volumes: k8s.Volume[] = [];
  const mounts: k8s.VolumeMount[] = [];
  let configMap: k8s.KubeConfigMap | undefined;
  let secretProviderClass: ApiObject | undefined;
  if (props.config && Object.keys(props.config).length) {
    const config = addConfigMap(scope, name, meta, props.config);
    configMap = config.configMap;
    envFrom.push(config.envFrom);
  }
  if (props.keyVaultSecrets?.length) {
    const kv = addKeyVaultSecrets(scope, name, meta, keyVault, props.keyVaultSecrets, props.workloadIdentity?.clientId);
    secretProviderClass = kv.secretProviderClass;
    volumes.push(kv.volume);
    mounts.push(kv.mount);
  }
  for (const v of props.volumes ?? []) mounts.push({ name: v.name, mountPath: v.mountPath });
  return { configMap, secretProviderClass, envFrom, volumes, mounts };
}

/** The ConfigMap `<name>-config` of a workload's `config` prop, and how the pod reads it (environment variables). */
function addConfigMap(
  scope: Construct,
  name: string,
  meta: WorkloadMeta,
  config: Readonly<Record<string, string>>,
): { configMap: k8s.KubeConfigMap; envFrom: k8s.EnvFromSource } {
  const configMap = new k8s.KubeConfigMap(scope, 'Config', {
    metadata: meta(`${name}-config`),
    data: sortRecord(config),
  });
  return { configMap, envFrom: { configMapRef: { name: `${name}-config` } } };
}

/**
 * The SecretProviderClass `<name>-keyvault` that mounts Key Vault secrets as files under
 * /mnt/secrets-store through the Secrets Store CSI driver, read with the workload identity, and
 * the pod's volume and mount for it. Nothing secret is written to git.
 */
function addKeyVaultSecrets(
  scope: Construct,
  name: string,
  meta: WorkloadMeta,
  keyVault: ClusterSpec['keyVault'],
  secrets: readonly string[],
  clientId: string | undefined,
): { secretProviderClass: ApiObject; volume: k8s.Volume; mount: k8s.VolumeMount } {
  const spcName = `${name}-keyvault`;
  const secretProviderClass = new ApiObject(scope, 'KeyVaultSecrets', {
    apiVersion: 'secrets-store.csi.x-k8s.io/v1',
    kind: 'SecretProviderClass',
    metadata: meta(spcName),
    spec: {
      provider: 'azure',
      parameters: {
        usePodIdentity: 'false',
        clientID: clientId ?? '',
        keyvaultName: keyVault.name,
        tenantId: keyVault.tenantId,
        objects: keyVaultObjects([...secrets].sort()),
      },
    },
  });
  return {
    secretProviderClass,
    volume: {
      name: SECRETS_VOLUME,
      csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: spcName } },
    },
    mount: { name: SECRETS_VOLUME, mountPath: SECRETS_MOUNT, readOnly: true },
  };
}

/** The provider's `objects` parameter: a YAML array of objects, as its docs show it. */
function keyVaultObjects(names: readonly string[]): string {
  return `array:\n${names.map((n) => `  - |\n    objectName: ${n}\n    objectType: secret\n`).join('')}`;
}
