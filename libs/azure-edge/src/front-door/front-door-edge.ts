import { type ClusterSpec, ConfigError } from '@aks-gitops/cluster-model';
import type { AFDDomain, AFDOrigin, Route } from '@azure/arm-cdn';
import type { EdgeResource } from '../edge-resources';
import { applyFrontDoor, type FrontDoorChange, planFrontDoor } from './front-door-apply';
import { CDN_API_VERSION, frontDoorFile } from './front-door-config';
import { changeLabel } from './front-door-plan-report';
import { type ParsedFrontDoorFile, parseFrontDoorFile } from './front-door-file';
import { readCommittedFile } from '../committed-file';

/** `edge` for `clusters/<cluster>/azure/front-door.json`. */
export const frontDoorEdge: EdgeResource<ParsedFrontDoorFile> = {
  title: 'Front Door',
  enabled: (cluster) => cluster.frontDoor !== undefined,
  load: loadFrontDoor,
  describe: describeFrontDoor,
  async planData(file, arm) {
    const changes = await planFrontDoor(file, arm);
    const t = file.target;
    return {
      cluster: file.cluster,
      file: frontDoorFile(file.cluster),
      profileId: `/subscriptions/${t.subscriptionId}/resourceGroups/${t.resourceGroup}/providers/Microsoft.Cdn/profiles/${t.profileName}`,
      exists: !changes.some((c) => c.kind === 'profile' && c.action === 'create'),
      changes,
    };
  },
  formatPlan: (plan) => formatChanges(plan.changes),
  async apply(file, arm, out) {
    const changes = await applyFrontDoor(file, arm, (c) =>
      out(`  done  ${c.action.padEnd(9)} ${c.kind} ${changeLabel(c)}\n`),
    );
    const counts = countChanges(changes);
    out(
      counts.total === 0
        ? `No changes: Azure already has these ${changes.length} Front Door resource(s).\n`
        : `Applied: ${counts.text}.\n`,
    );
  },
};

async function loadFrontDoor(rootDir: string, cluster: ClusterSpec): Promise<ParsedFrontDoorFile> {
  const rel = frontDoorFile(cluster.name);
  const text = await readCommittedFile(rootDir, cluster, rel);
  const file = parseFrontDoorFile(text, rel);
  const fd = cluster.frontDoor;
  const t = file.target;
  if (
    file.cluster !== cluster.name ||
    !fd ||
    t.subscriptionId !== cluster.subscriptionId ||
    t.resourceGroup !== fd.resourceGroup ||
    t.profileName !== fd.profileName
  ) {
    throw new ConfigError({
      cluster: cluster.name,
      field: 'frontDoor',
      problem: `${rel} targets profile ${t.resourceGroup}/${t.profileName} of cluster ${file.cluster}, the cluster spec says ${fd?.resourceGroup}/${fd?.profileName}`,
      fix: 'run npm run synth to regenerate it from the current cluster spec',
    });
  }
  return file;
}

/** The committed Front Door as a reviewer reads it: one line per host, then every resource. */
export function describeFrontDoor(file: ParsedFrontDoorFile): string {
  const t = file.target;
  const lines = [
    `Front Door for cluster ${file.cluster} (${frontDoorFile(file.cluster)})`,
    `  profile     /subscriptions/${t.subscriptionId}/resourceGroups/${t.resourceGroup}/providers/Microsoft.Cdn/profiles/${t.profileName} (Premium_AzureFrontDoor)`,
    `  api-version ${CDN_API_VERSION}`,
    `  endpoint    ${t.endpointName}`,
    '',
  ];
  const rows: string[][] = [['HOST', 'PATTERNS', 'ORIGIN (HTTPS, name check)', 'PRIVATE LINK']];
  const origins = new Map(
    file.resources.filter((r) => r.kind === 'origin').map((r) => [r.parent, r.model as AFDOrigin]),
  );
  for (const r of file.resources) {
    if (r.kind !== 'route') continue;
    const route = r.model as Route;
    const domain = file.resources.find(
      (d) => d.kind === 'customDomain' && d.resourceId === route.customDomains?.[0]?.id,
    )?.model as AFDDomain | undefined;
    const origin = origins.get(route.originGroup?.id?.split('/').pop());
    rows.push([
      domain?.hostName ?? '?',
      (route.patternsToMatch ?? []).join(','),
      `${origin?.hostName}:${origin?.httpsPort}`,
      privateLinkLabel(origin),
    ]);
  }
  const waf = file.resources.find((r) => r.kind === 'securityPolicy');
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  for (const row of rows) lines.push(row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]))).join('  '));
  lines.push(
    '',
    `WAF: ${waf ? ((waf.model as { parameters?: { wafPolicy?: { id?: string } } }).parameters?.wafPolicy?.id ?? '?') : 'none (no hosts)'}`,
  );
  lines.push(
    `Resources (${file.resources.length}, in apply order): ${file.resources.map((r) => `${r.kind} ${r.name}`).join(', ')}`,
    '',
  );
  return `${lines.join('\n')}\n`;
}

function countChanges(changes: readonly FrontDoorChange[]): { total: number; text: string } {
  const n = (a: string) => changes.filter((c) => c.action === a).length;
  const total = n('create') + n('update') + n('delete');
  return {
    total,
    text: `${n('create')} to create, ${n('update')} to update, ${n('delete')} to delete, ${n('unchanged')} unchanged`,
  };
}

function formatChanges(changes: readonly FrontDoorChange[]): string {
  const counts = countChanges(changes);
  if (counts.total === 0) return `No changes: Azure already has these ${changes.length} Front Door resource(s).\n`;
  const lines = [`Front Door changes (${counts.text}):`];
  for (const c of changes)
    if (c.action !== 'unchanged') lines.push(`  ${c.action.padEnd(9)} ${c.kind} ${changeLabel(c)}`);
  return `${lines.join('\n')}\n`;
}

function privateLinkLabel(origin: AFDOrigin | undefined): string {
  const pl = origin?.sharedPrivateLinkResource;
  if (!pl?.privateLink?.id) return 'none';
  return `${pl.privateLink.id.split('/').pop()}${pl.groupId ? ` (${pl.groupId})` : ''}`;
}
