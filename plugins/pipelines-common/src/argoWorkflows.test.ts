import { parse } from 'yaml';
import { Workflow } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/Workflow';
import { DNS_LABEL } from '@gitops/descriptors-common';
import { renderArgoWorkflows } from './argoWorkflows';
import { pipelineFiles } from './files';
import {
  everyTemplate,
  expandText,
  pipelineOf,
  seedPipeline,
} from './__testUtils__/pipelines';

describe('renderArgoWorkflows', () => {
  it.each(everyTemplate())(
    'writes %s as Workflow files that pass the Argo schema',
    (_, pipeline) => {
      const files = pipelineFiles(pipeline, 'argo-workflows', {
        component: 'example-app',
        namespace: 'ci',
      });
      expect(files.map(f => f.path)).toEqual([
        'argo/master-build.yaml',
        'argo/review-build.yaml',
      ]);
      for (const file of files) {
        const workflow = parse(file.content);
        expect(workflow.metadata.namespace).toBe('ci');
        expect(() => new Workflow(workflow).validate()).not.toThrow();
      }
    },
  );

  it('runs stages in order, tasks in parallel and steps in order', () => {
    const pipeline = expandText(
      'version: 2\ntemplate:\n  type: nodeService\n  nodeService: { parallelize: true }\n',
    );
    const [review] = renderArgoWorkflows(pipeline, 'svc');
    const templates = (review.workflow.spec as any).templates;
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
    const [, master] = renderArgoWorkflows(seedPipeline(), 'example-app');
    const deploy = (master.workflow.spec as any).templates.find(
      (t: any) => t.name === 'deployment-production-deploy-1',
    ).container;
    expect(deploy.command).toEqual(['/bin/bash']);
    expect(deploy.env).toContainEqual({
      name: 'COMMIT_SHA',
      value: '{{workflow.parameters.commit-sha}}',
    });
  });

  it("names Workflows after the component and the pipeline, in the component's namespace", () => {
    const [review] = renderArgoWorkflows(seedPipeline(), 'example-app');
    expect(review.workflow.metadata).toMatchObject({
      generateName: 'example-app-review-build-',
      namespace: 'example-app',
      labels: {
        'backstage.io/kubernetes-id': 'example-app',
        'gitops.io/pipeline': 'review-build',
      },
    });
    const [own] = renderArgoWorkflows(seedPipeline(), 'Example_App');
    expect((own.workflow.metadata as any).namespace).toBe('example-app');
  });

  it('keeps a long generateName a DNS label with room for the random suffix', () => {
    const component =
      'a-component-whose-name-is-as-long-as-kubernetes-allows-x';
    const [review, master] = renderArgoWorkflows(seedPipeline(), component);
    const prefixes = [review, master].map(
      w => (w.workflow.metadata as any).generateName as string,
    );
    for (const prefix of prefixes) {
      expect(prefix.length).toBeLessThanOrEqual(58);
      expect(prefix.endsWith('-')).toBe(true);
      expect(`${prefix}abcde`).toMatch(DNS_LABEL);
    }
    // Cut at the same length, told apart by the hash of the whole name.
    expect(prefixes[0]).not.toBe(prefixes[1]);
  });

  it('gives every template a distinct DNS-label name, whatever the task names', () => {
    const pipeline = pipelineOf([
      ['Pipeline', ['x']],
      ['Build', ['maven', 'Maven', 'maven 1']],
    ]);
    const [file] = pipelineFiles(pipeline, 'argo-workflows', {
      component: 'x',
    });
    const workflow = parse(file.content);
    expect(() => new Workflow(workflow).validate()).not.toThrow();
    const names: string[] = workflow.spec.templates.map((t: any) => t.name);
    expect(names).toEqual([
      'pipeline',
      'pipeline-x',
      'pipeline-x-1',
      'build-maven',
      'build-maven-1-2', // its first step: "maven 1" took build-maven-1
      'build-maven-2',
      'build-maven-2-1',
      'build-maven-1',
      'build-maven-1-1',
    ]);
    for (const name of names) expect(name).toMatch(DNS_LABEL);
  });

  it('is checked for real: the model rejects a broken Workflow', () => {
    const [review] = renderArgoWorkflows(seedPipeline(), 'example-app');
    const broken = {
      ...review.workflow,
      spec: { ...(review.workflow.spec as any), templates: 'x' },
    };
    expect(() => new Workflow(broken as any).validate()).toThrow();
  });
});
