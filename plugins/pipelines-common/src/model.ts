import { z } from 'zod';
import { sortedBy } from '@gitops/descriptors-common';

/**
 * The expanded pipeline definition, in Tingle's shape (seed slides,
 * "GitOps: Builds"): pipelines of stages of tasks of steps.
 *
 * Semantics the executors honour: pipelines are chosen by `ref`; stages run
 * one after another; the tasks of a stage run in parallel; the steps of a
 * task run in order in one workspace. A step runs its `action` image with
 * `args` as the argument vector; no shell is involved unless the step sets
 * `entrypoint` to one.
 */

/** Names of stages, tasks and pipelines: short, printable, one line. */
const label = z
  .string()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .regex(/^[^\n\r\t]+$/, 'must be a single line');

/**
 * An action container image reference: `name[:tag][@sha256:digest]`, with
 * nothing a shell or an expression language would interpret.
 *
 * @public
 */
export const actionRefSchema = z
  .string()
  .max(255, 'must be at most 255 characters')
  .regex(
    /^[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/,
    'must be a container image reference such as "action-containers/mvn-java17:latest"',
  );

/**
 * One argument. Kept verbatim as one element of the argument vector. The
 * template syntaxes of the engines we render to (`${{ }}` in GitHub Actions,
 * `{{ }}` in Argo Workflows) are refused: the engine would evaluate them.
 */
const argSchema = z
  .string()
  .max(4096, 'must be at most 4096 characters')
  .refine(a => !a.includes('{{'), {
    message:
      'must not contain "{{": engines would evaluate it as a template expression',
  });

const envName = z
  .string()
  .regex(
    /^[A-Z_][A-Z0-9_]*$/,
    'must be an environment variable name like COMMIT_SHA',
  );

/** @public */
export const stepSchema = z.strictObject({
  action: actionRefSchema,
  args: z.array(argSchema).max(100, 'at most 100 args').optional(),
  entrypoint: z
    .string()
    .regex(/^\/[\w./-]+$/, 'must be an absolute path such as /bin/bash')
    .optional(),
  env: z.record(envName, argSchema).optional(),
});

/** @public */
export const taskSchema = z.strictObject({
  task: label,
  steps: z.array(stepSchema).min(1, 'a task needs at least one step').max(50),
});

/** @public */
export const stageSchema = z.strictObject({
  stage: label,
  tasks: z.array(taskSchema).min(1, 'a stage needs at least one task').max(50),
});

/** @public */
export const pipelineDefinitionSchema = z.strictObject({
  pipeline: label,
  ref: z
    .string()
    .min(1)
    .max(255)
    .regex(
      /^[\w./*-]+$/,
      'must be a branch name or ref pattern such as "master" or "pr/./merge"',
    ),
  stages: z
    .array(stageSchema)
    .min(1, 'a pipeline needs at least one stage')
    .max(50),
});

/** A step: an action container run with arguments. @public */
export type Step = z.infer<typeof stepSchema>;
/** Steps run in order in one workspace. @public */
export type Task = z.infer<typeof taskSchema>;
/** The tasks of a stage run in parallel. @public */
export type Stage = z.infer<typeof stageSchema>;
/** A pipeline runs on pushes to refs matching `ref`. @public */
export type PipelineDefinition = z.infer<typeof pipelineDefinitionSchema>;

/**
 * The full, expanded pipeline file.
 *
 * @public
 */
export interface Pipeline {
  version: '2';
  /** Builds run with the component's own build identity. */
  useBuildIdentity: boolean;
  pipelines: PipelineDefinition[];
}

/**
 * Environment every step receives from the executor.
 *
 * @public
 */
export const STEP_ENVIRONMENT = Object.freeze({
  COMMIT_SHA: 'the full SHA of the commit being built',
  BRANCH: 'the branch or ref being built',
  BUILD_ID: 'the unique id of this build',
  COMPONENT: 'the catalog name of the component',
});

/**
 * Rebuilds a pipeline definition with keys in the canonical order of the
 * seed (pipeline, ref, stages; stage, tasks; task, steps; action, args,
 * entrypoint, env), whatever order the author wrote them in; `env` by
 * variable name in code-point order, the same on every machine.
 *
 * @public
 */
export function canonicalPipelineDefinition(
  p: PipelineDefinition,
): PipelineDefinition {
  return {
    pipeline: p.pipeline,
    ref: p.ref,
    stages: p.stages.map(s => ({
      stage: s.stage,
      tasks: s.tasks.map(t => ({
        task: t.task,
        steps: t.steps.map(st => ({
          action: st.action,
          ...(st.args ? { args: [...st.args] } : {}),
          ...(st.entrypoint ? { entrypoint: st.entrypoint } : {}),
          ...(st.env
            ? {
                env: Object.fromEntries(
                  sortedBy(Object.entries(st.env), ([name]) => name),
                ),
              }
            : {}),
        })),
      })),
    })),
  };
}
