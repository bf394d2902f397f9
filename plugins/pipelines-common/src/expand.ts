import { CatalogContext, GeneratorIssue } from '@gitops/descriptors-common';
import { BuildInfo } from './buildInfo';
import {
  canonicalPipelineDefinition,
  Pipeline,
  PipelineDefinition,
  Stage,
} from './model';
import { BUILD_TEMPLATES } from './templates';

/** @public */
export type ExpandResult =
  | { ok: true; pipeline: Pipeline }
  | { ok: false; issues: GeneratorIssue[] };

/**
 * Expands build-info.yaml into the full pipeline definition (Tingle's
 * "template file that refers back to the original").
 *
 * Merge rules for `extend`, applied in order, stages first, then steps:
 * - a stage is inserted before or after the named stage, or appended; every
 *   targeted pipeline must have the named stage, and stage names stay unique;
 * - a step is added at the start or end of the named task of the named
 *   stage; every targeted pipeline must have both;
 * - `pipelines` limits an extension to the named pipelines, which must exist.
 * Each broken rule is an issue at the extension's path; nothing is expanded
 * partially.
 *
 * @public
 */
export function expandBuildInfo(
  info: BuildInfo,
  context: CatalogContext,
): ExpandResult {
  const issues: GeneratorIssue[] = [];
  let pipelines: PipelineDefinition[];
  if (info.pipelines) {
    pipelines = structuredClone(info.pipelines);
  } else {
    const template = BUILD_TEMPLATES[info.template!.type];
    const options = template.options.parse(info.template![template.type] ?? {});
    pipelines = template.expand(options as never, context);
  }

  const targets = (
    names: string[] | undefined,
    path: (string | number)[],
  ): PipelineDefinition[] => {
    if (!names) return pipelines;
    const found: PipelineDefinition[] = [];
    names.forEach((name, i) => {
      const p = pipelines.find(x => x.pipeline === name);
      if (p) found.push(p);
      else
        issues.push({
          path: [...path, 'pipelines', i],
          message: `no pipeline named "${name}"; pipelines are: ${pipelines
            .map(x => x.pipeline)
            .join(', ')}`,
        });
    });
    return found;
  };

  info.extend?.stages?.forEach((add, i) => {
    const path = ['extend', 'stages', i];
    for (const p of targets(add.pipelines, path)) {
      if (p.stages.some(s => s.stage === add.stage.stage)) {
        issues.push({
          path: [...path, 'stage', 'stage'],
          message: `pipeline "${p.pipeline}" already has a stage named "${add.stage.stage}"`,
        });
        continue;
      }
      const anchor = add.before ?? add.after;
      const at =
        anchor === undefined
          ? p.stages.length
          : p.stages.findIndex(s => s.stage === anchor);
      if (at < 0) {
        issues.push({
          path: [...path, add.before ? 'before' : 'after'],
          message: `pipeline "${
            p.pipeline
          }" has no stage named "${anchor}"; its stages are: ${p.stages
            .map(s => s.stage)
            .join(', ')}`,
        });
        continue;
      }
      p.stages.splice(
        add.after ? at + 1 : at,
        0,
        structuredClone(add.stage) as Stage,
      );
    }
  });

  info.extend?.steps?.forEach((add, i) => {
    const path = ['extend', 'steps', i];
    for (const p of targets(add.pipelines, path)) {
      const stage = p.stages.find(s => s.stage === add.stage);
      const task = stage?.tasks.find(t => t.task === add.task);
      if (!stage || !task) {
        issues.push({
          path: [...path, stage ? 'task' : 'stage'],
          message: stage
            ? `stage "${add.stage}" of pipeline "${
                p.pipeline
              }" has no task named "${add.task}"; its tasks are: ${stage.tasks
                .map(t => t.task)
                .join(', ')}`
            : `pipeline "${p.pipeline}" has no stage named "${
                add.stage
              }"; its stages are: ${p.stages.map(s => s.stage).join(', ')}`,
        });
        continue;
      }
      const copy = structuredClone(add.step);
      if (add.position === 'start') task.steps.unshift(copy);
      else task.steps.push(copy);
    }
  });

  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    pipeline: {
      version: '2',
      useBuildIdentity: info.useBuildIdentity ?? true,
      pipelines: pipelines.map(canonicalPipelineDefinition),
    },
  };
}
