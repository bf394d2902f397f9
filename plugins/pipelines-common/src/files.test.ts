import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { renderArgoWorkflows } from './argoWorkflows';
import { PIPELINE_FILE, PIPELINE_FORMATS, pipelineFiles } from './files';
import { renderGithubActions } from './githubActions';
import {
  everyTemplate,
  expandText,
  seedPipeline,
} from './__testUtils__/pipelines';

const component = 'example-app';

describe('pipelineFiles', () => {
  it.each(everyTemplate())(
    'serialises %s in every format so each file reads back as the data rendered',
    (_, pipeline) => {
      expect(
        pipelineFiles(pipeline, 'tingle', { component }).map(f => [
          f.path,
          parse(f.content),
        ]),
      ).toEqual([[PIPELINE_FILE, pipeline]]);

      const github = renderGithubActions(pipeline, component);
      expect(
        pipelineFiles(pipeline, 'github-actions', { component }).map(f => [
          f.path,
          parse(f.content),
        ]),
      ).toEqual(
        github
          .map(w => [w.path, w.workflow])
          .sort(([a], [b]) => (a < b ? -1 : 1)),
      );

      const argo = renderArgoWorkflows(pipeline, component, {
        namespace: 'ci',
      });
      expect(
        pipelineFiles(pipeline, 'argo-workflows', {
          component,
          namespace: 'ci',
        }).map(f => [f.path, parse(f.content)]),
      ).toEqual(
        argo
          .map(w => [w.path, w.workflow])
          .sort(([a], [b]) => (a < b ? -1 : 1)),
      );
    },
  );

  it("writes the seed's pipeline as the slide shows it, under a generated-file comment", () => {
    const [file] = pipelineFiles(seedPipeline(), 'tingle', { component });
    const slide = fs.readFileSync(
      path.join(__dirname, '__fixtures__/seed/expanded-pipeline.yaml'),
      'utf8',
    );
    expect(parse(file.content)).toEqual(parse(slide));
    expect(file.content).toMatch(
      /^# Generated from build-info\.yaml by @gitops\/plugin-pipelines-common; do not edit\.\nversion: "2"\nuseBuildIdentity: true\npipelines:\n/,
    );
  });

  it('keeps strings that look like other types strings, and commands on one line', () => {
    const pipeline = expandText(
      [
        'version: 2',
        'pipelines:',
        '- pipeline: "1.0"',
        '  ref: master',
        '  stages:',
        '  - stage: "true"',
        '    tasks:',
        '    - task: "null"',
        '      steps:',
        '      - action: alpine:3',
        `        args: ["0o17", "yes", "${'x '.repeat(100)}end"]`,
        '        env: { ON: "off", B_X: "1", BA: "2" }',
        '',
      ].join('\n'),
    );
    for (const format of PIPELINE_FORMATS) {
      for (const file of pipelineFiles(pipeline, format, { component })) {
        expect(file.content).toContain(`${'x '.repeat(100)}end`);
      }
    }
    const [file] = pipelineFiles(pipeline, 'tingle', { component });
    const step = parse(file.content).pipelines[0].stages[0].tasks[0].steps[0];
    expect(step.args).toEqual(['0o17', 'yes', `${'x '.repeat(100)}end`]);
    // Code-point order, the same on every machine (`localeCompare` would
    // put B_X first).
    expect(Object.keys(step.env)).toEqual(['BA', 'B_X', 'ON']);
    expect(step.env.ON).toBe('off');
  });

  it('gives the same bytes every time', () => {
    for (const format of PIPELINE_FORMATS) {
      expect(pipelineFiles(seedPipeline(), format, { component })).toEqual(
        pipelineFiles(seedPipeline(), format, { component }),
      );
    }
  });
});
