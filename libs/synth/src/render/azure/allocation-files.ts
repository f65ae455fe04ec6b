import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALLOCATIONS_FILE } from '@aks-gitops/workloads';
import { AZURE_FOLDER } from './azure-edge-files';

/**
 * Reads each cluster's committed `clusters/<cluster>/azure/allocations.json` (the internal load
 * balancer addresses synth allocated for `address: 'auto'`; see libs/workloads
 * address-allocation.ts). It is input as well as output: synth and drift read it before they
 * allocate, so an allocated address never moves. Absent (a new cluster, or the first synth): nothing
 * is allocated yet.
 */
export function committedAllocations(root: string): (cluster: string) => string | undefined {
  return (cluster) => {
    try {
      return fs.readFileSync(path.join(root, 'clusters', cluster, AZURE_FOLDER, ALLOCATIONS_FILE), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  };
}
