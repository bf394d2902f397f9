import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { PipelineExecutor } from './executor';
import type { StepAction } from './stepActions';

/**
 * Adds executors to the pipelines backend; `pipelines.executor` picks the
 * one that runs (`local` when unset).
 *
 * @public
 */
export interface PipelinesExecutorsExtensionPoint {
  addExecutor(executor: PipelineExecutor): void;
}

/** @public */
export const pipelinesExecutorsExtensionPoint =
  createExtensionPoint<PipelinesExecutorsExtensionPoint>({
    id: 'pipelines.executors',
  });

/**
 * Adds in-process step actions (see {@link StepAction}); an action added
 * here takes precedence over the local action registry's entry for the same
 * image.
 *
 * @public
 */
export interface PipelinesStepActionsExtensionPoint {
  addStepAction(...actions: StepAction[]): void;
}

/** @public */
export const pipelinesStepActionsExtensionPoint =
  createExtensionPoint<PipelinesStepActionsExtensionPoint>({
    id: 'pipelines.stepActions',
  });
