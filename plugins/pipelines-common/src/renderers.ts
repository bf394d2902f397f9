import { Pipeline, PipelineDefinition, Step } from './model';
import { REVIEW_REF } from './templates';

/** Turns a name into an id: lower-case letters, digits and dashes. */
function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'x'
  );
}

/** Makes ids unique in order of appearance: a, a-2, a-3. */
function uniqueIds(names: string[], maxLength = 63): string[] {
  const seen = new Map<string, number>();
  return names.map(name => {
    const base = slug(name)
      .slice(0, maxLength - 4)
      .replace(/-+$/, '');
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  });
}

/** Pull-request pipelines are those on the review ref or any `pr/` pattern. */
function isPullRequestRef(ref: string): boolean {
  return ref === REVIEW_REF || ref.startsWith('pr/');
}

/** Quotes one argument for GitHub's docker-action `args` string. */
function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : JSON.stringify(arg);
}

/**
 * A GitHub Actions workflow file, as plain data.
 *
 * @public
 */
export interface GithubWorkflowFile {
  /** Path inside the repository, e.g. `.github/workflows/review-build.yaml`. */
  path: string;
  workflow: Record<string, unknown>;
}

/**
 * Renders each pipeline as a GitHub Actions workflow: the review pipeline on
 * pull requests, the others on pushes to their ref. Each task becomes a job
 * that needs every job of the previous stage (tasks of a stage run in
 * parallel); each step runs its action image as a `docker://` step. The
 * executor's variables are provided as job environment.
 *
 * @public
 */
export function renderGithubActions(
  pipeline: Pipeline,
  component: string,
): GithubWorkflowFile[] {
  const files = uniqueIds(pipeline.pipelines.map(p => p.pipeline));
  return pipeline.pipelines.map((p, i) => ({
    path: `.github/workflows/${files[i]}.yaml`,
    workflow: githubWorkflow(p, component),
  }));
}

function githubWorkflow(p: PipelineDefinition, component: string) {
  const on = isPullRequestRef(p.ref)
    ? { pull_request: {} }
    : { push: { branches: [p.ref] } };
  const jobs: Record<string, unknown> = {};
  const jobIds = uniqueIds(
    p.stages.flatMap(s => s.tasks.map(t => `${s.stage} ${t.task}`)),
  );
  let next = 0;
  let previous: string[] = [];
  for (const stage of p.stages) {
    const current: string[] = [];
    for (const task of stage.tasks) {
      const id = jobIds[next++];
      current.push(id);
      jobs[id] = {
        name: `${stage.stage} / ${task.task}`,
        'runs-on': 'ubuntu-latest',
        ...(previous.length ? { needs: previous } : {}),
        env: {
          COMMIT_SHA: '${{ github.sha }}',
          BRANCH: '${{ github.ref_name }}',
          BUILD_ID: '${{ github.run_id }}',
          COMPONENT: component,
        },
        steps: [{ uses: 'actions/checkout@v4' }, ...task.steps.map(githubStep)],
      };
    }
    previous = current;
  }
  return {
    name: `${component}: ${p.pipeline}`,
    on,
    permissions: { contents: 'read' },
    jobs,
  };
}

function githubStep(step: Step) {
  const withArgs: Record<string, string> = {};
  if (step.args?.length) withArgs.args = step.args.map(quoteArg).join(' ');
  if (step.entrypoint) withArgs.entrypoint = step.entrypoint;
  return {
    uses: `docker://${step.action}`,
    ...(Object.keys(withArgs).length ? { with: withArgs } : {}),
    ...(step.env ? { env: step.env } : {}),
  };
}

/**
 * Renders each pipeline as an Argo Workflows `Workflow` of DAG templates:
 * each task depends on every task of the previous stage (so the tasks of a
 * stage run in parallel and stages in order), and each task is a DAG of its
 * steps in order, containers sharing a workspace volume. The commit and ref
 * are workflow parameters.
 *
 * @public
 */
export function renderArgoWorkflows(
  pipeline: Pipeline,
  component: string,
  options: { namespace?: string; workspaceSize?: string } = {},
): Record<string, unknown>[] {
  const names = uniqueIds(
    pipeline.pipelines.map(p => p.pipeline),
    40,
  );
  return pipeline.pipelines.map((p, i) => {
    const templates: Record<string, unknown>[] = [];
    const taskNames = uniqueIds(
      p.stages.flatMap(s => s.tasks.map(t => `${s.stage} ${t.task}`)),
    );
    let next = 0;
    let previous: string[] = [];
    const pipelineTasks = p.stages.flatMap(stage => {
      const current = stage.tasks.map(task => {
        const name = taskNames[next++];
        // A task is a DAG of its steps, each depending on the one before.
        templates.push({
          name,
          dag: {
            tasks: task.steps.map((_, k) => ({
              name: `step-${k + 1}`,
              template: `${name}-${k + 1}`,
              ...(k > 0 ? { dependencies: [`step-${k}`] } : {}),
            })),
          },
        });
        task.steps.forEach((step, k) => {
          templates.push({
            name: `${name}-${k + 1}`,
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
    return {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: {
        generateName: `${component}-${names[i]}-`.slice(0, 57),
        ...(options.namespace ? { namespace: options.namespace } : {}),
        labels: {
          'backstage.io/kubernetes-id': component,
          'gitops.io/pipeline': names[i],
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
