import { CHILD_PREFIX, hostSlug } from '../front-door/front-door-config';
import type { DnsRecordRow, PrerequisiteContext } from './types';

/**
 * DNS: one record per host, pointing at the frontend that receives it. With Front Door, the public
 * name is a CNAME to the Front Door endpoint (plus the `_dnsauth` TXT record that validates the
 * custom domain), and the origin's name (the same host, which Front Door sends as host name and
 * checks on the origin's certificate) resolves to the private frontend in a private DNS zone, for
 * clients inside the network; Front Door itself reaches that frontend through Private Link.
 */
export function dnsRows(ctx: PrerequisiteContext): DnsRecordRow[] {
  const fd = ctx.cluster.frontDoor;
  return ctx.hosts.flatMap((host): DnsRecordRow[] => {
    const apps = ctx.appsOfHost(host);
    if (!fd) return [frontendRecord(ctx, host, apps)];
    const endpoint = `${CHILD_PREFIX}${ctx.cluster.name}`;
    const domain = `${CHILD_PREFIX}${hostSlug(host)}`;
    const where = `-g ${fd.resourceGroup} --profile-name ${fd.profileName}`;
    return [
      {
        host,
        zone: 'public',
        type: 'CNAME',
        apps,
        fillIn: `target: the host name of Front Door endpoint ${endpoint} (az afd endpoint show ${where} --endpoint-name ${endpoint} --query hostName), not the Application Gateway`,
        source: 'AFD-DOMAIN',
      },
      {
        host: `_dnsauth.${host}`,
        zone: 'public',
        type: 'TXT',
        apps,
        fillIn: `target: the validation token of custom domain ${domain} (az afd custom-domain show ${where} --custom-domain-name ${domain} --query validationProperties.validationToken)`,
        source: 'AFD-DOMAIN',
      },
      { ...frontendRecord(ctx, host, apps), zone: 'private' },
    ];
  });
}

/** The record that sends a host straight to the cluster's L7 frontend (no Front Door in front). */
function frontendRecord(ctx: PrerequisiteContext, host: string, apps: string[]): DnsRecordRow {
  const { cluster } = ctx;
  const l7 = cluster.l7;
  if (l7.kind === 'agic') {
    return {
      host,
      zone: l7.usePrivateIp ? 'private' : 'public',
      type: 'A',
      apps,
      fillIn: `target: the Application Gateway's ${l7.usePrivateIp ? 'private' : 'public'} frontend IP`,
      source: 'AGIC-ANN',
    };
  }
  if (ctx.agc) {
    const agc = l7.agc;
    return {
      host,
      zone: 'public',
      type: 'CNAME',
      apps,
      fillIn:
        agc?.deployment === 'bring-your-own'
          ? `target: the FQDN of frontend ${agc.frontendName} of Application Gateway for Containers ${agc.resourceId} (az network alb frontend show --query fqdn)`
          : `target: the FQDN of the Application Gateway for Containers frontend of Gateway ${l7.gateway.namespace}/${l7.gateway.name} (its status.addresses)`,
      source: agc?.deployment === 'bring-your-own' ? 'AGC-*, AGC-BYO' : 'AGC-*',
    };
  }
  const shared = l7.frontend ? cluster.sharedFrontends?.find((f) => f.name === l7.frontend) : undefined;
  if (shared)
    return {
      host,
      zone: 'private',
      type: 'A',
      target: shared.address,
      apps,
      source: 'CPA-LB',
    };
  return {
    host,
    zone: 'public',
    type: 'A',
    apps,
    fillIn: `target: the load balancer IP of the ${l7.gatewayClassName} gateway Service of ${l7.gateway.namespace}/${l7.gateway.name}`,
    source: 'CPA-LB',
  };
}
