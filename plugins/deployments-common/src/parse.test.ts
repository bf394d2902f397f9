import { parseDeploymentInfo, parseManifests } from './parse';
import { exampleSources } from './__testUtils__/fixtures';

describe('parseDeploymentInfo', () => {
  it('reads the seed deployment-info.yaml, keeping where it came from', () => {
    const result = parseDeploymentInfo(exampleSources().info);
    expect(result.ok && result.file).toBe('deployment-info.yaml');
    expect(
      result.ok &&
        result.document?.problemAt(
          ['components', 0, 'tugboat', 'automatedCanary', 'canaryService'],
          'here',
        ),
    ).toMatchObject({ line: 9, column: 22 });
    expect(result.ok && result.value).toEqual({
      version: 1,
      components: [
        {
          componentId: 'example-app',
          tugboat: {
            backends: [{ backend: 'kubernetes' }],
            automatedCanary: {
              canaryService: 'example-canary',
              steps: [
                { analysis: { templates: [{ templateName: 'javaBackend' }] } },
              ],
            },
          },
        },
      ],
    });
  });

  it('reads every key of the language', () => {
    const text = `version: 1
components:
- componentId: api
  environments: [staging, production]
  tugboat:
    backends:
    - backend: kubernetes
    automatedCanary:
      canaryService: api-canary
      steps:
      - setWeight: 0
      - pause: {}
      - setWeight: 25
      - pause: { duration: 90s }
      - analysis:
          templates:
          - templateName: nodeService
      - setWeight: 100
- componentId: web
  tugboat:
    backends:
    - backend: kubernetes
`;
    const result = parseDeploymentInfo({ path: 'deployment-info.yaml', text });
    expect(
      result.ok &&
        result.value.components.map(c => c.tugboat.automatedCanary?.steps),
    ).toEqual([
      [
        { setWeight: 0 },
        { pause: {} },
        { setWeight: 25 },
        { pause: { duration: '90s' } },
        { analysis: { templates: [{ templateName: 'nodeService' }] } },
        { setWeight: 100 },
      ],
      undefined,
    ]);
    expect(result.ok && result.value.components[0].environments).toEqual([
      'staging',
      'production',
    ]);
  });

  it('reports every problem of a file, sorted by position', () => {
    const text = `version: 3
components:
- componentId: Api
  tugboat:
    backends:
    - backend: helm
`;
    const result = parseDeploymentInfo({
      path: 'svc/deployment-info.yaml',
      text,
    });
    expect(
      result.ok
        ? []
        : result.problems.map(p => [p.file, p.line, p.column, p.path]),
    ).toEqual([
      ['svc/deployment-info.yaml', 1, 10, 'version'],
      ['svc/deployment-info.yaml', 3, 16, 'components[0].componentId'],
      [
        'svc/deployment-info.yaml',
        6,
        16,
        'components[0].tugboat.backends[0].backend',
      ],
    ]);
  });
});

describe('parseManifests', () => {
  it('reads the seed kubernetes/ folder, ordered by file then document', () => {
    const result = parseManifests([...exampleSources().manifests].reverse());
    expect(
      result.ok &&
        result.value.map(o => [
          o.file,
          o.index,
          o.object.kind,
          o.object.metadata.name,
        ]),
    ).toEqual([
      ['kubernetes/deployment.yaml', 0, 'Deployment', 'example-app'],
      ['kubernetes/example-app-db.yaml', 0, 'SQLInstance', 'example-app-db'],
      [
        'kubernetes/iam-users.yaml',
        0,
        'IAMPartialPolicy',
        'example-app-db.iam-user-auth',
      ],
      ['kubernetes/service.yaml', 0, 'Service', 'example-app'],
    ]);
  });

  it('skips empty documents', () => {
    const text = `---
# nothing yet
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
---
`;
    const result = parseManifests([{ path: 'kubernetes/config.yaml', text }]);
    expect(
      result.ok && result.value.map(o => [o.index, o.object.metadata.name]),
    ).toEqual([[1, 'settings']]);
  });

  it('reports problems of every file at once', () => {
    const result = parseManifests([
      {
        path: 'kubernetes/a.yaml',
        text: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n',
      },
      {
        path: 'kubernetes/b.yaml',
        text: 'kind: ConfigMap\nmetadata:\n  name: b\n',
      },
    ]);
    expect(
      result.ok
        ? []
        : result.problems.map(p => `${p.file}:${p.line}:${p.column}`),
    ).toEqual(['kubernetes/a.yaml:2:7', 'kubernetes/b.yaml:1:1']);
  });
});
