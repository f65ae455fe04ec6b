import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { type ClusterSpec, ConfigError } from '@aks-gitops/cluster-model';

/**
 * The text of a file synth wrote under clusters/<cluster>/azure/, which `edge` applies: a missing or
 * unreadable file is bad input (run synth and commit), named with the cluster.
 */
export async function readCommittedFile(rootDir: string, cluster: ClusterSpec, rel: string): Promise<string> {
  try {
    return await readFile(path.join(rootDir, rel), 'utf8');
  } catch (e) {
    throw new ConfigError({
      cluster: cluster.name,
      field: '(file)',
      problem: `cannot read ${rel} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      fix: 'run npm run synth to generate it, and commit it',
    });
  }
}
