import type { KubeObject } from '@aks-gitops/cluster-model';
import { kubernetesValidationLabel, validateObjects } from '@aks-gitops/validation';
import * as fx from './fixtures';

/*
 * A cluster's objects are checked against the API versions its own Kubernetes minor serves: an
 * object in a version removed by then, or not served yet, fails with a message naming both
 * minors and what to use. (Field schemas come from the closest available OpenAPI; the label says so.)
 */
const obj = (apiVersion: string, kind: string, spec: Record<string, unknown> = {}): KubeObject =>
  ({ apiVersion, kind, metadata: { name: 'x' }, ...spec }) as KubeObject;

describe('API versions per cluster minor', () => {
  it('an API removed before the cluster minor fails at apiVersion, naming the removal and the replacement', () => {
    const problems = validateObjects([obj('flowcontrol.apiserver.k8s.io/v1beta2', 'FlowSchema')], {
      kubernetesVersion: '1.30',
    });
    expect(problems).toEqual([
      {
        apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2',
        kind: 'FlowSchema',
        name: 'x',
        path: 'apiVersion',
        message:
          'flowcontrol.apiserver.k8s.io/v1beta2 FlowSchema is not served by Kubernetes 1.30: it was removed in 1.29; use flowcontrol.apiserver.k8s.io/v1',
      },
    ]);
  });

  it('an API not served yet by the cluster minor fails, naming the first minor that serves it', () => {
    const vap = obj('admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy', { spec: {} });
    expect(validateObjects([vap], { kubernetesVersion: '1.29' }).map((p) => p.message)).toEqual([
      'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy is not served by Kubernetes 1.29: it is served from 1.30, so upgrade the cluster first or keep the object out of this cluster',
    ]);
    const cidr = obj('networking.k8s.io/v1', 'ServiceCIDR', { spec: { cidrs: ['10.0.0.0/16'] } });
    expect(validateObjects([cidr], { kubernetesVersion: '1.32' })[0].message).toContain(
      'is not served by Kubernetes 1.32: it is served from 1.33',
    );
    expect(validateObjects([cidr], { kubernetesVersion: '1.33' })).toEqual([]);
  });

  it('the same version is fine on a minor that serves it: flowcontrol v1beta3 on 1.31, not on 1.32', () => {
    const fs = obj('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema', {
      spec: { priorityLevelConfiguration: { name: 'global-default' } },
    });
    expect(validateObjects([fs], { kubernetesVersion: '1.31' })).toEqual([]);
    expect(validateObjects([fs], { kubernetesVersion: '1.32' })[0].message).toContain('removed in 1.32');
  });

  it('objects every supported minor serves pass, and without kubernetesVersion nothing is checked per minor', () => {
    const objects = [fx.deployment(), fx.service(), fx.networkPolicy(), fx.hpa(), fx.pdb()];
    for (const v of ['1.28', '1.30', '1.33', '1.39'])
      expect(validateObjects(objects, { kubernetesVersion: v })).toEqual([]);
    expect(
      validateObjects([
        obj('flowcontrol.apiserver.k8s.io/v1beta2', 'FlowSchema', {
          spec: { priorityLevelConfiguration: { name: 'p' } },
        }),
      ]),
    ).toEqual([]);
  });

  it('names what a cluster is validated against, for test titles', () => {
    expect(kubernetesValidationLabel('1.30')).toBe(
      'the API versions Kubernetes 1.30 serves and the Kubernetes 1.33 field schemas (the closest available)',
    );
    expect(kubernetesValidationLabel('1.33')).toBe(
      'the API versions Kubernetes 1.33 serves and the Kubernetes 1.33 field schemas',
    );
  });
});

describe('fields per cluster minor', () => {
  const withSleep = (): KubeObject => {
    const d = fx.deployment() as KubeObject & {
      spec: { template: { spec: { containers: Array<Record<string, unknown>> } } };
    };
    d.spec.template.spec.containers[0].lifecycle = { preStop: { sleep: { seconds: 30 } } };
    return d;
  };

  it('the sleep lifecycle handler fails before 1.30, where the API server drops it, naming the container path', () => {
    expect(validateObjects([withSleep()], { kubernetesVersion: '1.29' })).toEqual([
      expect.objectContaining({
        kind: 'Deployment',
        path: 'spec.template.spec.containers[0].lifecycle.preStop.sleep',
        message:
          'the sleep lifecycle handler is not served by Kubernetes 1.29 (PodLifecycleSleepAction is on by default from 1.30): the API server drops it; use an exec handler',
      }),
    ]);
  });

  it('is fine from 1.30 on', () => {
    expect(validateObjects([withSleep()], { kubernetesVersion: '1.30' })).toEqual([]);
  });
});
