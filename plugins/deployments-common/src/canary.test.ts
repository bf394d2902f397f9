import { DescriptorSource } from '@gitops/descriptors-common';
import {
  declaredCanarySource,
  exampleSources,
  parseClean,
  SEED_COMMIT,
  seedContext,
} from './__testUtils__/fixtures';
import { KubernetesObject } from './kubernetes';
import { renderDeployment } from './render';
import { DeploymentInfo } from './schema';

const canaryInfo = (canaryService: string, steps = '- setWeight: 20') =>
  `version: 1
components:
- componentId: api
  tugboat:
    backends:
    - backend: kubernetes
    automatedCanary:
      canaryService: ${canaryService}
      steps:
      ${steps.split('\n').join('\n      ')}
`;

const deployment = (name: string, app: string, extra = '') => `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector:
    matchLabels: { app: ${app} }
  template:
    metadata:
      labels: { app: ${app} }
    spec:
      containers:
      - name: ${name}
        image: ${name}
${extra}`;

const service = (name: string, app: string, spec = '') => `---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector: { app: ${app} }
${
  spec ||
  `  ports:
  - name: http
    port: 80
    targetPort: http
`
}`;

function renderRepo(info: string, kubernetes: string) {
  const parsed = parseClean({ path: 'deployment-info.yaml', text: info }, [
    { path: 'kubernetes/api.yaml', text: kubernetes },
  ]);
  return renderDeployment({
    ...parsed,
    commit: SEED_COMMIT,
    environment: 'production',
    context: seedContext(),
  });
}

function objectsOf(info: string, kubernetes: string): KubernetesObject[] {
  const result = renderRepo(info, kubernetes);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}

function problemsOf(info: string, kubernetes: string) {
  const result = renderRepo(info, kubernetes);
  if (result.ok) throw new Error('rendered, problems expected');
  return result.problems.map(
    p => `${p.file}:${p.line}:${p.column}: ${p.message}`,
  );
}

const canaryOf = (objects: KubernetesObject[]) =>
  (objects.find(o => o.kind === 'Rollout')!.spec as any).strategy.canary;

describe('the canary Service', () => {
  it('is derived for a repository whose kubernetes/ holds only a Deployment and its Service', () => {
    const objects = objectsOf(
      canaryInfo('api-canary'),
      deployment('api', 'api') + service('api', 'api'),
    );
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/api',
      'Service/api',
      'Service/api-canary',
      'Rollout/api',
    ]);
    expect(canaryOf(objects)).toMatchObject({
      canaryService: 'api-canary',
      stableService: 'api',
    });
    const derived = objects.find(o => o.metadata.name === 'api-canary')!;
    expect(derived.metadata.annotations).toMatchObject({
      'gitops.io/derived-from': 'service/api',
    });
    expect(derived.spec).toEqual({
      ports: [{ name: 'http', port: 80, targetPort: 'http' }],
      selector: { app: 'api' },
    });
  });

  it('is used as written when kubernetes/ declares it', () => {
    const sources = exampleSources();
    const parsed = parseClean(sources.info, [
      ...sources.manifests,
      declaredCanarySource(),
    ]);
    const result = renderDeployment({
      ...parsed,
      commit: SEED_COMMIT,
      environment: 'production',
      context: seedContext(),
    });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const canary = result.value.find(
      o => o.kind === 'Service' && o.metadata.name === 'example-canary',
    )!;
    expect(canary.metadata.labels).toMatchObject({ team: 'team-a' });
    expect(canary.metadata.annotations).not.toHaveProperty(
      'gitops.io/derived-from',
    );
    expect(canaryOf(result.value)).toMatchObject({
      canaryService: 'example-canary',
      stableService: 'example-app',
    });
    expect(result.value.filter(o => o.kind === 'Service')).toHaveLength(2);
  });

  it('takes from the stable Service only its selector and ports, without node ports', () => {
    const objects = objectsOf(
      canaryInfo('api-canary'),
      deployment('api', 'api') +
        service(
          'api',
          'api',
          `  type: NodePort
  ports:
  - name: http
    port: 80
    targetPort: http
    nodePort: 30080
    protocol: TCP
`,
        ).replace('metadata:\n', 'metadata:\n  labels: { scrape: "true" }\n'),
    );
    const derived = objects.find(o => o.metadata.name === 'api-canary')!;
    expect(derived.spec).toEqual({
      ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }],
      selector: { app: 'api' },
    });
    expect(derived.metadata.labels).not.toHaveProperty('scrape');
  });

  it('rolls out the Deployment behind a Service, or the one named after the component', () => {
    const worker = deployment('worker', 'worker');
    expect(
      canaryOf(
        objectsOf(
          canaryInfo('api-canary'),
          deployment('web', 'web') + worker + service('web', 'web'),
        ),
      ),
    ).toMatchObject({ stableService: 'web' });
    const objects = objectsOf(
      canaryInfo('api-canary'),
      deployment('api', 'api') +
        deployment('web', 'web') +
        service('api', 'api') +
        service('web', 'web'),
    );
    expect(objects.find(o => o.kind === 'Rollout')!.metadata.name).toBe('api');
    expect(canaryOf(objects)).toMatchObject({ stableService: 'api' });
  });

  it('writes pause durations in their largest whole unit', () => {
    const objects = objectsOf(
      canaryInfo(
        'api-canary',
        '- pause: { duration: 120s }\n- pause: { duration: 90s }',
      ),
      deployment('api', 'api') + service('api', 'api'),
    );
    expect(canaryOf(objects).steps).toEqual([
      { pause: { duration: '2m' } },
      { pause: { duration: '90s' } },
    ]);
  });
});

describe('canary problems', () => {
  it('needs a Deployment to roll out', () => {
    expect(problemsOf(canaryInfo('api-canary'), service('api', 'api'))).toEqual(
      [
        'deployment-info.yaml:7:5: automatedCanary turns a Deployment into a Rollout, but kubernetes/ holds no Deployment for component api',
      ],
    );
  });

  it('needs a Service selecting its pods to derive the canary Service from', () => {
    expect(
      problemsOf(
        canaryInfo('api-canary'),
        deployment('api', 'api') + service('other', 'other'),
      ),
    ).toEqual([
      expect.stringMatching(
        /^deployment-info\.yaml:8:22: canary Service api-canary is not in kubernetes\/, and no Service selects the pods of Deployment api: Tugboat derives/,
      ),
    ]);
  });

  it('cannot choose between Deployments none of which is named after the component', () => {
    expect(
      problemsOf(
        canaryInfo('api-canary'),
        deployment('web', 'web') +
          deployment('admin', 'admin') +
          service('web', 'web') +
          service('admin', 'admin'),
      ),
    ).toEqual([
      expect.stringContaining(
        'deployment-info.yaml:8:22: canary Service api-canary is not in kubernetes/, and several Deployments of component api are behind Services (web, admin)',
      ),
    ]);
  });

  it('needs ports on the stable Service', () => {
    expect(
      problemsOf(
        canaryInfo('api-canary'),
        deployment('api', 'api') + service('api', 'api', '  clusterIP: None\n'),
      ),
    ).toEqual([
      'kubernetes/api.yaml:22:3: Service api has no spec.ports: the canary Service api-canary is derived from it, with the same ports',
    ]);
  });

  it('refuses a Deployment with the Recreate strategy', () => {
    const recreate = deployment('api', 'api').replace(
      'spec:\n  selector:',
      'spec:\n  strategy: { type: Recreate }\n  selector:',
    );
    expect(
      problemsOf(canaryInfo('api-canary'), recreate + service('api', 'api')),
    ).toEqual([
      'kubernetes/api.yaml:7:21: Deployment api uses the Recreate strategy, which a canary cannot honour: remove spec.strategy',
    ]);
  });

  it('reports a bad pause duration of a hand-built DeploymentInfo at the top of its file', () => {
    const sources: DescriptorSource[] = [
      {
        path: 'kubernetes/api.yaml',
        text: deployment('api', 'api') + service('api', 'api'),
      },
    ];
    const { manifests } = parseClean(
      { path: 'deployment-info.yaml', text: canaryInfo('api-canary') },
      sources,
    );
    const value: DeploymentInfo = {
      version: 1,
      components: [
        {
          componentId: 'api',
          tugboat: {
            backends: [{ backend: 'kubernetes' }],
            automatedCanary: {
              canaryService: 'api-canary',
              steps: [{ pause: { duration: 'soon' } }],
            },
          },
        },
      ],
    };
    expect(
      renderDeployment({
        info: { file: 'deployment-info.yaml', value },
        manifests,
        commit: SEED_COMMIT,
        environment: 'production',
        context: seedContext(),
      }),
    ).toEqual({
      ok: false,
      problems: [
        {
          file: 'deployment-info.yaml',
          line: 1,
          column: 1,
          path: 'components[0].tugboat.automatedCanary.steps[0].pause.duration',
          message:
            'pause duration "soon" is not a duration such as 30s, 5m or 1h',
        },
      ],
    });
  });
});
