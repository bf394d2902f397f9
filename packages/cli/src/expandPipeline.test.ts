import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { parse, parseAllDocuments } from 'yaml';
import { filesToText } from '@gitops/descriptors-common';
import {
  expandRepositoryPipeline,
  loadRepository,
} from '@gitops/descriptors-node';
import {
  PIPELINE_FORMATS,
  PipelineFormat,
  pipelineFiles,
} from '@gitops/plugin-pipelines-common';
import { runCli } from './program';
import { capture, tempRepo, exampleApp } from './__testUtils__/cli';

/** example-app's files in a format, as the engine serialises them. */
async function engineFiles(format: PipelineFormat) {
  const result = expandRepositoryPipeline(await loadRepository(exampleApp));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return pipelineFiles(result.value, format, { component: 'example-app' });
}

const catalogInfo = [
  'apiVersion: backstage.io/v1alpha1',
  'kind: Component',
  'metadata:',
  '  name: artist-api',
  'spec:',
  '  type: service',
  '  owner: team-a',
  '',
].join('\n');

describe('gitops expand-pipeline', () => {
  it('expands example-app, with a migration for the database in kubernetes/', async () => {
    const { out, io } = capture();
    expect(await runCli(['expand-pipeline', exampleApp], io)).toBe(0);
    const pipeline = parse(out.stdout);
    expect(pipeline.pipelines.map((p: any) => p.pipeline)).toEqual([
      'Review build',
      'Master build',
    ]);
    expect(pipeline.pipelines[1].stages.map((s: any) => s.stage)).toEqual([
      'Build',
      'Database migration',
      'Deployment - production',
    ]);
    expect(pipeline.pipelines[1].stages[1].tasks[0].steps[0].args).toContain(
      '--instance=example-app-db',
    );
  });

  it('prints one GitHub Actions workflow per pipeline, in path order', async () => {
    const { out, io } = capture();
    expect(
      await runCli(
        ['expand-pipeline', exampleApp, '--format', 'github-actions'],
        io,
      ),
    ).toBe(0);
    const docs = parseAllDocuments(out.stdout).map(d => d.toJS());
    expect(docs.map(d => d.name)).toEqual([
      'example-app: Master build',
      'example-app: Review build',
    ]);
    expect(out.stdout).toMatch(/^# \.github\/workflows\/master-build\.yaml\n/);
  });

  it('prints Argo Workflows in the component namespace', async () => {
    const { out, io } = capture();
    expect(
      await runCli(
        ['expand-pipeline', exampleApp, '--format', 'argo-workflows'],
        io,
      ),
    ).toBe(0);
    const docs = parseAllDocuments(out.stdout).map(d => d.toJS());
    expect(docs.map(d => [d.kind, d.metadata.namespace])).toEqual([
      ['Workflow', 'example-app'],
      ['Workflow', 'example-app'],
    ]);
  });

  it.each(PIPELINE_FORMATS)(
    'writes the %s files of pipelineFiles under --out, byte for byte',
    async format => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-cli-out-'));
      const { out, io } = capture();
      expect(
        await runCli(
          ['expand-pipeline', exampleApp, '--format', format, '--out', dir],
          io,
        ),
      ).toBe(0);
      const expected = await engineFiles(format);
      expect(out.stdout).toBe(
        expected.map(f => `${path.join(dir, f.path)}\n`).join(''),
      );
      for (const file of expected) {
        expect(fs.readFileSync(path.join(dir, file.path), 'utf8')).toBe(
          file.content,
        );
      }
    },
  );

  it('prints the same files when there is no --out', async () => {
    const { out, io } = capture();
    expect(
      await runCli(
        ['expand-pipeline', exampleApp, '--format', 'argo-workflows'],
        io,
      ),
    ).toBe(0);
    expect(out.stdout).toBe(filesToText(await engineFiles('argo-workflows')));
  });

  it('exits 1 with the position of a bad template option', async () => {
    const dir = tempRepo({
      'catalog-info.yaml': catalogInfo,
      'build-info.yaml':
        'version: 2\ntemplate:\n  type: javaBackend\n  javaBackend:\n    javaVersion: 9\n',
    });
    const { out, io } = capture();
    expect(await runCli(['expand-pipeline', dir], io)).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain(
      `${path.join(
        dir,
        'build-info.yaml',
      )}:5:18: must be one of 11, 17, 21, 25`,
    );
  });

  it('exits 1 when there is no build-info.yaml', async () => {
    const dir = tempRepo({ 'catalog-info.yaml': catalogInfo });
    const { out, io } = capture();
    expect(await runCli(['expand-pipeline', dir], io)).toBe(1);
    expect(out.stderr).toMatch(/build-info\.yaml:1:1: missing/);
  });

  describe('with --catalog-url', () => {
    let server: http.Server;
    let url: string;
    const seen: string[] = [];

    beforeAll(async () => {
      // An in-process stand-in for the catalog's REST API (documented
      // routes: entities/by-name and entities/by-refs).
      server = http.createServer((req, res) => {
        seen.push(
          `${req.method} ${req.url} ${req.headers.authorization ?? ''}`,
        );
        res.setHeader('Content-Type', 'application/json');
        if (
          req.url ===
          '/api/catalog/entities/by-name/component/default/artist-api'
        ) {
          res.end(
            JSON.stringify({
              kind: 'Component',
              metadata: {
                name: 'artist-api',
                annotations: { 'spotify.com/service-tier': '1' },
              },
              spec: { type: 'service', owner: 'group:default/team-b' },
              relations: [
                { type: 'dependsOn', targetRef: 'resource:default/artist-db' },
              ],
            }),
          );
        } else if (
          req.url === '/api/catalog/entities/by-refs' &&
          req.method === 'POST'
        ) {
          res.end(
            JSON.stringify({
              items: [
                {
                  kind: 'Resource',
                  metadata: {
                    name: 'artist-db',
                    annotations: { 'gitops.io/database-engine': 'POSTGRES_16' },
                  },
                  spec: { type: 'database' },
                },
              ],
            }),
          );
        } else {
          res.statusCode = 404;
          res.end('{}');
        }
      });
      await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise(r => server.close(r)));

    it('takes the database dependency from the catalog, not the repository', async () => {
      const dir = tempRepo({
        'catalog-info.yaml': catalogInfo,
        'build-info.yaml': 'version: 2\ntemplate:\n  type: nodeService\n',
      });
      const offline = capture();
      expect(await runCli(['expand-pipeline', dir], offline.io)).toBe(0);
      expect(offline.out.stdout).not.toContain('Database migration');

      const online = capture();
      expect(
        await runCli(
          ['expand-pipeline', dir, '--catalog-url', url, '--token', 't0k'],
          online.io,
        ),
      ).toBe(0);
      const master = parse(online.out.stdout).pipelines[1];
      expect(
        master.stages[master.stages.length - 2].tasks[0].steps[0].args,
      ).toEqual([
        'migrate',
        '--instance=artist-db',
        '--engine=POSTGRES_16',
        '--migrations=db/migrations',
      ]);
      expect(seen).toContain(
        'GET /api/catalog/entities/by-name/component/default/artist-api Bearer t0k',
      );
    });

    it('fails clearly when the catalog does not know the component', async () => {
      const dir = tempRepo({
        'catalog-info.yaml': catalogInfo.replace('artist-api', 'unknown-app'),
        'build-info.yaml': 'version: 2\ntemplate:\n  type: nodeService\n',
      });
      const { out, io } = capture();
      expect(
        await runCli(['expand-pipeline', dir, '--catalog-url', url], io),
      ).toBe(1);
      expect(out.stderr).toContain(
        'answered 404 for component:default/unknown-app',
      );
    });
  });
});
