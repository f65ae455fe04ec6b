import type { RuleContext } from '../rule-context';
import { asRecord } from '../unknown-value';

/**
 * Git history is forever and widely readable: secret material belongs in Key Vault and reaches pods
 * through the Secrets Store CSI driver. A Secret object without data (for example one that only
 * names a type) carries nothing and is allowed.
 */
export function checkSecrets({ cluster, report }: RuleContext): void {
  for (const document of cluster.byKind.get('Secret') ?? []) {
    const fields = ['data', 'stringData'].filter(
      (field) => Object.keys(asRecord(document.object[field]) ?? {}).length > 0,
    );
    if (fields.length === 0) continue;
    const keys = fields.flatMap((field) =>
      Object.keys(asRecord(document.object[field]) ?? {}).map((key) => `${field}.${key}`),
    );
    report(
      'no-secret-data',
      document,
      `Secret carries ${keys.sort().join(', ')} in git`,
      'Move the values to Key Vault and mount them with a SecretProviderClass (Secrets Store CSI); rotate the leaked values.',
    );
  }
}
