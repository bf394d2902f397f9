import { PipelineDefinition, Pipeline, Step } from './model';
import {
  isPullRequestRef,
  pipelineIds,
  RenderedWorkflow,
  UniqueIds,
} from './rendering';

/** Quotes one argument for GitHub's docker-action `args` string. */
function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : JSON.stringify(arg);
}

/**
 * Renders each pipeline as a GitHub Actions workflow,
 * `.github/workflows/<pipeline id>.yaml`: the review pipeline on pull
 * requests, the others on pushes to their ref. Each task becomes a job that
 * needs every job of the previous stage (tasks of a stage run in parallel);
 * each step runs its action image as a `docker://` step. The executor's
 * variables are provided as job environment. Job ids are DNS labels of
 * stage and task, prefixed with `job-` when they would not start with a
 * letter, as GitHub requires.
 *
 * @public
 */
export function renderGithubActions(
  pipeline: Pipeline,
  component: string,
): RenderedWorkflow[] {
  const ids = pipelineIds(pipeline);
  return pipeline.pipelines.map((p, i) => ({
    path: `.github/workflows/${ids[i]}.yaml`,
    workflow: githubWorkflow(p, component),
  }));
}

function githubWorkflow(p: PipelineDefinition, component: string) {
  const on = isPullRequestRef(p.ref)
    ? { pull_request: {} }
    : { push: { branches: [p.ref] } };
  const jobs: Record<string, unknown> = {};
  const jobIds = new UniqueIds({ prefix: 'job' });
  let previous: string[] = [];
  for (const stage of p.stages) {
    const current: string[] = [];
    for (const task of stage.tasks) {
      const id = jobIds.next(stage.stage, task.task);
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
