import { toBoundedDnsLabel, toDnsLabel } from '@gitops/descriptors-common';
import { Pipeline, Step } from './model';
import {
  isPullRequestRef,
  pipelineIds,
  RenderedWorkflow,
  UniqueIds,
} from './rendering';

/**
 * Options of {@link renderArgoWorkflows}.
 *
 * @public
 */
export interface ArgoWorkflowsOptions {
  /**
   * Namespace of the Workflows.
   * @defaultValue the component's name as a DNS label (`toDnsLabel`)
   */
  readonly namespace?: string;
  /**
   * Size of the workspace volume the steps of a task share.
   * @defaultValue `2Gi`
   */
  readonly workspaceSize?: string;
}

/**
 * A `generateName` prefix is at most 57 characters plus its `-`: Kubernetes
 * adds 5 random characters, and the name is a DNS label (63).
 */
const GENERATE_NAME_MAX_LENGTH = 57;

/**
 * Renders each pipeline as an Argo Workflows `Workflow` of DAG templates,
 * `argo/<pipeline id>.yaml`: each task depends on every task of the previous
 * stage (so the tasks of a stage run in parallel and stages in order), and
 * each task is a DAG of its steps in order, containers sharing a workspace
 * volume. The commit and ref are workflow parameters.
 *
 * @public
 */
export function renderArgoWorkflows(
  pipeline: Pipeline,
  component: string,
  options: ArgoWorkflowsOptions = {},
): RenderedWorkflow[] {
  const ids = pipelineIds(pipeline);
  const namespace = options.namespace ?? toDnsLabel(component);
  return pipeline.pipelines.map((p, i) => {
    // One pool for every template name of the Workflow, `pipeline` first.
    const names = new UniqueIds({ reserved: ['pipeline'] });
    const tasks = p.stages.map(stage =>
      stage.tasks.map(task => ({
        task,
        name: names.next(stage.stage, task.task),
      })),
    );
    const templates: Record<string, unknown>[] = [];
    let previous: string[] = [];
    const pipelineTasks = tasks.flatMap(stage => {
      const current = stage.map(({ task, name }) => {
        const stepTemplates = task.steps.map((_, k) =>
          names.next(name, String(k + 1)),
        );
        // A task is a DAG of its steps, each depending on the one before.
        templates.push({
          name,
          dag: {
            tasks: stepTemplates.map((template, k) => ({
              name: `step-${k + 1}`,
              template,
              ...(k > 0 ? { dependencies: [`step-${k}`] } : {}),
            })),
          },
        });
        task.steps.forEach((step, k) => {
          templates.push({
            name: stepTemplates[k],
            container: argoContainer(step, component),
          });
        });
        return {
          name,
          template: name,
          ...(previous.length ? { dependencies: [...previous] } : {}),
        };
      });
      previous = current.map(t => t.name);
      return current;
    });
    const workflow = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: {
        generateName: `${toBoundedDnsLabel(
          GENERATE_NAME_MAX_LENGTH,
          component,
          ids[i],
        )}-`,
        namespace,
        labels: {
          'backstage.io/kubernetes-id': component,
          'gitops.io/pipeline': ids[i],
        },
        annotations: {
          'gitops.io/pipeline-name': p.pipeline,
          'gitops.io/ref': p.ref,
        },
      },
      spec: {
        entrypoint: 'pipeline',
        arguments: {
          parameters: [
            { name: 'commit-sha' },
            { name: 'branch', value: isPullRequestRef(p.ref) ? '' : p.ref },
            { name: 'build-id', value: '{{workflow.uid}}' },
          ],
        },
        volumeClaimTemplates: [
          {
            apiVersion: 'v1',
            kind: 'PersistentVolumeClaim',
            metadata: { name: 'workspace' },
            spec: {
              accessModes: ['ReadWriteOnce'],
              resources: {
                requests: { storage: options.workspaceSize ?? '2Gi' },
              },
            },
          },
        ],
        templates: [
          { name: 'pipeline', dag: { tasks: pipelineTasks } },
          ...templates,
        ],
      },
    };
    return { path: `argo/${ids[i]}.yaml`, workflow };
  });
}

function argoContainer(step: Step, component: string) {
  const env = [
    { name: 'COMMIT_SHA', value: '{{workflow.parameters.commit-sha}}' },
    { name: 'BRANCH', value: '{{workflow.parameters.branch}}' },
    { name: 'BUILD_ID', value: '{{workflow.parameters.build-id}}' },
    { name: 'COMPONENT', value: component },
    ...Object.entries(step.env ?? {}).map(([name, value]) => ({ name, value })),
  ];
  return {
    name: 'main',
    image: step.action,
    ...(step.entrypoint ? { command: [step.entrypoint] } : {}),
    ...(step.args?.length ? { args: [...step.args] } : {}),
    env,
    workingDir: '/workspace',
    volumeMounts: [{ name: 'workspace', mountPath: '/workspace' }],
  };
}
