export * from './config-error';
export * from './cluster-spec';
export * from './ipv4';
export * from './validators';
export * from './validate-cluster';
export * from './fleet';
export * from './kube-object';
export * from './tenancy';
