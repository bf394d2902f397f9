import type { ExecutionRequest, PlannedStep, StepOutcome } from './executor';

/**
 * A step action provided in-process by a backend plugin, for an action
 * image of the pipelines (the deployments plugin's
 * `action-containers/deploy`, the monitoring plugin's publish step). It runs
 * in the backend with the plugin's own services, not in the build sandbox:
 * it is trusted code, and it reads the workspace but runs nothing from it.
 *
 * @public
 */
export interface StepAction {
  /** The action image without tag, e.g. `action-containers/deploy`. */
  readonly image: string;
  /** One sentence for the CI/CD tab and the logs. */
  readonly description: string;
  run(context: StepActionContext): Promise<StepOutcome>;
}

/** What a step action gets. @public */
export interface StepActionContext {
  run: Omit<ExecutionRequest, 'steps' | 'signal'>;
  step: PlannedStep;
  /** The step's arguments and environment (outputs of earlier steps included). */
  args: string[];
  env: Record<string, string>;
  /** The task's workspace: the checkout at the commit and what earlier steps wrote. */
  workspace: string;
  /** Appends to the step's log. */
  log(text: string): Promise<void>;
  signal: AbortSignal;
}

/**
 * The image name of an action reference, without tag or digest:
 * `action-containers/node22:latest` → `action-containers/node22`.
 *
 * @public
 */
export function actionImageName(action: string): string {
  const at = action.indexOf('@');
  const withoutDigest = at === -1 ? action : action.slice(0, at);
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
}
