import type {
  RunDetail,
  RunStage,
  RunStep,
  RunTask,
} from '@gitops/plugin-pipelines-common';

/** A step with the stage and task it belongs to. */
export interface LocatedStep {
  stage: RunStage;
  task: RunTask;
  step: RunStep;
}

/** Every step of a run, in stage, task and step order. */
export function allSteps(run: Pick<RunDetail, 'stages'>): LocatedStep[] {
  return run.stages.flatMap(stage =>
    stage.tasks.flatMap(task =>
      task.steps.map(step => ({ stage, task, step })),
    ),
  );
}

/** The step a user wants to see first: the first failed one, if any. */
export function firstFailedStep(
  run: Pick<RunDetail, 'stages'>,
): LocatedStep | undefined {
  const steps = allSteps(run);
  return (
    steps.find(s => s.step.status === 'failed') ??
    steps.find(
      s => s.step.status === 'interrupted' || s.step.status === 'cancelled',
    )
  );
}

/** The step to show when a run page opens: failed, else running, else last started. */
export function defaultStep(
  run: Pick<RunDetail, 'stages'>,
): LocatedStep | undefined {
  const steps = allSteps(run);
  return (
    firstFailedStep(run) ??
    steps.find(s => s.step.status === 'running') ??
    [...steps].reverse().find(s => s.step.startedAt !== undefined) ??
    steps[0]
  );
}

/** How a step is named on the page: its action, with its arguments. */
export function stepLabel(step: RunStep): string {
  const action = step.action.replace(/^action-containers\//, '');
  const args = step.entrypoint ? [step.entrypoint, ...step.args] : step.args;
  return args.length ? `${action} ${args.join(' ')}` : action;
}
