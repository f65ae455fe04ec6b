import type { GatewayApiProvider } from './cluster-spec';
import { AGC_GATEWAY_CLASS } from './validate-network-model';
import { guidProblem } from './validators';

/** `l7.backendCa` (Application Gateway for Containers only): a Key Vault certificate name and a client ID. */
export function backendCaProblems(p: GatewayApiProvider): { field: string; problem: string; fix: string }[] {
  const ca = p.backendCa;
  if (ca === undefined) return [];
  if (p.gatewayClassName !== AGC_GATEWAY_CLASS)
    return [
      {
        field: 'l7.backendCa',
        problem: `is set but gatewayClassName is "${p.gatewayClassName}"; only Application Gateway for Containers reads it (BackendTLSPolicy verify)`,
        fix: 'remove l7.backendCa: in-cluster gateways verify backends with their own API',
      },
    ];
  const problems: { field: string; problem: string; fix: string }[] = [];
  if (typeof ca?.certificateName !== 'string' || !/^[A-Za-z0-9-]{1,127}$/.test(ca.certificateName))
    problems.push({
      field: 'l7.backendCa.certificateName',
      problem: `${JSON.stringify(ca?.certificateName)} is not a Key Vault certificate name`,
      fix: "name the Key Vault certificate that holds the CA of the pods' certificates (letters, digits, dashes)",
    });
  const guid = guidProblem(ca?.clientId);
  if (guid)
    problems.push({
      field: 'l7.backendCa.clientId',
      problem: guid,
      fix: 'use the client ID of the identity that may read that certificate only',
    });
  return problems;
}
