/**
 * The software templates of templates/, run the way the scaffolder runs them:
 * each template is dry-run by the real scaffolder backend (its own
 * fetch:template renders the skeleton, `if:` conditions and parameters are
 * evaluated by its workflow runner, the gitops:* actions run for real), and
 * the repository it produces is checked with the suite's own engines.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import request from 'supertest';
import yaml from 'yaml';
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import {
  createTemplateAction,
  deserializeDirectoryContents,
  scaffolderActionsExtensionPoint,
  serializeDirectoryContents,
} from '@backstage/plugin-scaffolder-node';
import {
  expandRepositoryPipeline,
  generateRepositoryMonitoring,
  loadRepository,
  renderRepositoryDeployment,
  validateDescriptors,
} from '@gitops/descriptors-node';
import { scaffolderModuleGitops } from '../module';

const REPO_ROOT = path.resolve(__dirname, '../../../..');
const TEMPLATES = path.join(REPO_ROOT, 'templates');
const DNS_LABEL = '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$';
const COMMIT = '439ac5d0c1b2a3f4e5d6c7b8a9f0e1d2c3b4a5f6';

type Values = Record<string, unknown>;

const execFileAsync = promisify(execFile);

// The scaffolder's database. Backstage's own database service never closes
// SQLite connections, even on stop(): its pool's timer would keep the Jest
// worker alive. TestDatabases closes this one after the tests.
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** A port nothing listens on, for a server started as a child process. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

interface Case {
  template: string;
  label: string;
  values: Values;
  /** build-info.yaml's template type. */
  buildTemplate: string;
  /** Stage names of the review and master builds. */
  review: string[];
  master: string[];
  /** Whether the repository deploys (deployment-info.yaml + kubernetes/). */
  deploys: boolean;
  /** Files the repository must hold, beside the descriptors. */
  files: string[];
  /** Files it must not hold. */
  absent?: string[];
}

const common = (
  name: string,
  repoUrl = `localhost:7007?owner=team-a&repo=${name}`,
) => ({
  name,
  description: 'Looks up "artists": by id',
  owner: 'group:default/team-a',
  system: 'system:default/metadata-system',
  tier: '4',
  repoUrl,
});

const javaFiles = (pkg: string) => [
  'pom.xml',
  'src/main/proto/greeter.proto',
  `src/main/java/com/example/${pkg}/Application.java`,
  `src/main/java/com/example/${pkg}/GreeterService.java`,
  `src/main/java/com/example/${pkg}/GrpcServer.java`,
  `src/test/java/com/example/${pkg}/GreeterServiceTest.java`,
  'src/main/resources/application.yaml',
  'kubernetes/deployment.yaml',
  'kubernetes/service.yaml',
];

const CASES: Case[] = [
  {
    template: 'spring-boot-grpc-service',
    label: 'with a PostgreSQL database',
    values: {
      ...common('artist-lookup'),
      javaVersion: 21,
      database: true,
      gcpProject: 'music-prod',
    },
    buildTemplate: 'javaBackend',
    review: ['Build'],
    master: ['Build', 'Database migration', 'Deployment - production'],
    deploys: true,
    files: [
      ...javaFiles('artistlookup'),
      'kubernetes/artist-lookup-db.yaml',
      'kubernetes/iam-users.yaml',
      'db/migrations/V1__create_greetings.sql',
    ],
  },
  {
    template: 'spring-boot-grpc-service',
    label: 'without a database',
    values: {
      ...common('7digital-feed'),
      tier: '1',
      javaVersion: 17,
      database: false,
    },
    buildTemplate: 'javaBackend',
    review: ['Build'],
    master: ['Build', 'Deployment - production'],
    deploys: true,
    // A package segment never starts with a digit.
    files: javaFiles('n7digitalfeed'),
    absent: [
      'kubernetes/7digital-feed-db.yaml',
      'kubernetes/iam-users.yaml',
      'db',
    ],
  },
  {
    template: 'node-service',
    label: 'on GitHub',
    values: common('artist-search', 'github.com?owner=acme&repo=artist-search'),
    buildTemplate: 'nodeService',
    review: ['Build'],
    master: ['Build', 'Deployment - production'],
    deploys: true,
    files: [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'src/server.ts',
      'src/metrics.ts',
      'src/index.ts',
      'src/server.test.ts',
      'Dockerfile',
      'kubernetes/deployment.yaml',
      'kubernetes/service.yaml',
    ],
  },
  {
    template: 'nextjs-website',
    label: 'on the local git host',
    values: common('artist-pages'),
    buildTemplate: 'nextjs',
    review: ['Build'],
    master: ['Build', 'Deployment - production'],
    deploys: true,
    files: [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'next.config.mjs',
      'pages/index.tsx',
      'pages/api/healthz.ts',
      'lib/greeting.ts',
      'lib/greeting.test.ts',
      'Dockerfile',
      'kubernetes/deployment.yaml',
      'kubernetes/service.yaml',
    ],
  },
  {
    template: 'documentation',
    label: 'on the local git host',
    values: common('artist-handbook'),
    buildTemplate: 'documentation',
    review: ['Build'],
    master: ['Build'],
    deploys: false,
    files: ['mkdocs.yml', 'docs/index.md', 'docs/writing-docs.md'],
    absent: ['kubernetes'],
  },
  {
    template: 'static-web-app',
    label: 'on the local git host',
    values: common('artist-finder'),
    buildTemplate: 'staticWebApp',
    review: ['Build'],
    master: ['Build', 'Publish'],
    deploys: false,
    files: [
      'package.json',
      'package-lock.json',
      'index.html',
      'vite.config.ts',
      'src/main.tsx',
      'src/App.tsx',
      'src/greeting.test.ts',
    ],
    absent: ['kubernetes'],
  },
];

/** Stand-ins for the publishers, which a dry run skips but must resolve. */
const publisherStandIns = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'publisher-stand-ins',
  register(env) {
    env.registerInit({
      deps: { scaffolder: scaffolderActionsExtensionPoint },
      async init({ scaffolder }) {
        const publisher = (id: string, outputs: string[]) =>
          createTemplateAction({
            id,
            schema: {
              output: Object.fromEntries(
                outputs.map(o => [o, (z: any) => z.string()]),
              ),
            },
            async handler() {
              throw new Error(`${id} must not run in a dry run`);
            },
          });
        scaffolder.addActions(
          publisher('publish:githost', [
            'remoteUrl',
            'repoContentsUrl',
            'catalogInfoUrl',
            'commitHash',
          ]),
          publisher('publish:github', [
            'remoteUrl',
            'repoContentsUrl',
            'commitHash',
          ]),
        );
      },
    });
  },
});

function readTemplate(name: string) {
  return yaml.parse(
    fs.readFileSync(path.join(TEMPLATES, name, 'template.yaml'), 'utf8'),
  );
}

/** Every property of every parameter page, by name. */
function properties(template: any): Record<string, any> {
  return Object.assign(
    {},
    ...[template.spec.parameters].flat().map((page: any) => ({
      ...page.properties,
      ...Object.assign(
        {},
        ...Object.values(page.dependencies ?? {}).flatMap((d: any) =>
          (d.oneOf ?? []).map((o: any) => o.properties),
        ),
      ),
    })),
  );
}

function listFiles(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory()
      ? listFiles(path.join(dir, entry.name), rel)
      : [rel];
  });
}

describe('software templates', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleGitops,
        publisherStandIns,
        mockServices.database.factory({
          knex: await databases.init('SQLITE_3'),
        }),
        // RepoUrlPicker and parseRepoUrl need an integration for each host;
        // the local git host is configured as one (gitea-shaped: owner and
        // repo in the URL).
        mockServices.rootConfig.factory({
          data: {
            integrations: {
              github: [{ host: 'github.com' }],
              gitea: [{ host: 'localhost:7007' }],
            },
          },
        }),
      ],
    });
  }, 60_000);

  const outputDirs: string[] = [];

  afterAll(async () => {
    await backend?.stop();
    for (const dir of outputDirs)
      fs.rmSync(dir, { recursive: true, force: true });
  });

  const runs = new Map<Values, ReturnType<typeof runDry>>();
  /** Each case's dry run, once. */
  const dryRun = (name: string, values: Values) => {
    if (!runs.has(values)) runs.set(values, runDry(name, values));
    return runs.get(values)!;
  };

  /** Dry-runs a template and returns the repository it wrote, on disk. */
  async function runDry(name: string, values: Values) {
    const dir = path.join(TEMPLATES, name);
    const contents = await serializeDirectoryContents(dir);
    const res = await request(backend.server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', mockCredentials.service.header())
      .send({
        template: readTemplate(name),
        values,
        secrets: {},
        directoryContents: contents.map(f => ({
          path: f.path,
          base64Content: f.content.toString('base64'),
        })),
      });
    if (res.status !== 200) {
      throw new Error(
        `dry run of ${name} failed (${res.status}): ${JSON.stringify(
          res.body,
          null,
          2,
        )}`,
      );
    }
    const out = fs.mkdtempSync(path.join(os.tmpdir(), `template-${name}-`));
    outputDirs.push(out);
    await deserializeDirectoryContents(
      out,
      res.body.directoryContents.map((f: any) => ({
        path: f.path,
        executable: f.executable,
        content: Buffer.from(f.base64Content, 'base64'),
      })),
    );
    const log: string[] = res.body.log.map((l: any) => l.body.message);
    return { dir: out, log, output: res.body.output, steps: res.body.steps };
  }

  describe.each(CASES)('$template $label', c => {
    let result: Awaited<ReturnType<typeof dryRun>>;

    beforeAll(async () => {
      result = await dryRun(c.template, c.values);
    }, 60_000);

    it('writes every file with no template syntax left', () => {
      const files = listFiles(result.dir);
      for (const file of [
        'catalog-info.yaml',
        'build-info.yaml',
        'README.md',
        ...c.files,
      ]) {
        expect(files).toContain(file);
      }
      const deployFiles = ['deployment-info.yaml', 'monitoring-info.yaml'];
      for (const file of deployFiles) {
        expect(files.includes(file)).toBe(c.deploys);
      }
      for (const file of c.absent ?? []) {
        expect(
          files.filter(f => f === file || f.startsWith(`${file}/`)),
        ).toEqual([]);
      }
      const leftovers = files.filter(f => {
        const text = fs.readFileSync(path.join(result.dir, f), 'utf8');
        return /\$\{\{|\{%|%\}|\.njk$/.test(text) || /\.njk$|\$\{\{/.test(f);
      });
      expect(leftovers).toEqual([]);
    });

    it('produces descriptors the suite accepts', async () => {
      const repo = await loadRepository(result.dir);
      expect(repo.problems).toEqual([]);
      const validation = validateDescriptors(
        {
          descriptors: repo.files.descriptors,
          manifests: repo.files.manifests,
        },
        repo.parsed,
      );
      expect(validation.problems).toEqual([]);
      expect(validation.build?.template?.type).toBe(c.buildTemplate);

      const { component } = repo.context;
      expect(component).toMatchObject({
        name: c.values.name,
        owner: 'team-a',
        system: 'metadata-system',
        tier: Number(c.values.tier),
      });
      const entity = repo.parsed.descriptors.catalog![0].data as any;
      // Backstage requires annotation values to be strings.
      expect(entity.metadata.annotations['spotify.com/service-tier']).toBe(
        c.values.tier,
      );
      expect(entity.metadata.description).toBe(c.values.description);
    });

    it('expands the template pipeline', async () => {
      const repo = await loadRepository(result.dir);
      const expanded = expandRepositoryPipeline(repo);
      if (!expanded.ok) throw new Error(JSON.stringify(expanded.problems));
      const stages = (name: string) =>
        expanded.value.pipelines
          .find(p => p.pipeline === name)!
          .stages.map(s => s.stage);
      expect(stages('Review build')).toEqual(c.review);
      expect(stages('Master build')).toEqual(c.master);

      // The template's output shows the same pipeline.
      const text = result.output.text[0].content as string;
      expect(text).toContain('```yaml\n');
      const shown = yaml.parse(text.split('```yaml\n')[1].split('```')[0]);
      expect(shown).toEqual(JSON.parse(JSON.stringify({ ...expanded.value })));
    });

    it('renders its deployment and monitoring', async () => {
      const repo = await loadRepository(result.dir);
      const objects = renderRepositoryDeployment(repo, {
        commit: COMMIT,
        environment: 'production',
      });
      const monitoring = generateRepositoryMonitoring(repo);
      expect(objects.ok).toBe(c.deploys);
      expect(monitoring.ok).toBe(c.deploys);
      if (!objects.ok || !monitoring.ok) return;
      const kinds = objects.value.map(o => `${o.kind}/${o.metadata.name}`);
      expect(kinds).toEqual(
        expect.arrayContaining([
          `Namespace/${c.values.name}`,
          `Rollout/${c.values.name}`,
        ]),
      );
      // The skeleton declares only the stable Service: the canary Service
      // that deployment-info.yaml names is derived from it.
      const canary = objects.value.find(
        o => o.kind === 'Service' && o.metadata.name.endsWith('-canary'),
      );
      expect(canary?.metadata.annotations).toMatchObject({
        'gitops.io/derived-from': `service/${c.values.name}`,
      });
      expect(monitoring.value.dashboards.length).toBeGreaterThan(0);
    });

    it('publishes to the host the repository picker chose', () => {
      const github = String(c.values.repoUrl).startsWith('github.com?');
      const ran = github ? 'publish:github' : 'publish:githost';
      const skipped = github ? 'publish-githost' : 'publish-github';
      const inputs = result.log.find(l =>
        l.includes(`Running ${ran} in dry-run mode with inputs`),
      );
      expect(inputs).toBeDefined();
      expect(JSON.parse(inputs!.slice(inputs!.indexOf('{')))).toMatchObject({
        repoUrl: c.values.repoUrl,
        defaultBranch: 'master',
        description: c.values.description,
      });
      expect(result.log).toContain(
        `Skipping step ${skipped} because its if condition was false`,
      );
      // GitHub runs the pipeline as workflows; the local host runs build-info.
      const expand = result.log.find(l =>
        l.includes('Running gitops:pipeline:expand in dry-run mode'),
      )!;
      expect(JSON.parse(expand.slice(expand.indexOf('{'))).writeAs).toBe(
        github ? 'github-actions' : 'none',
      );
      expect(result.output.links.map((l: any) => l.title)).toEqual([
        'Repository',
        'Open in catalog',
      ]);
    });
  });

  describe('Spring Boot gRPC service', () => {
    it('follows the form: Java version and database', async () => {
      const [withDb, withoutDb] = CASES.filter(
        c => c.template === 'spring-boot-grpc-service',
      );
      const a = await dryRun(withDb.template, withDb.values);
      const b = await dryRun(withoutDb.template, withoutDb.values);
      const read = (r: { dir: string }, f: string) =>
        fs.readFileSync(path.join(r.dir, f), 'utf8');

      expect(read(a, 'pom.xml')).toContain('<java.version>21</java.version>');
      expect(read(b, 'pom.xml')).toContain('<java.version>17</java.version>');
      expect(read(a, 'pom.xml')).toContain('postgres-socket-factory');
      expect(read(b, 'pom.xml')).not.toContain('postgresql');
      expect(read(a, 'src/main/resources/application.yaml')).toContain(
        'pool-name: artist-lookup-db',
      );
      expect(read(b, 'src/main/resources/application.yaml')).not.toContain(
        'datasource',
      );

      const catalog = (r: { dir: string }) =>
        yaml.parseAllDocuments(read(r, 'catalog-info.yaml'))[0].toJS();
      expect(catalog(a).spec.dependsOn).toEqual(['resource:artist-lookup-db']);
      expect(catalog(b).spec.dependsOn).toBeUndefined();

      const repo = await loadRepository(a.dir);
      expect(repo.context.dependsOn).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            name: 'artist-lookup-db',
            type: 'database',
            engine: 'POSTGRES_16',
          }),
        ]),
      );
      const objects = renderRepositoryDeployment(repo, {
        commit: COMMIT,
        environment: 'production',
      });
      if (!objects.ok) throw new Error(JSON.stringify(objects.problems));
      expect(objects.value.map(o => o.kind)).toEqual(
        expect.arrayContaining(['SQLInstance', 'SQLUser', 'IAMPartialPolicy']),
      );
      const proto = read(a, 'src/main/proto/greeter.proto');
      expect(proto).toContain(
        'option java_package = "com.example.artistlookup.v1";',
      );
      expect(proto).toMatch(
        /rpc SayHello \(HelloRequest\) returns \(HelloReply\);/,
      );
    }, 60_000);
  });

  describe('Node templates', () => {
    const json = (r: { dir: string }, f: string) =>
      JSON.parse(fs.readFileSync(path.join(r.dir, f), 'utf8'));

    it.each(
      CASES.filter(c =>
        ['node-service', 'nextjs-website', 'static-web-app'].includes(
          c.template,
        ),
      ),
    )('$template has the scripts its pipeline runs', async c => {
      const r = await dryRun(c.template, c.values);
      const pkg = json(r, 'package.json');
      expect(pkg.name).toBe(c.values.name);
      // The review build runs npm ci, lint, test and build.
      expect(Object.keys(pkg.scripts)).toEqual(
        expect.arrayContaining(['lint', 'test', 'build']),
      );
      const lock = json(r, 'package-lock.json');
      expect(lock.name).toBe(c.values.name);
      expect(lock.packages[''].devDependencies).toEqual(pkg.devDependencies);
      expect(lock.packages[''].dependencies).toEqual(pkg.dependencies);
      // npm ci refuses a lockfile that leaves out any platform's optional
      // binary (@next/swc-*, @rollup/rollup-*), even one it would not install.
      const missing = Object.entries<any>(lock.packages).flatMap(
        ([at, entry]) =>
          Object.keys(entry.optionalDependencies ?? {})
            .filter(
              dep =>
                !lock.packages[`${at ? `${at}/` : ''}node_modules/${dep}`] &&
                !lock.packages[`node_modules/${dep}`],
            )
            .map(dep => `${at || '(root)'} -> ${dep}`),
      );
      expect(missing).toEqual([]);
    });

    it('keeps the Node service to typescript and @types/node', async () => {
      const c = CASES.find(x => x.template === 'node-service')!;
      const pkg = json(await dryRun(c.template, c.values), 'package.json');
      expect(pkg.dependencies).toBeUndefined();
      expect(Object.keys(pkg.devDependencies).sort()).toEqual([
        '@types/node',
        'typescript',
      ]);
      expect(pkg.scripts).toMatchObject({
        build: 'tsc -p tsconfig.json',
        // JUnit beside the usual output when the build sets JUNIT_REPORT.
        test: 'node --test ${JUNIT_REPORT:+--test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination="$JUNIT_REPORT"} "dist/**/*.test.js"',
      });
    });

    it('gives a Node service whose own build runs: npm ci, test, start', async () => {
      const c = CASES.find(x => x.template === 'node-service')!;
      const r = await dryRun(c.template, c.values);
      // The provisioned Node first on PATH, so npm runs the service's
      // scripts with the Node it asks for (engines: >=22).
      const env = {
        ...process.env,
        PATH: `${path.dirname(process.execPath)}${path.delimiter}${
          process.env.PATH
        }`,
        npm_config_audit: 'false',
        npm_config_fund: 'false',
        npm_config_update_notifier: 'false',
      };
      const npm = (...args: string[]) =>
        execFileAsync('npm', args, {
          cwd: r.dir,
          env,
          maxBuffer: 1 << 24,
        }).catch(error => {
          // The service's own output says what broke.
          throw new Error(
            `npm ${args.join(' ')} failed:\n${error.stdout}\n${error.stderr}`,
          );
        });

      // What the review build's stages run (build-info.yaml: nodeService).
      await npm('ci');
      const test = await npm('test');
      const tap = `${test.stdout}${test.stderr}`;
      expect(Number(/^# pass (\d+)/m.exec(tap)?.[1])).toBeGreaterThan(0);
      expect(/^# fail (\d+)/m.exec(tap)?.[1]).toBe('0');
      expect(fs.existsSync(path.join(r.dir, 'dist/index.js'))).toBe(true);

      // What the Dockerfile runs, answering its Kubernetes probe.
      const port = await freePort();
      const server = spawn(process.execPath, ['dist/index.js'], {
        cwd: r.dir,
        env: { ...env, PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        await new Promise<void>((resolve, reject) => {
          server.stdout.on('data', d => {
            if (String(d).includes(`listening on :${port}`)) resolve();
          });
          server.on('exit', code => reject(new Error(`exited ${code}`)));
        });
        const health = await fetch(`http://127.0.0.1:${port}/healthz`);
        expect(health.status).toBe(200);
        expect(await health.json()).toEqual({ status: 'ok' });
        const greeting = await fetch(
          `http://127.0.0.1:${port}/api/greeting?name=Ada`,
        );
        expect(await greeting.json()).toEqual({ message: 'Hello, Ada!' });
        const metrics = await (
          await fetch(`http://127.0.0.1:${port}/metrics`)
        ).text();
        // The series the canary analysis and the dashboard read.
        expect(metrics).toContain(
          'http_server_requests_seconds_count{method="GET",uri="/api/greeting",status="200"} 1\n',
        );
      } finally {
        const exited = new Promise(resolve => server.once('exit', resolve));
        server.kill('SIGTERM');
        // It stops on SIGTERM (what Kubernetes sends) with status 0.
        expect(await exited).toBe(0);
      }
    }, 300_000);

    it('builds the static app into the folder build-info publishes', async () => {
      const c = CASES.find(x => x.template === 'static-web-app')!;
      const r = await dryRun(c.template, c.values);
      const build = yaml.parse(
        fs.readFileSync(path.join(r.dir, 'build-info.yaml'), 'utf8'),
      );
      expect(build.template.staticWebApp.outputDir).toBe('dist');
      expect(
        fs.readFileSync(path.join(r.dir, 'vite.config.ts'), 'utf8'),
      ).toContain("outDir: 'dist'");
    });
  });

  describe('Documentation', () => {
    it('points TechDocs at the repository', async () => {
      const c = CASES.find(x => x.template === 'documentation')!;
      const r = await dryRun(c.template, c.values);
      const read = (f: string) =>
        yaml.parse(fs.readFileSync(path.join(r.dir, f), 'utf8'));
      expect(
        read('catalog-info.yaml').metadata.annotations[
          'backstage.io/techdocs-ref'
        ],
      ).toBe('dir:.');
      expect(read('mkdocs.yml')).toMatchObject({
        site_name: 'artist-handbook',
        site_description: c.values.description,
        plugins: ['techdocs-core'],
      });
    });
  });

  describe.each([...new Set(CASES.map(c => c.template))])(
    'template.yaml of %s',
    name => {
      const template = readTemplate(name);
      const props = properties(template);

      it('is a v1beta3 Template registered in app-config.yaml', () => {
        expect(template.apiVersion).toBe('scaffolder.backstage.io/v1beta3');
        expect(template.kind).toBe('Template');
        expect(template.metadata.name).toBe(name);
        const config = yaml.parse(
          fs.readFileSync(path.join(REPO_ROOT, 'app-config.yaml'), 'utf8'),
        );
        expect(config.catalog.locations).toContainEqual({
          type: 'file',
          target: `../../templates/${name}/template.yaml`,
          rules: [{ allow: ['Template'] }],
        });
      });

      it('asks for a DNS-label name, checked against the catalog', () => {
        expect(props.name).toMatchObject({
          type: 'string',
          pattern: DNS_LABEL,
          'ui:field': 'ServiceNamePicker',
        });
        expect(props.name['ui:help']).toMatch(/DNS label/);
        const pattern = new RegExp(props.name.pattern);
        for (const ok of ['a', 'artist-lookup', '7digital', 'x'.repeat(63)]) {
          expect(pattern.test(ok)).toBe(true);
        }
        for (const bad of [
          '-a',
          'a-',
          'Artist',
          'a_b',
          'a.b',
          'x'.repeat(64),
        ]) {
          expect(pattern.test(bad)).toBe(false);
        }
      });

      it('asks for owner, system, tier and repository with the pickers', () => {
        expect(props.owner).toMatchObject({
          'ui:field': 'OwnerPicker',
          'ui:options': { catalogFilter: { kind: 'Group' } },
        });
        expect(props.system).toMatchObject({
          'ui:field': 'EntityPicker',
          'ui:options': { catalogFilter: { kind: 'System' } },
        });
        expect(props.tier).toMatchObject({
          enum: ['1', '2', '3', '4'],
          enumNames: [
            '1: Critical',
            '2: High criticality',
            '3: Medium criticality',
            '4: Low criticality',
          ],
        });
        expect(props.repoUrl).toMatchObject({
          'ui:field': 'RepoUrlPicker',
          'ui:options': { allowedHosts: ['localhost:7007', 'github.com'] },
        });
        const required = [template.spec.parameters]
          .flat()
          .flatMap((p: any) => p.required ?? []);
        expect(required).toEqual(
          expect.arrayContaining(['name', 'owner', 'tier', 'repoUrl']),
        );
        expect(required).not.toContain('system');
      });

      it('validates, expands, publishes and registers, in that order', () => {
        const steps = template.spec.steps.map(
          (s: any) => `${s.id} ${s.action}`,
        );
        expect(steps.filter((s: string) => !s.startsWith('fetch-'))).toEqual([
          'fetch fetch:template',
          'validate gitops:descriptors:validate',
          'expand gitops:pipeline:expand',
          'publish-githost publish:githost',
          'publish-github publish:github',
          'register catalog:register',
        ]);
        const step = (id: string) =>
          template.spec.steps.find((s: any) => s.id === id);
        expect(step('publish-githost').if).toBe(
          "${{ (parameters.repoUrl | parseRepoUrl).host !== 'github.com' }}",
        );
        expect(step('publish-github').if).toBe(
          "${{ (parameters.repoUrl | parseRepoUrl).host === 'github.com' }}",
        );
        expect(step('register').input.catalogInfoUrl).toContain(
          "steps['publish-githost'].output.catalogInfoUrl",
        );
        expect(template.spec.output.text[0].content).toContain(
          "${{ steps['expand'].output.pipeline }}",
        );
      });
    },
  );
});
