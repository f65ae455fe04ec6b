import { ConfigError, type ClusterSpec } from '@aks-gitops/cluster-model';
import { FrontDoorConfig, toFrontDoorJson } from '@aks-gitops/azure-edge';
import { type ClusterRegistry, privateLinkServiceId } from '@aks-gitops/workloads';

export const FRONT_DOOR_FILE = 'front-door.json';

/**
 * `front-door.json` for a cluster with `frontDoor`: every L7 host of every app on the cluster,
 * behind the cluster's Front Door profile, reaching the cluster through the origin's Private Link
 * Service. Nothing for other clusters (synth then removes a file left from an earlier spec).
 */
export function frontDoorFiles(cluster: ClusterSpec, registry: ClusterRegistry): Map<string, string> {
  const fd = cluster.frontDoor;
  if (!fd) return new Map();
  let pls: { id: string; groupId?: string };
  if (fd.origin.kind === 'application-gateway') {
    const o = fd.origin;
    pls =
      o.privateLinkServiceId !== undefined
        ? { id: o.privateLinkServiceId }
        : { id: o.applicationGatewayId as string, groupId: o.frontendIpConfiguration };
  } else {
    const name = fd.origin.frontend;
    const frontend = cluster.sharedFrontends?.find((f) => f.name === name);
    const id = frontend && privateLinkServiceId(cluster, frontend);
    if (!frontend || !id) throw new Error(`internal: frontDoor origin ${name} was validated with the cluster`);
    if (!registry.loadBalancers.some((l) => l.frontend === name && l.port === 443 && l.protocol === 'TCP')) {
      throw new ConfigError({
        cluster: cluster.name,
        field: 'frontDoor.origin.frontend',
        problem: `nothing listens on 443/TCP of shared frontend "${name}" (${frontend.address}), so Front Door's HTTPS origin would have no backend`,
        fix: 'let the in-cluster gateway join it (l7.frontend), or assign an app that serves HTTPS on 443 to it',
      });
    }
    pls = { id };
  }
  const routes = registry.routes.map((r) => ({ app: r.app, host: r.host, path: r.path, field: r.field }));
  return new Map([[FRONT_DOOR_FILE, toFrontDoorJson(FrontDoorConfig.build(cluster, routes, pls))]]);
}
