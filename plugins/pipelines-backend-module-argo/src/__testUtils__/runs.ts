import type {
  ExecutionRequest,
  PlannedStep,
  RunReporter,
  StepOutcome,
} from '@gitops/plugin-pipelines-node';
import type { PipelineDefinition } from '@gitops/plugin-pipelines-common';
import { recorded } from './fakeKubernetes';

/** The plan of a pipeline: step ids `s<stage>-t<task>-<index>`. */
export function planOf(pipeline: PipelineDefinition): PlannedStep[] {
  return pipeline.stages.flatMap((stage, s) =>
    stage.tasks.flatMap((task, t) =>
      task.steps.map((step, index) => ({
        id: `s${s}-t${t}-${index}`,
        stage: s,
        task: t,
        index,
        step,
      })),
    ),
  );
}

/** The request the recorded Workflows were made for (run `run-0001`). */
export function recordedRequest(
  overrides: Partial<ExecutionRequest> = {},
): ExecutionRequest {
  const pipeline: PipelineDefinition = recorded('pipeline.json');
  return {
    runId: 'run-0001',
    entityRef: 'component:default/example-app',
    component: { namespace: 'default', name: 'example-app' },
    source: {
      cloneUrl: 'http://localhost:7007/api/githost/example/example-app.git',
      sha: '0123456789abcdef0123456789abcdef01234567',
      ref: 'master',
    },
    pipeline,
    steps: planOf(pipeline),
    env: {
      COMMIT_SHA: '0123456789abcdef0123456789abcdef01234567',
      BRANCH: 'master',
      BUILD_ID: 'run-0001',
      COMPONENT: 'example-app',
    },
    signal: new AbortController().signal,
    ...overrides,
  };
}

/** Keeps what an executor reports, in order. */
export class RecordingReporter implements RunReporter {
  readonly events: string[] = [];
  readonly logs: Record<string, string> = {};
  readonly outcomes: Record<string, StepOutcome> = {};

  constructor(
    private readonly onStarted: (stepId: string) => void = () => {},
  ) {}

  async stepStarted(stepId: string) {
    this.events.push(`started ${stepId}`);
    this.onStarted(stepId);
  }

  async log(stepId: string, data: Buffer | string) {
    this.logs[stepId] = (this.logs[stepId] ?? '') + data.toString();
  }

  async stepFinished(stepId: string, outcome: StepOutcome) {
    this.events.push(`${outcome.status} ${stepId}`);
    this.outcomes[stepId] = outcome;
  }

  /** Everything reported, as one text (to look for what must not be there). */
  everything(): string {
    return JSON.stringify([this.events, this.logs, this.outcomes]);
  }
}
