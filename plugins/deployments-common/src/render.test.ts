import { DescriptorSource } from '@gitops/descriptors-common';
import {
  exampleSources,
  parseClean,
  SEED_COMMIT,
  seedContext,
} from './__testUtils__/fixtures';
import { KubernetesObject } from './kubernetes';
import { renderDeployment } from './render';
import { RenderDeploymentInput } from './renderInput';

const LABELS = {
  'app.kubernetes.io/instance': 'example-app',
  'app.kubernetes.io/managed-by': 'tugboat',
  'app.kubernetes.io/name': 'example-app',
  'app.kubernetes.io/part-of': 'metadata-system',
  'app.kubernetes.io/version': '439ac5d',
  'backstage.io/kubernetes-id': 'example-app',
};
const ANNOTATIONS = {
  'gitops.io/commit': SEED_COMMIT,
  'gitops.io/environment': 'production',
};

function seedInput(
  overrides: Partial<RenderDeploymentInput> = {},
  info?: string,
): RenderDeploymentInput {
  const sources = exampleSources();
  const parsed = parseClean(
    info ? { path: 'deployment-info.yaml', text: info } : sources.info,
    sources.manifests,
  );
  return {
    ...parsed,
    commit: SEED_COMMIT,
    environment: 'production',
    context: seedContext(),
    ...overrides,
  };
}

function render(input: RenderDeploymentInput): KubernetesObject[] {
  const result = renderDeployment(input);
  if (!result.ok) {
    throw new Error(`unexpected problems: ${JSON.stringify(result.problems)}`);
  }
  return result.value;
}

const find = (objects: KubernetesObject[], kind: string, name: string) => {
  const found = objects.find(o => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};

const PLAIN_INFO = `version: 1
components:
- componentId: example-app
  tugboat:
    backends:
    - backend: kubernetes
`;

describe('renderDeployment of the seed example-app', () => {
  const objects = render(seedInput());

  it('renders exactly the namespace, the infrastructure, the Service and the canary Service derived from it, the analysis template and the Rollout, in apply order', () => {
    expect(
      objects.map(
        o => `${o.kind} ${o.metadata.namespace ?? '-'}/${o.metadata.name}`,
      ),
    ).toEqual([
      'Namespace -/example-app',
      'IAMPartialPolicy example-app/example-app-db.iam-user-auth',
      'SQLInstance example-app/example-app-db',
      'Service example-app/example-app',
      'Service example-app/example-canary',
      'AnalysisTemplate example-app/java-backend',
      'Rollout example-app/example-app',
    ]);
  });

  it('turns the Deployment into a Rollout with the declared canary and the same pod template', () => {
    expect(find(objects, 'Rollout', 'example-app')).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: {
        name: 'example-app',
        namespace: 'example-app',
        labels: LABELS,
        annotations: ANNOTATIONS,
      },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'example-app' } },
        strategy: {
          canary: {
            canaryService: 'example-canary',
            stableService: 'example-app',
            steps: [
              {
                analysis: {
                  templates: [{ templateName: 'java-backend' }],
                  args: [
                    { name: 'namespace', value: 'example-app' },
                    { name: 'service-name', value: 'example-app' },
                  ],
                },
              },
            ],
          },
        },
        template: {
          metadata: { labels: { app: 'example-app', ...LABELS } },
          spec: {
            containers: [
              {
                name: 'example-app',
                image: `example-app:${SEED_COMMIT}`,
                ports: [
                  { name: 'grpc', containerPort: 5990 },
                  { name: 'metrics', containerPort: 8080 },
                ],
                readinessProbe: { grpc: { port: 5990 } },
                resources: {
                  requests: { cpu: '500m', memory: '1Gi' },
                  limits: { memory: '1Gi' },
                },
              },
            ],
          },
        },
      },
    });
  });

  it('derives the canary Service kubernetes/ does not declare from the stable Service, and says so', () => {
    expect(find(objects, 'Service', 'example-canary')).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'example-canary',
        namespace: 'example-app',
        labels: LABELS,
        annotations: {
          ...ANNOTATIONS,
          'gitops.io/derived-from': 'service/example-app',
        },
      },
      spec: {
        ports: [{ name: 'grpc', port: 5990, targetPort: 'grpc' }],
        selector: { app: 'example-app' },
      },
    });
  });

  it("adds the javaBackend library template, at tier 4 strictness, querying the dashboards' series", () => {
    const template = find(objects, 'AnalysisTemplate', 'java-backend');
    const selector =
      'app="{{args.service-name}}",namespace="{{args.namespace}}"';
    expect(template).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: {
        name: 'java-backend',
        namespace: 'example-app',
        labels: LABELS,
        annotations: {
          ...ANNOTATIONS,
          'gitops.io/analysis-template': 'javaBackend',
          'gitops.io/service-tier': '4',
        },
      },
      spec: {
        args: [
          { name: 'namespace' },
          {
            name: 'prometheus-address',
            value: 'http://prometheus.monitoring:9090',
          },
          { name: 'service-name' },
        ],
        metrics: [
          {
            name: 'success-rate',
            interval: '1m',
            count: 5,
            failureLimit: 2,
            successCondition:
              'len(result) == 0 || isNaN(result[0]) || result[0] >= 0.99',
            provider: {
              prometheus: {
                address: '{{args.prometheus-address}}',
                query: `sum(rate(grpc_server_handled_total{${selector},grpc_code!~"Unknown|DeadlineExceeded|Unimplemented|Internal|Unavailable|DataLoss"}[2m])) / sum(rate(grpc_server_handled_total{${selector}}[2m]))`,
              },
            },
          },
          {
            name: 'latency-p99',
            interval: '1m',
            count: 5,
            failureLimit: 2,
            successCondition:
              'len(result) == 0 || isNaN(result[0]) || result[0] <= 2',
            provider: {
              prometheus: {
                address: '{{args.prometheus-address}}',
                query: `histogram_quantile(0.99, sum by (le) (rate(grpc_server_handling_seconds_bucket{${selector}}[2m])))`,
              },
            },
          },
        ],
      },
    });
  });

  it('labels every object so Backstage finds it, and records commit and environment', () => {
    for (const object of objects) {
      expect(object.metadata.labels).toMatchObject(LABELS);
      expect(object.metadata.annotations).toMatchObject(ANNOTATIONS);
    }
  });

  it('creates the namespace named after the componentId, the only cluster-scoped object', () => {
    expect(objects[0]).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'example-app',
        labels: LABELS,
        annotations: ANNOTATIONS,
      },
    });
    expect(
      objects.slice(1).every(o => o.metadata.namespace === 'example-app'),
    ).toBe(true);
  });

  it('passes the Config Connector database and its IAM policy through, keeping the project annotation', () => {
    const db = find(objects, 'SQLInstance', 'example-app-db');
    expect(db.metadata).toEqual({
      name: 'example-app-db',
      namespace: 'example-app',
      labels: LABELS,
      annotations: {
        ...ANNOTATIONS,
        'cnrm.cloud.google.com/project-id': 'my-project',
      },
    });
    expect(db.spec).toMatchObject({
      databaseVersion: 'POSTGRES_14',
      region: 'europe-west1',
    });
    const iam = find(
      objects,
      'IAMPartialPolicy',
      'example-app-db.iam-user-auth',
    );
    expect(iam.apiVersion).toBe('iam.cnrm.cloud.google.com/v1beta1');
    expect(iam.metadata.namespace).toBe('example-app');
    expect(iam.spec).toMatchObject({
      bindings: [
        {
          role: 'roles/cloudsql.instanceUser',
          members: [
            { member: 'serviceAccount:example-sa@gserviceaccount.com' },
          ],
        },
      ],
    });
  });

  it('leaves the parsed input untouched', () => {
    const input = seedInput();
    const before = JSON.stringify(input.manifests.map(m => m.object));
    render(input);
    expect(JSON.stringify(input.manifests.map(m => m.object))).toBe(before);
  });
});

describe('renderDeployment rules', () => {
  it('keeps a plain Deployment, pinned and labelled, when no automatedCanary is declared', () => {
    const objects = render(seedInput({}, PLAIN_INFO));
    expect(objects.map(o => o.kind)).toEqual([
      'Namespace',
      'IAMPartialPolicy',
      'SQLInstance',
      'Service',
      'Deployment',
    ]);
    const deployment = find(objects, 'Deployment', 'example-app');
    expect(deployment.apiVersion).toBe('apps/v1');
    expect(deployment.metadata.labels).toEqual(LABELS);
    expect(deployment).toMatchObject({
      spec: {
        template: {
          metadata: {
            labels: {
              app: 'example-app',
              'backstage.io/kubernetes-id': 'example-app',
            },
          },
          spec: { containers: [{ image: `example-app:${SEED_COMMIT}` }] },
        },
      },
    });
  });

  it('makes tier 1 canaries stricter than tier 4 ones', () => {
    const metrics = (tier: 1 | 4) =>
      (
        find(
          render(seedInput({ context: seedContext(tier) })),
          'AnalysisTemplate',
          'java-backend',
        ).spec as { metrics: Record<string, unknown>[] }
      ).metrics.map(({ name, count, failureLimit, successCondition }) => ({
        name,
        count,
        failureLimit,
        successCondition,
      }));
    expect(metrics(1)).toEqual([
      {
        name: 'success-rate',
        count: 10,
        failureLimit: 0,
        successCondition:
          'len(result) == 0 || isNaN(result[0]) || result[0] >= 0.999',
      },
      {
        name: 'latency-p99',
        count: 10,
        failureLimit: 0,
        successCondition:
          'len(result) == 0 || isNaN(result[0]) || result[0] <= 0.25',
      },
    ]);
    expect(metrics(4)).toEqual([
      {
        name: 'success-rate',
        count: 5,
        failureLimit: 2,
        successCondition:
          'len(result) == 0 || isNaN(result[0]) || result[0] >= 0.99',
      },
      {
        name: 'latency-p99',
        count: 5,
        failureLimit: 2,
        successCondition:
          'len(result) == 0 || isNaN(result[0]) || result[0] <= 2',
      },
    ]);
  });

  it('is deterministic: same input, same output, whatever the order of the files', () => {
    const input = seedInput();
    const first = render(input);
    const again = render(seedInput());
    const reversed = render({
      ...input,
      manifests: [...input.manifests].reverse(),
    });
    expect(again).toEqual(first);
    expect(reversed).toEqual(first);
    expect(JSON.stringify(reversed)).toBe(JSON.stringify(first));
  });

  it('writes keys in sorted order', () => {
    const rollout = find(render(seedInput()), 'Rollout', 'example-app');
    expect(Object.keys(rollout)).toEqual([
      'apiVersion',
      'kind',
      'metadata',
      'spec',
    ]);
    expect(Object.keys(rollout.spec as object)).toEqual([
      'replicas',
      'selector',
      'strategy',
      'template',
    ]);
  });

  it('puts the registry in front of pinned images that name none, and leaves pinned ones alone', () => {
    const sources = exampleSources();
    const sidecars: DescriptorSource = {
      path: 'kubernetes/worker.yaml',
      text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  selector:
    matchLabels: { app: worker }
  template:
    metadata:
      labels: { app: worker }
    spec:
      initContainers:
      - name: migrate
        image: example-app-migrations:latest
      containers:
      - name: worker
        image: ghcr.io/acme/worker
      - name: proxy
        image: envoyproxy/envoy:v1.30.1
      - name: agent
        image: gcr.io/acme/agent@sha256:${'a'.repeat(64)}
`,
    };
    const parsed = parseClean(
      { path: 'deployment-info.yaml', text: PLAIN_INFO },
      [...sources.manifests, sidecars],
    );
    const objects = render({
      ...parsed,
      commit: SEED_COMMIT.slice(0, 12),
      environment: 'staging',
      context: seedContext(),
      registry: 'europe-docker.pkg.dev/acme/images',
    });
    const worker = find(objects, 'Deployment', 'worker') as any;
    expect(worker.metadata.labels['app.kubernetes.io/version']).toBe('439ac5d');
    expect(worker.metadata.annotations['gitops.io/commit']).toBe(
      '439ac5d0c1b2',
    );
    expect(worker.spec.template.spec.initContainers[0].image).toBe(
      'europe-docker.pkg.dev/acme/images/example-app-migrations:439ac5d0c1b2',
    );
    expect(
      worker.spec.template.spec.containers.map((c: any) => c.image),
    ).toEqual([
      'ghcr.io/acme/worker:439ac5d0c1b2',
      'envoyproxy/envoy:v1.30.1',
      `gcr.io/acme/agent@sha256:${'a'.repeat(64)}`,
    ]);
    expect(find(objects, 'Deployment', 'example-app')).toMatchObject({
      spec: {
        template: {
          spec: {
            containers: [
              {
                image:
                  'europe-docker.pkg.dev/acme/images/example-app:439ac5d0c1b2',
              },
            ],
          },
        },
      },
    });
  });

  it('renders every step of the canary vocabulary, and one template per distinct name', () => {
    const info = `version: 1
components:
- componentId: example-app
  tugboat:
    backends:
    - backend: kubernetes
    automatedCanary:
      canaryService: example-canary
      steps:
      - setWeight: 10
      - pause: { duration: 5m }
      - analysis:
          templates:
          - templateName: javaBackend
          - templateName: httpService
      - setWeight: 50
      - pause: {}
      - analysis:
          templates:
          - templateName: javaBackend
`;
    const objects = render(seedInput({}, info));
    const args = [
      { name: 'namespace', value: 'example-app' },
      { name: 'service-name', value: 'example-app' },
    ];
    expect(
      (find(objects, 'Rollout', 'example-app').spec as any).strategy.canary
        .steps,
    ).toEqual([
      { setWeight: 10 },
      { pause: { duration: '5m' } },
      {
        analysis: {
          templates: [
            { templateName: 'java-backend' },
            { templateName: 'http-service' },
          ],
          args,
        },
      },
      { setWeight: 50 },
      { pause: {} },
      { analysis: { templates: [{ templateName: 'java-backend' }], args } },
    ]);
    expect(
      objects
        .filter(o => o.kind === 'AnalysisTemplate')
        .map(o => o.metadata.name),
    ).toEqual(['http-service', 'java-backend']);
  });

  it('keeps the rolling-update surge limits of the Deployment on the canary', () => {
    const sources = exampleSources();
    const manifests = sources.manifests.map(m =>
      m.path.endsWith('deployment.yaml')
        ? {
            ...m,
            text: m.text.replace(
              '  replicas: 3\n',
              '  replicas: 3\n  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 0\n',
            ),
          }
        : m,
    );
    const parsed = parseClean(sources.info, manifests);
    const rollout = find(
      render({
        ...parsed,
        commit: SEED_COMMIT,
        environment: 'production',
        context: seedContext(),
      }),
      'Rollout',
      'example-app',
    ) as any;
    expect(rollout.spec.strategy.canary).toMatchObject({
      maxSurge: 1,
      maxUnavailable: 0,
    });
    expect(rollout.spec.strategy.rollingUpdate).toBeUndefined();
  });

  it('points a HorizontalPodAutoscaler of the converted Deployment at the Rollout', () => {
    const sources = exampleSources();
    const hpa: DescriptorSource = {
      path: 'kubernetes/hpa.yaml',
      text: `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: example-app
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: example-app
  minReplicas: 3
  maxReplicas: 10
`,
    };
    const parsed = parseClean(sources.info, [...sources.manifests, hpa]);
    const objects = render({
      ...parsed,
      commit: SEED_COMMIT,
      environment: 'production',
      context: seedContext(),
    });
    expect(
      find(objects, 'HorizontalPodAutoscaler', 'example-app').spec,
    ).toEqual({
      scaleTargetRef: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        name: 'example-app',
      },
      minReplicas: 3,
      maxReplicas: 10,
    });
    expect(objects.at(-1)!.kind).toBe('HorizontalPodAutoscaler');
  });

  it('deploys each component to its own namespace and only to its environments', () => {
    const info = `version: 1
components:
- componentId: api
  tugboat:
    backends:
    - backend: kubernetes
- componentId: preview
  environments: [staging]
  tugboat:
    backends:
    - backend: kubernetes
`;
    const cm = (ns: string) => ({
      path: `kubernetes/${ns}.yaml`,
      text: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: ${ns}\ndata:\n  greeting: hello\n`,
    });
    const parsed = parseClean({ path: 'deployment-info.yaml', text: info }, [
      cm('api'),
      cm('preview'),
    ]);
    const base = { ...parsed, commit: SEED_COMMIT, context: seedContext() };
    const names = (environment: string) =>
      render({ ...base, environment }).map(
        o => `${o.kind} ${o.metadata.namespace ?? '-'}/${o.metadata.name}`,
      );
    expect(names('staging')).toEqual([
      'Namespace -/api',
      'Namespace -/preview',
      'ConfigMap api/settings',
      'ConfigMap preview/settings',
    ]);
    expect(names('production')).toEqual([
      'Namespace -/api',
      'ConfigMap api/settings',
    ]);
  });

  it('reports every problem at once, at the YAML that caused it', () => {
    const sources = exampleSources();
    const parsed = parseClean(
      {
        path: 'deployment-info.yaml',
        text: PLAIN_INFO.replace(
          'example-app\n',
          'example-app\n  environments: [staging]\n',
        ),
      },
      sources.manifests,
    );
    const result = renderDeployment({
      ...parsed,
      commit: 'main',
      environment: 'production',
      context: seedContext(),
      registry: 'not a registry',
    });
    expect(result).toEqual({
      ok: false,
      problems: [
        expect.objectContaining({ file: '<render input>', path: 'commit' }),
        expect.objectContaining({ file: '<render input>', path: 'registry' }),
        expect.objectContaining({
          file: 'deployment-info.yaml',
          line: 3,
          message: expect.stringContaining(
            'no component deploys to environment "production"',
          ),
        }),
      ],
    });
  });

  it('refuses hand-built manifests that skipped parseManifests checks', () => {
    const input = seedInput({}, PLAIN_INFO);
    const result = renderDeployment({
      ...input,
      manifests: [
        ...input.manifests,
        {
          file: 'kubernetes/admin.yaml',
          index: 0,
          object: {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'ClusterRole',
            metadata: { name: 'admin' },
          },
        },
      ],
    });
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          file: 'kubernetes/admin.yaml',
          line: 1,
          column: 1,
          path: 'kind',
          message: expect.stringContaining('cluster-scoped'),
        },
      ],
    });
  });
});
