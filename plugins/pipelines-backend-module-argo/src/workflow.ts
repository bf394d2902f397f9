import {
  LABEL_VALUE,
  toBoundedDnsLabel,
  toDnsLabel,
} from '@gitops/descriptors-common';
import {
  PipelineDefinition,
  renderArgoWorkflows,
} from '@gitops/plugin-pipelines-common';
import type { ExecutionRequest } from '@gitops/plugin-pipelines-node';

/** Labels the executor puts on every Workflow it submits. */
export const RUN_ID_LABEL = 'gitops.io/run-id';
export const ENTITY_LABEL = 'gitops.io/entity';
/** The same, verbatim, where a label value could not hold them. */
export const RUN_ID_ANNOTATION = 'gitops.io/run-id';
export const ENTITY_REF_ANNOTATION = 'gitops.io/entity-ref';

/** The run part of a Workflow name is kept short so the pipeline stays readable. */
const RUN_PART_MAX_LENGTH = 40;

/**
 * Where a planned step runs in the rendered Workflow: the name of its
 * container template. Every `Pod` node of that step carries it as
 * `templateName`, which is how the status is mapped back to the plan.
 */
export interface StepTemplate {
  stepId: string;
  template: string;
}

/** A Workflow ready to submit, or every reason why there is none. */
export type BuiltWorkflow =
  | {
      ok: true;
      name: string;
      namespace: string;
      workflow: Record<string, any>;
      /** In plan order (stage, task, step). */
      steps: StepTemplate[];
    }
  | { ok: false; problems: string[] };

/** Options of {@link buildArgoWorkflow}, from `pipelines.argo`. */
export interface BuildWorkflowOptions {
  /** @defaultValue the component's name as a DNS label, as `renderArgoWorkflows` does */
  namespace?: string;
  serviceAccountName?: string;
}

/**
 * The name template of each step of a pipeline in the Workflow
 * `renderArgoWorkflows` made for it, indexed `[stage][task][step]`.
 *
 * Read from the rendered object rather than re-derived from the names, so
 * the mapping cannot drift from the renderer: the `pipeline` DAG lists one
 * task per (stage, task) in pipeline order, each referring to the task's
 * DAG template, whose tasks `step-1`, `step-2`, ... refer to the step
 * templates in order.
 */
export function stepTemplateNames(
  workflow: Record<string, any>,
  pipeline: PipelineDefinition,
): { ok: true; names: string[][][] } | { ok: false; problems: string[] } {
  const templates: any[] = workflow?.spec?.templates ?? [];
  const byName = new Map<string, any>(templates.map(t => [t?.name, t]));
  const entry = byName.get(workflow?.spec?.entrypoint);
  const taskRefs: any[] = entry?.dag?.tasks ?? [];
  const problems: string[] = [];
  const names: string[][][] = [];
  let flat = 0;
  pipeline.stages.forEach((stage, s) => {
    names.push([]);
    stage.tasks.forEach((task, t) => {
      const ref = taskRefs[flat++];
      const taskTemplate = ref ? byName.get(ref.template) : undefined;
      const stepRefs: any[] = taskTemplate?.dag?.tasks ?? [];
      const where = `stage ${s + 1} "${stage.stage}", task ${t + 1} "${
        task.task
      }"`;
      if (!taskTemplate) {
        problems.push(`${where} has no DAG template in the rendered Workflow`);
      } else if (stepRefs.length !== task.steps.length) {
        problems.push(
          `${where} has ${task.steps.length} steps but its template "${taskTemplate.name}" has ${stepRefs.length}`,
        );
      }
      names[s].push(task.steps.map((_, k) => stepRefs[k]?.template ?? ''));
    });
  });
  if (flat !== taskRefs.length) {
    problems.push(
      `the pipeline has ${flat} tasks but the Workflow's entrypoint DAG has ${taskRefs.length}`,
    );
  }
  return problems.length ? { ok: false, problems } : { ok: true, names };
}

/**
 * The name of the Workflow of a run: `<component>-<pipeline>-<run id>`, a
 * DNS label (at most 63 characters, so it also fits the
 * `workflows.argoproj.io/workflow` label Argo puts on the pods), unique per
 * run and stable, so that a retried submission finds the same object.
 */
export function workflowName(
  component: string,
  pipelineId: string,
  runId: string,
): string {
  const run = toBoundedDnsLabel(RUN_PART_MAX_LENGTH, runId);
  return `${toBoundedDnsLabel(
    63 - run.length - 1,
    component,
    pipelineId,
  )}-${run}`;
}

function labelValue(value: string): string {
  return LABEL_VALUE.test(value) ? value : toDnsLabel(value);
}

/**
 * The Workflow for one run: the engines' rendering of the request's
 * pipeline (`renderArgoWorkflows`), named for the run, labelled with the run
 * and the entity, its `commit-sha`, `branch` and `build-id` parameters set,
 * and the steps kept from an earlier run (`reuse`) turned off with
 * `when: "false"` (Argo then marks them `Skipped`, and the steps after them
 * still run).
 */
export function buildArgoWorkflow(
  request: Pick<
    ExecutionRequest,
    | 'runId'
    | 'entityRef'
    | 'component'
    | 'source'
    | 'pipeline'
    | 'steps'
    | 'env'
  >,
  options: BuildWorkflowOptions = {},
): BuiltWorkflow {
  const problems: string[] = [];
  const { source } = request;
  // Parameter values are substituted into the templates; refuse anything
  // Argo's template language would evaluate.
  if (!/^[0-9a-f]{7,64}$/.test(source.sha)) {
    problems.push(
      `the commit must be a hexadecimal git SHA, got ${JSON.stringify(
        source.sha,
      )}`,
    );
  }
  if (!/^[\w./-]+$/.test(source.ref) || source.ref.length > 255) {
    problems.push(
      `the ref must be a branch or ref name such as "master" or "pr/12/merge", got ${JSON.stringify(
        source.ref,
      )}`,
    );
  }
  const namespace = options.namespace ?? toDnsLabel(request.component.name);
  const [rendered] = renderArgoWorkflows(
    { version: '2', useBuildIdentity: false, pipelines: [request.pipeline] },
    request.component.name,
    { namespace },
  );
  const workflow = structuredClone(rendered.workflow) as Record<string, any>;
  const mapped = stepTemplateNames(workflow, request.pipeline);
  if (!mapped.ok) problems.push(...mapped.problems);
  const steps: StepTemplate[] = [];
  for (const planned of request.steps) {
    const template = mapped.ok
      ? mapped.names[planned.stage]?.[planned.task]?.[planned.index]
      : undefined;
    if (mapped.ok && !template) {
      problems.push(
        `step ${planned.id} (stage ${planned.stage}, task ${planned.task}, step ${planned.index}) is not in the pipeline "${request.pipeline.pipeline}"`,
      );
    }
    if (template) steps.push({ stepId: planned.id, template });
  }
  if (problems.length) return { ok: false, problems };

  const pipelineId = workflow.metadata.labels['gitops.io/pipeline'];
  const name = workflowName(request.component.name, pipelineId, request.runId);
  const { generateName: _, ...metadata } = workflow.metadata;
  workflow.metadata = {
    ...metadata,
    name,
    labels: {
      ...metadata.labels,
      [RUN_ID_LABEL]: labelValue(request.runId),
      [ENTITY_LABEL]: labelValue(request.entityRef.replace(/[:/]/g, '.')),
    },
    annotations: {
      ...metadata.annotations,
      [RUN_ID_ANNOTATION]: request.runId,
      [ENTITY_REF_ANNOTATION]: request.entityRef,
    },
  };
  const values: Record<string, string> = {
    'commit-sha': source.sha,
    branch: source.ref,
    'build-id': request.env.BUILD_ID ?? request.runId,
  };
  workflow.spec.arguments.parameters = workflow.spec.arguments.parameters.map(
    (p: { name: string }) =>
      p.name in values ? { name: p.name, value: values[p.name] } : p,
  );
  if (options.serviceAccountName) {
    workflow.spec.serviceAccountName = options.serviceAccountName;
  }
  const reused = new Set(
    request.steps
      .filter(s => s.reuse)
      .map(s => steps.find(t => t.stepId === s.id)!.template),
  );
  for (const template of workflow.spec.templates) {
    for (const task of template.dag?.tasks ?? []) {
      if (reused.has(task.template)) task.when = 'false';
    }
  }
  return { ok: true, name, namespace, workflow, steps };
}
