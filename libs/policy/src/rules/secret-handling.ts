import type { RuleContext } from '../rule-context';
import { asArray, asRecord, asRecords, asString, getPath, show } from '../unknown-value';

/*
 * Secret values reach pods one way: Key Vault, mounted as files by the Secrets Store CSI driver,
 * which rotates them and never writes them into the pod spec. An environment variable read from a
 * Kubernetes Secret is inherited by every child process, shows in crash dumps and /proc/<pid>/environ,
 * and keeps the old value until the pod restarts.
 *
 * Service-account tokens: a legacy `kubernetes.io/service-account-token` Secret is a token that
 * never expires, stored in etcd and readable by anyone who can read Secrets in the namespace. A
 * ServiceAccount that does not turn automounting off hands an API token to every pod that forgets
 * to (the pod's own `automountServiceAccountToken` wins over the account's, so a pod that really
 * needs the token, such as one calling the Kubernetes API, still sets it on itself). Azure Workload
 * Identity needs no exception here: its webhook projects its own token volume, independent of
 * automounting. A ServiceAccount's `secrets:` list is the legacy way of attaching such tokens
 * (and, with the `enforce-mountable-secrets` annotation, limiting mounts); nothing here uses it.
 */

export const SERVICE_ACCOUNT_TOKEN_SECRET_TYPE = 'kubernetes.io/service-account-token';

export function checkSecretHandling(context: RuleContext): void {
  checkEnvFromSecrets(context);
  checkTokenSecrets(context);
  checkServiceAccounts(context);
}

function checkEnvFromSecrets({ cluster, report }: RuleContext): void {
  for (const { document, pod } of cluster.workloads) {
    for (const container of pod.containers) {
      const sources: string[] = [];
      for (const variable of asRecords(container.spec.env)) {
        const reference = asRecord(getPath(variable, 'valueFrom', 'secretKeyRef'));
        if (reference)
          sources.push(`env ${show(variable.name)} from Secret ${show(reference.name)} key ${show(reference.key)}`);
      }
      for (const source of asRecords(container.spec.envFrom)) {
        const reference = asRecord(source.secretRef);
        if (reference) sources.push(`envFrom Secret ${show(reference.name)}`);
      }
      if (sources.length === 0) continue;
      report(
        'env-from-secret',
        document,
        `${container.label} reads secrets into environment variables: ${sources.join('; ')}`,
        `Mount the values as files from Key Vault through a SecretProviderClass (L7Api/L4Service keyVaultSecrets) and read them from disk in ${container.label}, or waive it with the reason.`,
      );
    }
  }
}

function checkTokenSecrets({ cluster, report }: RuleContext): void {
  for (const secret of cluster.byKind.get('Secret') ?? []) {
    if (secret.object.type !== SERVICE_ACCOUNT_TOKEN_SECRET_TYPE) continue;
    const account = asString(secret.object.metadata.annotations?.['kubernetes.io/service-account.name']);
    report(
      'no-service-account-token-secret',
      secret,
      `Secret of type ${SERVICE_ACCOUNT_TOKEN_SECRET_TYPE}${account ? ` for ServiceAccount ${show(account)}` : ''} holds a long-lived API token that never expires`,
      'Delete the Secret; pods get short-lived projected tokens, and Azure access goes through Workload Identity.',
    );
  }
}

function checkServiceAccounts({ cluster, report }: RuleContext): void {
  for (const account of cluster.byKind.get('ServiceAccount') ?? []) {
    if (account.object.automountServiceAccountToken !== false) {
      report(
        'service-account-automount',
        account,
        `ServiceAccount automountServiceAccountToken is ${show(account.object.automountServiceAccountToken)}, so every pod using it that does not opt out gets an API token`,
        'Set automountServiceAccountToken: false on the ServiceAccount (a pod that needs the token sets automountServiceAccountToken: true in its own spec).',
      );
    }
    const secrets = asArray(account.object.secrets);
    if (secrets.length > 0) {
      report(
        'service-account-secrets-list',
        account,
        `ServiceAccount lists secrets ${show(asRecords(secrets).map((secret) => secret.name))}: legacy token or pull-secret attachment`,
        "Remove secrets: from the ServiceAccount (tokens are projected per pod; registry access uses the cluster's ACR integration).",
      );
    }
  }
}
