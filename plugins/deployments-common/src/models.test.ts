import { apps, core, rollouts } from './__testUtils__/kubernetesModels';
import {
  declaredCanarySource,
  exampleSources,
  parseClean,
  SEED_COMMIT,
  seedContext,
} from './__testUtils__/fixtures';
import { isConfigConnector, KubernetesObject } from './kubernetes';
import { renderDeployment } from './render';

/**
 * Validates an object against the upstream schema of its kind
 * (kubernetes-models, @kubernetes-models/argo-rollouts); throws when it
 * does not conform.
 */
function validate(object: KubernetesObject): void {
  const data = object as any;
  switch (`${object.apiVersion}/${object.kind}`) {
    case 'v1/Namespace':
      return new core.Namespace(data).validate();
    case 'v1/Service':
      return new core.Service(data).validate();
    case 'v1/ConfigMap':
      return new core.ConfigMap(data).validate();
    case 'apps/v1/Deployment':
      return new apps.Deployment(data).validate();
    case 'argoproj.io/v1alpha1/Rollout':
      return new rollouts.Rollout(data).validate();
    case 'argoproj.io/v1alpha1/AnalysisTemplate':
      return new rollouts.AnalysisTemplate(data).validate();
    default:
      if (isConfigConnector(object)) return validateConfigConnector(object);
      throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
  }
}

/**
 * Config Connector publishes CRDs but no model package: check by hand the
 * fields its CRDs require of the two kinds the seed uses.
 */
function validateConfigConnector(object: KubernetesObject): void {
  const spec = object.spec as any;
  const fail = (why: string) => {
    throw new Error(`${object.kind} ${object.metadata.name}: ${why}`);
  };
  if (
    !/^[a-z]+\.cnrm\.cloud\.google\.com\/v1(alpha1|beta1)?$/.test(
      object.apiVersion,
    )
  ) {
    fail(`apiVersion ${object.apiVersion}`);
  }
  if (!object.metadata.namespace) fail('not namespaced');
  if (typeof spec !== 'object' || spec === null) fail('no spec');
  switch (object.kind) {
    case 'SQLInstance':
      if (typeof spec.settings?.tier !== 'string')
        fail('spec.settings.tier is required');
      if (
        spec.databaseVersion !== undefined &&
        typeof spec.databaseVersion !== 'string'
      ) {
        fail('spec.databaseVersion must be a string');
      }
      return;
    case 'IAMPartialPolicy':
      if (typeof spec.resourceRef?.kind !== 'string')
        fail('spec.resourceRef.kind is required');
      if (!spec.resourceRef.name && !spec.resourceRef.external) {
        fail('spec.resourceRef needs name or external');
      }
      for (const binding of spec.bindings ?? []) {
        if (typeof binding.role !== 'string')
          fail('bindings[].role is required');
        for (const member of binding.members ?? []) {
          if (typeof member.member !== 'string' && !member.memberFrom) {
            fail('bindings[].members[] needs member or memberFrom');
          }
        }
      }
      return;
    default:
      fail('unknown Config Connector kind');
  }
}

function renderWith(
  info?: string,
  options: { declaredCanary?: boolean } = {},
): KubernetesObject[] {
  const sources = exampleSources();
  const parsed = parseClean(
    info ? { path: 'deployment-info.yaml', text: info } : sources.info,
    options.declaredCanary
      ? [...sources.manifests, declaredCanarySource()]
      : sources.manifests,
  );
  const result = renderDeployment({
    ...parsed,
    commit: SEED_COMMIT,
    environment: 'production',
    context: seedContext(1),
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}

const ALL_STEPS = `version: 1
components:
- componentId: example-app
  tugboat:
    backends:
    - backend: kubernetes
    automatedCanary:
      canaryService: example-canary
      steps:
      - setWeight: 20
      - pause: { duration: 30s }
      - analysis:
          templates:
          - templateName: javaBackend
          - templateName: httpService
          - templateName: nodeService
      - setWeight: 100
      - pause: {}
`;

const PLAIN = `version: 1
components:
- componentId: example-app
  tugboat:
    backends:
    - backend: kubernetes
`;

describe('rendered objects against the upstream schemas', () => {
  it.each([
    ['the seed (derived canary Service)', undefined, false],
    ['the seed with its canary Service declared', undefined, true],
    ['every step kind and every library template', ALL_STEPS, false],
    ['no canary', PLAIN, false],
  ])('%s: every object validates', (_name, info, declaredCanary) => {
    const objects = renderWith(info, { declaredCanary });
    expect(objects.length).toBeGreaterThan(4);
    for (const object of objects) {
      expect(() => validate(object)).not.toThrow();
    }
  });

  it('catches broken objects (negative control)', () => {
    const rollout = renderWith().find(o => o.kind === 'Rollout')!;
    const spec = rollout.spec as any;
    const brokenSteps = {
      ...rollout,
      spec: {
        ...spec,
        strategy: {
          canary: { ...spec.strategy.canary, steps: [{ setWeight: 'half' }] },
        },
      },
    };
    expect(() => validate(brokenSteps)).toThrow();

    const template = renderWith().find(o => o.kind === 'AnalysisTemplate')!;
    expect(() =>
      validate({ ...template, spec: { metrics: 'success-rate' } }),
    ).toThrow();

    const service = renderWith().find(o => o.kind === 'Service')!;
    expect(() =>
      validate({ ...service, spec: { ports: [{ port: 'grpc' }] } }),
    ).toThrow();

    const deployment = renderWith(PLAIN).find(o => o.kind === 'Deployment')!;
    expect(() =>
      validate({
        ...deployment,
        spec: { ...(deployment.spec as object), replicas: 'three' },
      }),
    ).toThrow();

    const db = renderWith().find(o => o.kind === 'SQLInstance')!;
    expect(() =>
      validate({ ...db, spec: { databaseVersion: 'POSTGRES_14' } }),
    ).toThrow(/settings\.tier/);
  });
});
