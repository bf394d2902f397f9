import { DNS_LABEL } from '@gitops/descriptors-common';
import type { PipelineDefinition } from '@gitops/plugin-pipelines-common';
import { buildArgoWorkflow, stepTemplateNames, workflowName } from './workflow';
import { recorded } from './__testUtils__/fakeKubernetes';
import { planOf, recordedRequest } from './__testUtils__/runs';

function pipelineOf(stages: [string, string[], number?][]): PipelineDefinition {
  return {
    pipeline: 'Master build',
    ref: 'master',
    stages: stages.map(([stage, tasks, steps = 2]) => ({
      stage,
      tasks: tasks.map(task => ({
        task,
        steps: Array.from({ length: steps }, (_, k) => ({
          action: 'action-containers/node22:latest',
          args: [`${task}-${k}`],
        })),
      })),
    })),
  };
}

describe('stepTemplateNames', () => {
  it('maps each step of the recorded pipeline to its container template', () => {
    const built = buildArgoWorkflow(recordedRequest());
    if (!built.ok) throw new Error(built.problems.join('; '));
    expect(
      stepTemplateNames(built.workflow, recorded('pipeline.json')),
    ).toEqual({
      ok: true,
      names: [
        [['build-maven-1', 'build-maven-2']],
        [['deployment-production-1']],
      ],
    });
    expect(built.steps).toEqual([
      { stepId: 's0-t0-0', template: 'build-maven-1' },
      { stepId: 's0-t0-1', template: 'build-maven-2' },
      { stepId: 's1-t0-0', template: 'deployment-production-1' },
    ]);
    // The recorded status names its Pod nodes with exactly these templates.
    const [, , , , , last] = recorded('succeeded.workflow.json');
    const pods = Object.values(last.status.nodes as Record<string, any>)
      .filter(n => n.type === 'Pod')
      .map(n => n.templateName)
      .sort();
    expect(pods).toEqual([
      'build-maven-1',
      'build-maven-2',
      'deployment-production-1',
    ]);
  });

  it('keeps parallel tasks and tasks with clashing names apart', () => {
    // "Maven" and "maven" make the same DNS label, and stage "Build maven"
    // + task "1" makes the name of the first step of build-maven: the
    // renderer numbers the later ones, in an order only it knows, which is
    // why the mapping is read from the rendered Workflow.
    const pipeline = pipelineOf([
      ['Build', ['maven', 'Maven', 'lint'], 2],
      ['Build maven', ['1'], 1],
    ]);
    const request = recordedRequest({ pipeline, steps: planOf(pipeline) });
    const built = buildArgoWorkflow(request);
    if (!built.ok) throw new Error(built.problems.join('; '));
    expect(built.steps.map(s => `${s.stepId} ${s.template}`)).toEqual([
      's0-t0-0 build-maven-1-2',
      's0-t0-1 build-maven-2-2',
      's0-t1-0 build-maven-2-1',
      's0-t1-1 build-maven-2-2-2',
      's0-t2-0 build-lint-1',
      's0-t2-1 build-lint-2',
      's1-t0-0 build-maven-1-1',
    ]);
    expect(new Set(built.steps.map(s => s.template)).size).toBe(7);
    // Each template runs its own step's arguments.
    const templates = new Map<string, any>(
      built.workflow.spec.templates.map((t: any) => [t.name, t]),
    );
    for (const planned of request.steps) {
      const { template } = built.steps.find(s => s.stepId === planned.id)!;
      expect(templates.get(template).container.args).toEqual(planned.step.args);
    }
  });

  it('names what does not match when the Workflow is not the pipeline', () => {
    const built = buildArgoWorkflow(recordedRequest());
    if (!built.ok) throw new Error('unexpected');
    const other = pipelineOf([['Build', ['maven'], 3]]);
    expect(stepTemplateNames(built.workflow, other)).toEqual({
      ok: false,
      problems: [
        'stage 1 "Build", task 1 "maven" has 3 steps but its template "build-maven" has 2',
        "the pipeline has 1 tasks but the Workflow's entrypoint DAG has 2",
      ],
    });
  });
});

describe('buildArgoWorkflow', () => {
  it('turns the steps kept from an earlier run off with when: "false"', () => {
    const request = recordedRequest();
    request.steps[0] = { ...request.steps[0], reuse: { outputs: {} } };
    const built = buildArgoWorkflow(request);
    if (!built.ok) throw new Error(built.problems.join('; '));
    const task = built.workflow.spec.templates.find(
      (t: any) => t.name === 'build-maven',
    );
    expect(task.dag.tasks).toEqual([
      { name: 'step-1', template: 'build-maven-1', when: 'false' },
      { name: 'step-2', template: 'build-maven-2', dependencies: ['step-1'] },
    ]);
  });

  it('refuses a planned step that is not in the pipeline', () => {
    const request = recordedRequest();
    request.steps.push({ ...request.steps[0], id: 'extra', index: 7 });
    expect(buildArgoWorkflow(request)).toEqual({
      ok: false,
      problems: [
        'step extra (stage 0, task 0, step 7) is not in the pipeline "Master build"',
      ],
    });
  });

  it('refuses refs Argo would evaluate', () => {
    const request = recordedRequest();
    request.source = { ...request.source, ref: 'x{{workflow.name}}' };
    expect(buildArgoWorkflow(request)).toEqual({
      ok: false,
      problems: [
        'the ref must be a branch or ref name such as "master" or "pr/12/merge", got "x{{workflow.name}}"',
      ],
    });
  });
});

describe('workflowName', () => {
  it('is the component, the pipeline and the run', () => {
    expect(workflowName('example-app', 'master-build', 'run-0001')).toBe(
      'example-app-master-build-run-0001',
    );
  });

  it('stays a DNS label that keeps the whole run id when names are long', () => {
    const runId = '0f9c2a64-5b7e-4d1a-9c3e-2f8b6a1d7e40';
    const name = workflowName(
      'a-component-whose-name-is-as-long-as-kubernetes-allows-x',
      'master-build',
      runId,
    );
    expect(name).toMatch(DNS_LABEL);
    expect(name.endsWith(`-${runId}`)).toBe(true);
    expect(
      workflowName(
        'a-component-whose-name-is-as-long-as-kubernetes-allows-y',
        'master-build',
        runId,
      ),
    ).not.toBe(name);
  });
});
