import { parse } from 'yaml';
import { validateWorkflow } from '@action-validator/core';
import { toYaml } from '@gitops/descriptors-common';
import { pipelineFiles } from './files';
import { renderGithubActions } from './githubActions';
import {
  everyTemplate,
  pipelineOf,
  seedPipeline,
} from './__testUtils__/pipelines';

describe('renderGithubActions', () => {
  it.each(everyTemplate())(
    'writes %s as workflow files that pass the upstream workflow schema',
    (_, pipeline) => {
      const files = pipelineFiles(pipeline, 'github-actions', {
        component: 'example-app',
      });
      expect(files.map(f => f.path)).toEqual([
        '.github/workflows/master-build.yaml',
        '.github/workflows/review-build.yaml',
      ]);
      for (const file of files) {
        expect(validateWorkflow(file.content).errors).toEqual([]);
      }
    },
  );

  it('maps the seed pipelines onto pull requests and pushes, stages onto needs', () => {
    const [review, master] = renderGithubActions(seedPipeline(), 'example-app');
    expect(review.workflow.on).toEqual({ pull_request: {} });
    expect(master.workflow.on).toEqual({ push: { branches: ['master'] } });
    const jobs = master.workflow.jobs as Record<string, any>;
    expect(Object.keys(jobs)).toEqual([
      'build-maven',
      'deployment-production-deploy',
    ]);
    expect(jobs['deployment-production-deploy'].needs).toEqual(['build-maven']);
    expect(jobs['build-maven'].steps[1]).toEqual({
      uses: 'docker://action-containers/mvn-java17:latest',
      with: { args: 'clean deploy' },
    });
    // The deploy step keeps its shell and gets the commit from the job env.
    expect(jobs['deployment-production-deploy'].steps[1].with).toEqual({
      args: '"deploy example-app --entity-id=example-app --path=. --git-commit=$COMMIT_SHA"',
      entrypoint: '/bin/bash',
    });
    expect(jobs['deployment-production-deploy'].env.COMMIT_SHA).toBe(
      '${{ github.sha }}',
    );
  });

  it('derives job ids GitHub accepts from any stage and task names', () => {
    const long = 'Integration tests against every supported database engine';
    const pipeline = pipelineOf([
      ['1st stage', ['Build']],
      ['Build', ['maven', 'Maven']],
      ['Tests', ['Ünit', '🧪']],
      [long, [long]],
    ]);
    const [file] = pipelineFiles(pipeline, 'github-actions', {
      component: 'x',
    });
    expect(validateWorkflow(file.content).errors).toEqual([]);
    const ids = Object.keys(parse(file.content).jobs);
    expect(ids.slice(0, 5)).toEqual([
      'job-1st-stage-build',
      'build-maven',
      'build-maven-2',
      'tests-unit',
      'tests',
    ]);
    // Too long: cut, with a hash of the whole name so ids stay distinct.
    expect(ids[5]).toMatch(
      /^integration-tests-against-[a-z0-9-]+-[0-9a-f]{8}$/,
    );
    expect(ids[5].length).toBeLessThanOrEqual(63);
  });

  it('is checked for real: the validator rejects a broken workflow', () => {
    const [review] = renderGithubActions(seedPipeline(), 'example-app');
    const broken = {
      ...review.workflow,
      jobs: { 'build-maven': { steps: 'nope' } },
    };
    expect(validateWorkflow(toYaml(broken)).errors.length).toBeGreaterThan(0);
  });
});
