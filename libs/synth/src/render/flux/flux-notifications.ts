import type { ClusterSpec, KubeObject } from '@aks-gitops/cluster-model';
import { FLUX_NAMESPACE, FLUX_SOURCE_NAME } from './flux-wiring';
import type { FluxFile } from './flux-wiring';

export const NOTIFICATIONS_FILE = 'notifications.yaml';
const API_VERSION = 'notification.toolkit.fluxcd.io/v1beta3';

/**
 * The Secrets the notification Providers read, created by the platform team in `flux-system`
 * (never in git): the GitHub token (key `token`, a fine-grained token with commit status write on
 * this repository) and the chat webhook (key `address`: its URL is a credential).
 */
export const GITHUB_TOKEN_SECRET = 'flux-github-commit-status';
export const CHAT_WEBHOOK_SECRET = 'flux-chat-webhook';
export const GITHUB_PROVIDER = 'github-commit-status';
export const CHAT_PROVIDER = 'chat';

/**
 * Flux tells people what happened on this cluster (`flux/<cluster>/notifications.yaml`):
 * - a `github` Provider and an Alert over every Kustomization: each reconcile sets a commit status
 *   on the commit it applied, so a pull request's merge commit shows whether each cluster took it;
 * - a chat Provider (Microsoft Teams) and one Alert per Kustomization for its failures
 *   (eventSeverity error), named after the app and carrying `app` and `cluster` as event metadata,
 *   so a message says which app broke where; plus one for the GitRepository the cluster reads.
 * Derived from the Kustomizations synth generates, so an app added or removed adds or removes
 * its alert in the same write.
 */
export function fluxNotificationsFile(cluster: ClusterSpec, fluxObjects: readonly KubeObject[]): FluxFile {
  // Each app's Kustomization lives in the app's namespace; the platform's in flux-system.
  const namespaceOf = new Map<string, string>();
  const kustomizations = fluxObjects
    .filter((o) => o.kind === 'Kustomization' && o.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/'))
    .map((o) => {
      namespaceOf.set(o.metadata.name, o.metadata.namespace ?? FLUX_NAMESPACE);
      return o.metadata.name;
    })
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const meta = (name: string) => ({ name, namespace: FLUX_NAMESPACE });
  const providers: KubeObject[] = [
    {
      apiVersion: API_VERSION,
      kind: 'Provider',
      metadata: meta(GITHUB_PROVIDER),
      // The github provider reads owner and repository from the address: the repository Flux pulls.
      spec: { type: 'github', address: cluster.flux.url, secretRef: { name: GITHUB_TOKEN_SECRET } },
    },
    {
      apiVersion: API_VERSION,
      kind: 'Provider',
      metadata: meta(CHAT_PROVIDER),
      spec: { type: 'msteams', secretRef: { name: CHAT_WEBHOOK_SECRET } },
    },
  ];
  const failureAlert = (
    name: string,
    kind: string,
    source: string,
    eventMetadata: Record<string, string>,
    namespace = FLUX_NAMESPACE,
  ): KubeObject => ({
    apiVersion: API_VERSION,
    kind: 'Alert',
    metadata: meta(name),
    spec: {
      providerRef: { name: CHAT_PROVIDER },
      eventSeverity: 'error',
      eventSources: [{ kind, name: source, namespace }],
      eventMetadata,
    },
  });
  const alerts: KubeObject[] = [
    {
      apiVersion: API_VERSION,
      kind: 'Alert',
      metadata: meta('commit-status'),
      spec: {
        providerRef: { name: GITHUB_PROVIDER },
        eventSeverity: 'info',
        eventSources: kustomizations.map((name) => ({
          kind: 'Kustomization',
          name,
          namespace: namespaceOf.get(name) ?? FLUX_NAMESPACE,
        })),
      },
    },
    failureAlert(`source-${FLUX_SOURCE_NAME}-failures`, 'GitRepository', FLUX_SOURCE_NAME, { cluster: cluster.name }),
    ...kustomizations.map((name) =>
      failureAlert(
        `${name}-failures`,
        'Kustomization',
        name,
        { app: name, cluster: cluster.name },
        namespaceOf.get(name),
      ),
    ),
  ];
  return { file: NOTIFICATIONS_FILE, objects: [...providers, ...alerts] };
}
