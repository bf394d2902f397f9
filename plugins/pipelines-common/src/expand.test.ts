import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  CatalogContext,
  formatProblem,
  minimalCatalogContext,
} from '@gitops/descriptors-common';
import { parseBuildInfo } from './buildInfo';
import { expandBuildInfo } from './expand';
import {
  BUILD_TEMPLATES,
  BUILD_TEMPLATE_TYPES,
  MIGRATION_STAGE,
} from './templates';

const fixtures = path.join(__dirname, '__fixtures__/seed');
const exampleApp = minimalCatalogContext('example-app', {
  owner: 'team-a',
  system: 'metadata-system',
  tier: 4,
});

function expandText(text: string, context: CatalogContext = exampleApp) {
  const parsed = parseBuildInfo({ path: 'build-info.yaml', text });
  if (!parsed.ok) {
    throw new Error(parsed.problems.map(formatProblem).join('\n'));
  }
  return expandBuildInfo(parsed, context);
}

function expandOk(text: string, context?: CatalogContext) {
  const r = expandText(text, context);
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.value;
}

const read = (name: string) =>
  fs.readFileSync(path.join(fixtures, name), 'utf8');

describe('expandBuildInfo', () => {
  it("expands the seed's javaBackend build-info into the seed's pipeline", () => {
    const pipeline = expandOk(read('build-info.yaml'));
    expect(pipeline).toEqual(parse(read('expanded-pipeline.yaml')));
    // Key order as on the slide, so the YAML reads the same.
    expect(Object.keys(pipeline)).toEqual([
      'version',
      'useBuildIdentity',
      'pipelines',
    ]);
    expect(
      Object.keys(pipeline.pipelines[1].stages[1].tasks[0].steps[0]),
    ).toEqual(['action', 'args', 'entrypoint']);
  });

  it('expands the example-app repository file the same way', () => {
    const text = fs.readFileSync(
      path.resolve(__dirname, '../../../examples/example-app/build-info.yaml'),
      'utf8',
    );
    expect(expandOk(text)).toEqual(parse(read('expanded-pipeline.yaml')));
  });

  it('javaVersion picks the Maven image and parallelize builds modules in parallel', () => {
    const pipeline = expandOk(read('build-info-options.yaml'));
    const review = pipeline.pipelines[0].stages[0].tasks[0].steps[0];
    const master = pipeline.pipelines[1].stages[0].tasks[0].steps[0];
    expect(review).toEqual({
      action: 'action-containers/mvn-java21:latest',
      args: ['-T', '1C', 'clean', 'verify'],
    });
    expect(master.args).toEqual(['-T', '1C', 'clean', 'deploy']);
  });

  it('parallelize splits lint and test of a Node service into parallel tasks', () => {
    const serial = expandOk('version: 2\ntemplate:\n  type: nodeService\n');
    const parallel = expandOk(
      'version: 2\ntemplate:\n  type: nodeService\n  nodeService:\n    parallelize: true\n',
    );
    expect(
      serial.pipelines[0].stages.map(s => s.tasks.map(t => t.task)),
    ).toEqual([['npm']]);
    expect(parallel.pipelines[0].stages.map(s => s.stage)).toEqual([
      'Check',
      'Build',
    ]);
    expect(parallel.pipelines[0].stages[0].tasks.map(t => t.task)).toEqual([
      'lint',
      'test',
    ]);
  });

  it.each(BUILD_TEMPLATE_TYPES)(
    'template %s expands to a review and a master pipeline',
    type => {
      const pipeline = expandOk(`version: 2\ntemplate:\n  type: ${type}\n`);
      expect(pipeline.pipelines.map(p => [p.pipeline, p.ref])).toEqual([
        ['Review build', 'pr/./merge'],
        ['Master build', 'master'],
      ]);
      expect(BUILD_TEMPLATES[type].description.length).toBeGreaterThan(20);
    },
  );

  it('deploys services but publishes static sites and docs', () => {
    const lastStage = (type: string) =>
      expandOk(
        `version: 2\ntemplate:\n  type: ${type}\n`,
      ).pipelines[1].stages.at(-1)!.stage;
    expect(lastStage('nodeService')).toBe('Deployment - production');
    expect(lastStage('nextjs')).toBe('Deployment - production');
    expect(lastStage('staticWebApp')).toBe('Publish');
    expect(lastStage('documentation')).toBe('Build');
  });

  it('adds a migration step before deploy for each database the component depends on', () => {
    const context: CatalogContext = {
      ...exampleApp,
      dependsOn: [
        { name: 'example-app-db', type: 'database', engine: 'POSTGRES_14' },
        { name: 'example-app-db.iam-user-auth', type: 'iam-policy' },
      ],
    };
    const master = expandOk(read('build-info.yaml'), context).pipelines[1];
    expect(master.stages.map(s => s.stage)).toEqual([
      'Build',
      MIGRATION_STAGE,
      'Deployment - production',
    ]);
    expect(master.stages[1].tasks[0].steps).toEqual([
      {
        action: 'action-containers/db-migrate:latest',
        args: [
          'migrate',
          '--instance=example-app-db',
          '--engine=POSTGRES_14',
          '--migrations=db/migrations',
        ],
      },
    ]);
    // Review builds never migrate.
    expect(
      expandOk(read('build-info.yaml'), context).pipelines[0].stages,
    ).toHaveLength(1);
  });

  it('takes full pipelines instead of a template, in canonical key order', () => {
    const pipeline = expandOk(
      [
        'version: 2',
        'useBuildIdentity: false',
        'pipelines:',
        '- ref: main',
        '  pipeline: Main',
        '  stages:',
        '  - tasks:',
        '    - steps:',
        '      - args: [build]',
        '        action: example/tool:1.0',
        '      task: t',
        '    stage: s',
        '',
      ].join('\n'),
    );
    expect(pipeline).toEqual({
      version: '2',
      useBuildIdentity: false,
      pipelines: [
        {
          pipeline: 'Main',
          ref: 'main',
          stages: [
            {
              stage: 's',
              tasks: [
                {
                  task: 't',
                  steps: [{ action: 'example/tool:1.0', args: ['build'] }],
                },
              ],
            },
          ],
        },
      ],
    });
    expect(Object.keys(pipeline.pipelines[0])).toEqual([
      'pipeline',
      'ref',
      'stages',
    ]);
  });

  it('extends a template with a stage at a named position and a step in a named task', () => {
    const pipeline = expandOk(
      [
        'version: 2',
        'template:',
        '  type: javaBackend',
        'extend:',
        '  stages:',
        '  - after: Build',
        '    pipelines: [Master build]',
        '    stage:',
        '      stage: Integration tests',
        '      tasks:',
        '      - task: it',
        '        steps:',
        '        - action: action-containers/mvn-java17:latest',
        '          args: [failsafe:integration-test]',
        '  steps:',
        '  - stage: Build',
        '    task: maven',
        '    position: start',
        '    step:',
        '      action: action-containers/lint:latest',
        '      args: [--strict]',
        '',
      ].join('\n'),
    );
    const [review, master] = pipeline.pipelines;
    expect(master.stages.map(s => s.stage)).toEqual([
      'Build',
      'Integration tests',
      'Deployment - production',
    ]);
    expect(review.stages.map(s => s.stage)).toEqual(['Build']);
    for (const p of [review, master]) {
      expect(p.stages[0].tasks[0].steps.map(s => s.action)).toEqual([
        'action-containers/lint:latest',
        'action-containers/mvn-java17:latest',
      ]);
    }
  });

  it('reports extensions that point nowhere, at their position', () => {
    const result = expandText(
      [
        'version: 2',
        'template:',
        '  type: javaBackend',
        'extend:',
        '  stages:',
        '  - before: Smoke tests',
        '    stage:',
        '      stage: X',
        '      tasks: [{ task: x, steps: [{ action: a/b:1 }] }]',
        '  steps:',
        '  - stage: Build',
        '    task: gradle',
        '    pipelines: [Nightly build]',
        '    step: { action: a/b:1 }',
        '',
      ].join('\n'),
    );
    expect(result.ok).toBe(false);
    const lines = !result.ok ? result.problems.map(formatProblem) : [];
    expect(lines).toEqual([
      expect.stringMatching(
        /^build-info\.yaml:6:13: pipeline "Review build" has no stage named "Smoke tests"/,
      ),
      expect.stringMatching(
        /^build-info\.yaml:6:13: pipeline "Master build" has no stage named "Smoke tests"/,
      ),
      expect.stringMatching(
        /^build-info\.yaml:13:17: no pipeline named "Nightly build"/,
      ),
    ]);
  });

  it('expands a hand-built value, without a document, like the parsed file', () => {
    const result = expandBuildInfo(
      {
        file: 'build-info.yaml',
        value: {
          version: 2,
          template: { type: 'javaBackend', javaBackend: { javaVersion: 21 } },
        },
      },
      exampleApp,
    );
    expect(result).toEqual({
      ok: true,
      value: expandOk(
        'version: 2\ntemplate:\n  type: javaBackend\n  javaBackend: { javaVersion: 21 }\n',
      ),
    });
  });

  it('is deterministic', () => {
    expect(expandOk(read('build-info-options.yaml'))).toEqual(
      expandOk(read('build-info-options.yaml')),
    );
  });
});
