import type { ClusterSpec } from './cluster-spec';
import type { Check, Fail } from './validators';
import { AGC_RESOURCE_ID, AZURE_NAME, SUBNET_ID, WAF_POLICY_ID } from './azure-resource-ids';
import { RESERVED_NAMESPACES } from './tenancy';
import { backendCaProblems } from './validate-backend-ca';
import { AGC_GATEWAY_CLASS } from './validate-network-model';
import { dnsLabelProblem, dnsNamesProblem, guidProblem, labelKeyProblem, labelValueProblem } from './validators';

/** `l7`: the cluster's L7 provider (AGIC or Gateway API) and what it needs. */
export function validateClusterL7(spec: ClusterSpec, fail: Fail, check: Check): void {
  const p = spec.l7;
  if (!p || (p.kind !== 'agic' && p.kind !== 'gateway-api')) {
    fail(
      'l7.kind',
      `${JSON.stringify((p as { kind?: unknown } | undefined)?.kind)} is not a supported L7 provider`,
      'use "agic" or "gateway-api"',
    );
  } else if (p.kind === 'agic') {
    if (typeof p.sslCertificate !== 'string' || !AZURE_NAME.test(p.sslCertificate)) {
      fail(
        'l7.sslCertificate',
        `${JSON.stringify(p.sslCertificate)} is not an App Gateway certificate name`,
        'name the listener certificate installed on the App Gateway from Key Vault',
      );
    }
    check(
      'l7.sslCertificateDnsNames',
      dnsNamesProblem(p.sslCertificateDnsNames),
      'list the DNS names (SANs) of the listener certificate, e.g. ["*.contoso.com"]',
    );
    if (p.wafPolicyId !== undefined && !WAF_POLICY_ID.test(p.wafPolicyId)) {
      fail(
        'l7.wafPolicyId',
        `${JSON.stringify(p.wafPolicyId)} is not a WAF policy resource ID`,
        'use /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/<name>',
      );
    }
    if (p.ingressClassName !== undefined)
      check(
        'l7.ingressClassName',
        dnsLabelProblem(p.ingressClassName),
        'use the IngressClass name AGIC was installed with',
      );
  } else {
    check(
      'l7.gatewayClassName',
      dnsLabelProblem(p.gatewayClassName),
      'use the GatewayClass name, e.g. "azure-alb-external"',
    );
    check('l7.gateway.namespace', dnsLabelProblem(p.gateway?.namespace), 'name the namespace of the shared Gateway');
    if (RESERVED_NAMESPACES.includes(p.gateway?.namespace)) {
      fail(
        'l7.gateway.namespace',
        `"${p.gateway.namespace}" is a system namespace; the baseline would put it under default deny and Pod Security restricted`,
        'give the shared Gateway its own namespace, e.g. "edge-gateway"',
      );
    }
    if (p.gatewayPodLabels !== undefined) {
      const labels = p.gatewayPodLabels as unknown;
      const entries =
        labels && typeof labels === 'object' && !Array.isArray(labels)
          ? Object.entries(labels as Record<string, unknown>)
          : [];
      if (entries.length === 0)
        fail(
          'l7.gatewayPodLabels',
          `${JSON.stringify(labels)} is not a non-empty map of labels`,
          'give the labels of the gateway pods, e.g. { istio: "aks-istio-ingressgateway-internal" }',
        );
      for (const [k, v] of entries) {
        const problem = labelKeyProblem(k) ?? labelValueProblem(v);
        if (problem) fail(`l7.gatewayPodLabels["${k}"]`, problem, 'use a valid Kubernetes label key and value');
      }
    }
    const syncImage = p.tls?.syncImage;
    if (
      syncImage !== undefined &&
      (typeof syncImage !== 'string' || !/^[^\s@]+(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/.test(syncImage))
    ) {
      fail(
        'l7.tls.syncImage',
        `${JSON.stringify(syncImage)} is not an image reference`,
        'use registry/repository:tag@sha256:<digest>',
      );
    } else if (
      spec.environment === 'prod' &&
      !(typeof syncImage === 'string' && /@sha256:[a-f0-9]{64}$/.test(syncImage))
    ) {
      fail(
        'l7.tls.syncImage',
        `is ${syncImage === undefined ? 'not set (the default registry.k8s.io/pause:3.10 is not pinned by digest)' : `"${syncImage}", not pinned by digest`}; prod clusters run only digest-pinned images`,
        'set l7.tls.syncImage to the pause image you mirror, pinned: registry/pause:3.10@sha256:<digest>',
      );
    }
    check('l7.gateway.name', dnsLabelProblem(p.gateway?.name), 'name the shared Gateway');
    check('l7.gateway.listener', dnsLabelProblem(p.gateway?.listener), 'name the HTTPS listener (sectionName)');
    validateAgcDeployment(spec, fail);
    check(
      'l7.tls.dnsNames',
      dnsNamesProblem(p.tls?.dnsNames),
      'list the DNS names (SANs) of the listener certificate, e.g. ["*.dev.contoso.com"]',
    );
    check(
      'l7.tls.certificateName',
      typeof p.tls?.certificateName === 'string' && /^[A-Za-z0-9-]{1,127}$/.test(p.tls.certificateName)
        ? undefined
        : `${JSON.stringify(p.tls?.certificateName)} is not a Key Vault certificate name`,
      'use the certificate name in Key Vault (letters, digits, dashes)',
    );
    if (p.wafPolicyId !== undefined && !WAF_POLICY_ID.test(p.wafPolicyId)) {
      fail(
        'l7.wafPolicyId',
        `${JSON.stringify(p.wafPolicyId)} is not a WAF policy resource ID`,
        'use /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/<name>',
      );
    }
    if (p.wafPolicyId !== undefined && p.gatewayClassName !== AGC_GATEWAY_CLASS) {
      fail(
        'l7.wafPolicyId',
        `is set but gatewayClassName is "${p.gatewayClassName}"; WAF policies attach only to Application Gateway for Containers (${AGC_GATEWAY_CLASS})`,
        'put the WAF in front of the in-cluster gateway instead, and remove wafPolicyId',
      );
    }
    if (p.externalWaf !== undefined) {
      if (p.gatewayClassName === AGC_GATEWAY_CLASS)
        fail(
          'l7.externalWaf',
          'is set on Application Gateway for Containers, which attaches WAF policies itself',
          'use l7.wafPolicyId instead',
        );
      else if (typeof p.externalWaf?.reason !== 'string' || !p.externalWaf.reason.trim())
        fail(
          'l7.externalWaf.reason',
          'is empty',
          'say which WAF protects the in-cluster gateway (it is recorded as a waiver on every route)',
        );
    }
    check(
      'l7.tls.clientId',
      guidProblem(p.tls?.clientId),
      'use the client ID of the identity that may read the certificate',
    );
    for (const m of backendCaProblems(p)) fail(m.field, m.problem, m.fix);
  }
}

/** `l7.agc`: required for AGC (azure-alb-external), meaningless for in-cluster gateways. */
function validateAgcDeployment(spec: ClusterSpec, fail: Fail): void {
  const p = spec.l7;
  if (p.kind !== 'gateway-api') return;
  const agc = p.agc;
  if (p.gatewayClassName !== AGC_GATEWAY_CLASS) {
    if (agc !== undefined)
      fail(
        'l7.agc',
        `is set but gatewayClassName is "${p.gatewayClassName}", not Application Gateway for Containers (${AGC_GATEWAY_CLASS})`,
        'remove l7.agc for an in-cluster gateway',
      );
    return;
  }
  if (!agc || typeof agc !== 'object') {
    fail(
      'l7.agc',
      'is not set, so nothing would program Application Gateway for Containers: the Gateway would never get an address',
      'declare l7.agc: { deployment: "managed", namespace, name, associationSubnetId } (the ALB Controller creates AGC) or { deployment: "bring-your-own", resourceId, frontendName }',
    );
    return;
  }
  if (agc.deployment === 'managed') {
    if (dnsLabelProblem(agc.namespace))
      fail(
        'l7.agc.namespace',
        dnsLabelProblem(agc.namespace) as string,
        'name the namespace of the ApplicationLoadBalancer, e.g. "alb-infra"',
      );
    else if (RESERVED_NAMESPACES.includes(agc.namespace))
      fail(
        'l7.agc.namespace',
        `"${agc.namespace}" is a system namespace`,
        'give the ApplicationLoadBalancer its own namespace, e.g. "alb-infra"',
      );
    if (dnsLabelProblem(agc.name))
      fail('l7.agc.name', dnsLabelProblem(agc.name) as string, 'name the ApplicationLoadBalancer');
    if (typeof agc.associationSubnetId !== 'string' || !SUBNET_ID.test(agc.associationSubnetId)) {
      fail(
        'l7.agc.associationSubnetId',
        `${JSON.stringify(agc.associationSubnetId)} is not a subnet resource ID`,
        'use /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet> (the subnet delegated to Microsoft.ServiceNetworking/trafficControllers)',
      );
    }
  } else if (agc.deployment === 'bring-your-own') {
    if (typeof agc.resourceId !== 'string' || !AGC_RESOURCE_ID.test(agc.resourceId)) {
      fail(
        'l7.agc.resourceId',
        `${JSON.stringify(agc.resourceId)} is not an Application Gateway for Containers resource ID`,
        'use /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.ServiceNetworking/trafficControllers/<name>',
      );
    }
    if (
      typeof agc.frontendName !== 'string' ||
      (!AZURE_NAME.test(agc.frontendName) && !/^[A-Za-z0-9]$/.test(agc.frontendName))
    ) {
      fail(
        'l7.agc.frontendName',
        `${JSON.stringify(agc.frontendName)} is not an AGC frontend name`,
        'name the frontend created for this Gateway',
      );
    }
  } else {
    fail(
      'l7.agc.deployment',
      `${JSON.stringify((agc as { deployment?: unknown }).deployment)} is not "managed" or "bring-your-own"`,
      'use "managed" (the ALB Controller creates AGC from an ApplicationLoadBalancer) or "bring-your-own"',
    );
  }
}
