import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';

/*
 * cdk8s-plus-28's typed classes follow the Kubernetes 1.28 API, which has no `sleep` lifecycle
 * handler (KEP-3960: beta and on by default from 1.30, GA in 1.34), and their toJson() drops
 * fields they do not know, JSON patches included. These subclasses add the handler back after the
 * typed conversion. The container carries an empty `lifecycle.preStop` placeholder, so the key
 * keeps the place the typed conversion gives it. Synth's renderObject hands subclasses to their
 * own toJson().
 */

function withSleep(json: Record<string, unknown>, seconds: number): Record<string, unknown> {
  const spec = json.spec as {
    template: { spec: { containers: Array<{ lifecycle?: { preStop?: Record<string, unknown> } }> } };
  };
  const container = spec.template.spec.containers[0];
  container.lifecycle = { ...container.lifecycle, preStop: { ...container.lifecycle?.preStop, sleep: { seconds } } };
  return json;
}

export class KubeDeploymentWithSleep extends k8s.KubeDeployment {
  constructor(
    scope: Construct,
    id: string,
    props: k8s.KubeDeploymentProps,
    private readonly sleepSeconds: number,
  ) {
    super(scope, id, props);
  }

  override toJson(): Record<string, unknown> {
    return withSleep(super.toJson() as Record<string, unknown>, this.sleepSeconds);
  }
}

export class KubeStatefulSetWithSleep extends k8s.KubeStatefulSet {
  constructor(
    scope: Construct,
    id: string,
    props: k8s.KubeStatefulSetProps,
    private readonly sleepSeconds: number,
  ) {
    super(scope, id, props);
  }

  override toJson(): Record<string, unknown> {
    return withSleep(super.toJson() as Record<string, unknown>, this.sleepSeconds);
  }
}
