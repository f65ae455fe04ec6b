/**
 * Props are checked like types: a key no construct reads is a synth error naming the cluster, the
 * app, the prop path and the closest valid name. The known keys (src/known-props.ts) are held to
 * the props interfaces here, through the TypeScript compiler API, so a new prop cannot be forgotten.
 */
import * as path from 'node:path';
import * as ts from 'typescript';
import { L4Service, L4_SERVICE_PROPS, L7Api, L7_API_PROPS, editDistance } from '../src';
import type { AppContext, L4ServiceProps, L7ApiProps, PropShape } from '../src';
import { DEV, PROD, declareOne, expectConfigError } from './support/harness';

const api: L7ApiProps = {
  image: 'ghcr.io/contoso/orders-api:1.4.2',
  port: 8080,
  routes: [{ host: 'orders.contoso.com', paths: ['/orders'] }],
};
const l4Props: L4ServiceProps = {
  image: 'ghcr.io/contoso/db:16.2',
  ports: [{ name: 'pg', port: 5432 }],
  exposure: { mode: 'private', allowedSources: ['10.30.0.0/16'] },
  address: { offset: 10 },
};
// As an app in plain JavaScript, or through a spread or `any`, would pass them: TypeScript does not see the typo.
const l7 =
  (props: object) =>
  ({ scope }: AppContext) =>
    new L7Api(scope, 'api', props as L7ApiProps);
const l4 =
  (props: object) =>
  ({ scope }: AppContext) =>
    new L4Service(scope, 'db', props as L4ServiceProps);

describe('an unknown or misspelled prop is a synth error', () => {
  it('top level: `replica: 3` names the app, cluster, prop and "replicas"', () => {
    const e = expectConfigError(() => declareOne(PROD, 'orders-api', l7({ ...api, replica: 3 })), {
      cluster: 'aks-prod-weu',
      app: 'orders-api',
      field: 'L7Api(orders-api).replica',
      problem: 'is not a prop of L7Api; did you mean "replicas"?',
    });
    expect(e.fix).toMatch(/^rename "replica" to "replicas", or remove it/);
  });

  it('nested in an array: `routes[0].hots` suggests "host"', () => {
    expectConfigError(() => declareOne(DEV, 'orders-api', l7({ ...api, routes: [{ hots: 'orders.contoso.com' }] })), {
      cluster: 'aks-dev-weu',
      app: 'orders-api',
      field: 'L7Api(orders-api).routes[0].hots',
      problem: 'is not a prop of L7Api; did you mean "host"?',
    });
  });

  it('nested objects of L4Service: `health.readiness.htp`, `exposure.allowedSource`, `ports[1].targetport`', () => {
    expectConfigError(
      () => declareOne(DEV, 'db', l4({ ...l4Props, health: { readiness: { htp: { path: '/ready' } } } })),
      {
        cluster: 'aks-dev-weu',
        app: 'db',
        field: 'L4Service(db).health.readiness.htp',
        problem: 'is not a prop of L4Service; did you mean "http"?',
      },
    );
    expectConfigError(
      () => declareOne(DEV, 'db', l4({ ...l4Props, exposure: { mode: 'private', allowedSource: ['10.0.0.0/8'] } })),
      {
        cluster: 'aks-dev-weu',
        app: 'db',
        field: 'L4Service(db).exposure.allowedSource',
        problem: 'is not a prop of L4Service; did you mean "allowedSources"?',
      },
    );
    expectConfigError(
      () =>
        declareOne(
          DEV,
          'db',
          l4({
            ...l4Props,
            ports: [
              { name: 'pg', port: 5432 },
              { name: 'm', port: 9187, targetport: 9000 },
            ],
          }),
        ),
      {
        cluster: 'aks-dev-weu',
        app: 'db',
        field: 'L4Service(db).ports[1].targetport',
        problem: 'is not a prop of L4Service; did you mean "targetPort"?',
      },
    );
  });

  it('keys the user chooses (env, config) are free', () => {
    expect(() =>
      declareOne(DEV, 'orders-api', l7({ ...api, env: { ANY_NAME: 'x' }, config: { replica: '3' } })),
    ).not.toThrow();
  });

  it('closest by edit distance, case counting as one step', () => {
    expect(editDistance('replica', 'replicas')).toBe(1);
    expect(editDistance('Replicas', 'replicas')).toBe(1);
    expect(editDistance('hots', 'host')).toBe(2);
    expect(editDistance('port', 'port')).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// The known keys are exactly the props interfaces' keys, derived from the TypeScript types.

const SRC = path.join(__dirname, '..', 'src', 'index.ts');
const program = ts.createProgram([SRC], {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  baseUrl: path.join(__dirname, '../../..'),
  paths: { '@aks-gitops/*': ['libs/*/src/index.ts'] },
});
const checker = program.getTypeChecker();

function shapeOf(type: ts.Type, depth = 0): PropShape {
  if (depth > 12) throw new Error('props type nests too deep (recursive?)');
  const members = type.isUnion() ? type.types : [type];
  const objects = members.filter(
    (t) => (t.flags & ts.TypeFlags.Object) !== 0 || (t.flags & ts.TypeFlags.Intersection) !== 0,
  );
  if (objects.length === 0) return 'leaf';
  const merged: Record<string, PropShape> = {};
  let sawKeys = false;
  for (const t of objects) {
    if (checker.isArrayType(t) || checker.isTupleType(t)) {
      const element = shapeOf(checker.getTypeArguments(t as ts.TypeReference)[0], depth + 1);
      if (element === 'free') return 'free';
      if (element !== 'leaf') {
        Object.assign(merged, element);
        sawKeys = true;
      }
      continue;
    }
    if (checker.getIndexInfoOfType(t, ts.IndexKind.String)) return 'free';
    for (const prop of checker.getPropertiesOfType(t)) {
      const decl = prop.valueDeclaration ?? prop.declarations?.[0];
      if (!decl) continue;
      const inner = shapeOf(checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(prop, decl)), depth + 1);
      const prev = merged[prop.name];
      merged[prop.name] = prev && typeof prev === 'object' && typeof inner === 'object' ? { ...prev, ...inner } : inner;
      sawKeys = true;
    }
  }
  return sawKeys ? merged : 'leaf';
}

function interfaceShape(name: string): PropShape {
  const source = program.getSourceFile(SRC);
  if (!source) throw new Error(`cannot read ${SRC}`);
  const symbol = checker
    .getExportsOfModule(checker.getSymbolAtLocation(source) as ts.Symbol)
    .find((s) => s.name === name);
  if (!symbol) throw new Error(`${name} is not exported from libs/workloads`);
  return shapeOf(checker.getDeclaredTypeOfSymbol(symbol));
}

/** Sorted keys at every level, so a difference reads as a path. */
function normalize(shape: PropShape): unknown {
  if (typeof shape === 'string') return shape;
  return Object.fromEntries(
    Object.keys(shape)
      .sort()
      .map((k) => [k, normalize(shape[k])]),
  );
}

describe('the known keys are the props interfaces (TypeScript compiler API)', () => {
  it('L7_API_PROPS equals L7ApiProps, nested types included', () => {
    expect(normalize(L7_API_PROPS)).toEqual(normalize(interfaceShape('L7ApiProps')));
  });

  it('L4_SERVICE_PROPS equals L4ServiceProps, nested types included', () => {
    expect(normalize(L4_SERVICE_PROPS)).toEqual(normalize(interfaceShape('L4ServiceProps')));
  });
});
