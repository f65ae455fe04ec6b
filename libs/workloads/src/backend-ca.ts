import { ApiObject, JsonPatch } from 'cdk8s';
import type { Construct } from 'constructs';
import type { AgcBackendCa } from '@aks-gitops/cluster-model';
import { AppChart } from './app-chart';
import type { ZeroTrustWorkload } from './zero-trust-workload';

/*
 * How Application Gateway for Containers verifies the pod's certificate behind
 * `backendProtocol: 'https'`. Its BackendTLSPolicy (alb.networking.azure.io/v1) takes
 * `default.verify.caCertificateRef`, a reference to a Secret whose `ca.crt` is the CA, and
 * `verify.subjectAltName`, the name the pod's certificate must carry (how-to-backend-mtls-gateway-api;
 * the CRD's reference kind defaults to Secret and Microsoft documents no ConfigMap form). Apps may not
 * write Secrets, and nothing secret or not comes from git: the CA's public certificate is synced from
 * Key Vault (objectType `cert`: the certificate, no key) into that Secret by the Secrets Store CSI
 * driver, which syncs `secretObjects` only while a pod mounts the volume. The API's own pods mount
 * it (read-only, unused by the container), so the Secret lives exactly as long as the pods AGC
 * sends to. The CSI driver reads Key Vault as `l7.backendCa.clientId`, federated with the API's
 * ServiceAccount (registered as an identity claim, so the prerequisites list the credential).
 */

/** Mount path of the CA volume in the API's container (read-only; the app may ignore it). */
export const BACKEND_CA_MOUNT = '/mnt/backend-ca';
const VOLUME = 'backend-ca';

/** `<api>-backend-ca`: the SecretProviderClass and the Secret it syncs. */
export function backendCaSecretName(api: string): string {
  return `${api}-backend-ca`;
}

/**
 * Creates the SecretProviderClass, mounts it into the API's pods and registers the identity it
 * reads with; returns the Secret name for `verify.caCertificateRef`.
 */
export function syncBackendCa(scope: Construct, workload: ZeroTrustWorkload, ca: AgcBackendCa): string {
  const chart = AppChart.containing(scope);
  const name = backendCaSecretName(workload.name);
  new ApiObject(scope, 'BackendCa', {
    apiVersion: 'secrets-store.csi.x-k8s.io/v1',
    kind: 'SecretProviderClass',
    metadata: { name, namespace: workload.namespace, labels: workload.labels },
    spec: {
      provider: 'azure',
      parameters: {
        usePodIdentity: 'false',
        clientID: ca.clientId,
        keyvaultName: chart.cluster.keyVault.name,
        tenantId: chart.cluster.keyVault.tenantId,
        objects: `array:\n  - |\n    objectName: ${ca.certificateName}\n    objectType: cert\n`,
      },
      secretObjects: [{ secretName: name, type: 'Opaque', data: [{ objectName: ca.certificateName, key: 'ca.crt' }] }],
    },
  });
  const podOwner = workload.deployment ?? workload.statefulSet;
  if (!podOwner) throw new Error(`internal: workload ${workload.name} has neither a Deployment nor a StatefulSet`);
  podOwner.addJsonPatch(
    JsonPatch.add('/spec/template/spec/volumes/-', {
      name: VOLUME,
      csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: name } },
    }),
    JsonPatch.add('/spec/template/spec/containers/0/volumeMounts/-', {
      name: VOLUME,
      mountPath: BACKEND_CA_MOUNT,
      readOnly: true,
    }),
  );
  chart.registry.registerIdentity({
    app: chart.app,
    workload: workload.name,
    namespace: workload.namespace,
    serviceAccount: workload.name,
    clientId: ca.clientId,
    keyVaultSecrets: false,
  });
  return name;
}
