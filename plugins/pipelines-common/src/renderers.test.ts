import { stringify } from 'yaml';
import { validateWorkflow } from '@action-validator/core';
import { Workflow } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/Workflow';
import { minimalCatalogContext } from '@gitops/descriptors-common';
import { parseBuildInfo } from './buildInfo';
import { expandBuildInfo } from './expand';
import { Pipeline } from './model';
import { renderArgoWorkflows, renderGithubActions } from './renderers';
import { BUILD_TEMPLATE_TYPES } from './templates';

function expand(text: string): Pipeline {
  const parsed = parseBuildInfo({ path: 'build-info.yaml', text });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const result = expandBuildInfo(
    parsed.value,
    minimalCatalogContext('example-app', { owner: 'team-a' }),
  );
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.pipeline;
}

const seed = () => expand('version: 2\ntemplate:\n  type: javaBackend\n');

describe('renderGithubActions', () => {
  it.each(BUILD_TEMPLATE_TYPES)(
    'renders %s into workflows that pass the upstream workflow schema',
    type => {
      const files = renderGithubActions(
        expand(
          `version: 2\ntemplate:\n  type: ${type}\n  ${type}: ${
            type === 'documentation' ? '{}' : '{ parallelize: true }'
          }\n`,
        ),
        'example-app',
      );
      expect(files.map(f => f.path)).toEqual([
        '.github/workflows/review-build.yaml',
        '.github/workflows/master-build.yaml',
      ]);
      for (const file of files) {
        const state = validateWorkflow(stringify(file.workflow));
        expect(state.errors).toEqual([]);
      }
    },
  );

  it('maps the seed pipelines onto pull requests and pushes, stages onto needs', () => {
    const [review, master] = renderGithubActions(seed(), 'example-app');
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

  it('is checked for real: the validator rejects a broken workflow', () => {
    const [review] = renderGithubActions(seed(), 'example-app');
    const broken = {
      ...review.workflow,
      jobs: { 'build-maven': { steps: 'nope' } },
    };
    expect(validateWorkflow(stringify(broken)).errors.length).toBeGreaterThan(
      0,
    );
  });
});

describe('renderArgoWorkflows', () => {
  it.each(BUILD_TEMPLATE_TYPES)(
    'renders %s into Workflows that pass the Argo schema',
    type => {
      const workflows = renderArgoWorkflows(
        expand(`version: 2\ntemplate:\n  type: ${type}\n`),
        'example-app',
        { namespace: 'ci' },
      );
      expect(workflows).toHaveLength(2);
      for (const w of workflows) {
        expect(() => new Workflow(w as any).validate()).not.toThrow();
      }
    },
  );

  it('runs stages in order, tasks in parallel and steps in order', () => {
    const pipeline = expand(
      'version: 2\ntemplate:\n  type: nodeService\n  nodeService: { parallelize: true }\n',
    );
    const [review] = renderArgoWorkflows(pipeline, 'svc');
    const templates = (review.spec as any).templates;
    expect(templates[0]).toEqual({
      name: 'pipeline',
      dag: {
        tasks: [
          { name: 'check-lint', template: 'check-lint' },
          { name: 'check-test', template: 'check-test' },
          {
            name: 'build-npm',
            template: 'build-npm',
            dependencies: ['check-lint', 'check-test'],
          },
        ],
      },
    });
    const lint = templates.find((t: any) => t.name === 'check-lint');
    expect(lint.dag.tasks).toEqual([
      { name: 'step-1', template: 'check-lint-1' },
      { name: 'step-2', template: 'check-lint-2', dependencies: ['step-1'] },
    ]);
    const first = templates.find(
      (t: any) => t.name === 'check-lint-1',
    ).container;
    expect(first).toMatchObject({
      image: 'action-containers/node22:latest',
      args: ['ci'],
      workingDir: '/workspace',
    });
    expect(first.command).toBeUndefined(); // no shell unless a step asks for one
  });

  it('keeps the seed deploy step on its shell entrypoint', () => {
    const [, master] = renderArgoWorkflows(seed(), 'example-app');
    const deploy = (master.spec as any).templates.find(
      (t: any) => t.name === 'deployment-production-deploy-1',
    ).container;
    expect(deploy.command).toEqual(['/bin/bash']);
    expect(deploy.env).toContainEqual({
      name: 'COMMIT_SHA',
      value: '{{workflow.parameters.commit-sha}}',
    });
  });

  it('is checked for real: the model rejects a broken Workflow', () => {
    const [review] = renderArgoWorkflows(seed(), 'example-app');
    const broken = {
      ...review,
      spec: { ...(review.spec as any), templates: 'x' },
    };
    expect(() => new Workflow(broken as any).validate()).toThrow();
  });
});
