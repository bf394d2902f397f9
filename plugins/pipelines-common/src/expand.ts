import {
  CatalogContext,
  DataPath,
  Descriptor,
  DescriptorProblem,
  problemIn,
  Result,
} from '@gitops/descriptors-common';
import { BuildInfo } from './buildInfo';
import {
  canonicalPipelineDefinition,
  Pipeline,
  PipelineDefinition,
  Stage,
} from './model';
import { BUILD_INFO_MESSAGES, readTemplate } from './rules';

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
 *
 * Each broken rule is a problem at the extension's position in `info`'s
 * document (line 1, column 1 of its file for a hand-built value); nothing
 * is expanded partially. A hand-built value that breaks a rule of the
 * schema its parser would have caught (no template, an unknown template,
 * invalid options) gets the parser's message; bad input never throws.
 *
 * @public
 */
export function expandBuildInfo(
  info: Descriptor<BuildInfo>,
  context: CatalogContext,
): Result<Pipeline> {
  const base = basePipelines(info, context);
  if (!base.ok) return base;
  const pipelines = base.value;
  const problems: DescriptorProblem[] = [];
  const report = (path: DataPath, message: string) =>
    problems.push(problemIn(info, path, message));

  const targets = (
    names: string[] | undefined,
    path: DataPath,
  ): PipelineDefinition[] => {
    if (!names) return pipelines;
    const found: PipelineDefinition[] = [];
    names.forEach((name, i) => {
      const p = pipelines.find(x => x.pipeline === name);
      if (p) found.push(p);
      else
        report(
          [...path, 'pipelines', i],
          `no pipeline named "${name}"; pipelines are: ${pipelines
            .map(x => x.pipeline)
            .join(', ')}`,
        );
    });
    return found;
  };

  const { extend } = info.value;
  extend?.stages?.forEach((add, i) => {
    const path = ['extend', 'stages', i];
    for (const p of targets(add.pipelines, path)) {
      if (p.stages.some(s => s.stage === add.stage.stage)) {
        report(
          [...path, 'stage', 'stage'],
          `pipeline "${p.pipeline}" already has a stage named "${add.stage.stage}"`,
        );
        continue;
      }
      const anchor = add.before ?? add.after;
      const at =
        anchor === undefined
          ? p.stages.length
          : p.stages.findIndex(s => s.stage === anchor);
      if (at < 0) {
        report(
          [...path, add.before ? 'before' : 'after'],
          `pipeline "${
            p.pipeline
          }" has no stage named "${anchor}"; its stages are: ${p.stages
            .map(s => s.stage)
            .join(', ')}`,
        );
        continue;
      }
      p.stages.splice(
        add.after ? at + 1 : at,
        0,
        structuredClone(add.stage) as Stage,
      );
    }
  });

  extend?.steps?.forEach((add, i) => {
    const path = ['extend', 'steps', i];
    for (const p of targets(add.pipelines, path)) {
      const stage = p.stages.find(s => s.stage === add.stage);
      const task = stage?.tasks.find(t => t.task === add.task);
      if (!stage || !task) {
        report(
          [...path, stage ? 'task' : 'stage'],
          stage
            ? `stage "${add.stage}" of pipeline "${
                p.pipeline
              }" has no task named "${add.task}"; its tasks are: ${stage.tasks
                .map(t => t.task)
                .join(', ')}`
            : `pipeline "${p.pipeline}" has no stage named "${
                add.stage
              }"; its stages are: ${p.stages.map(s => s.stage).join(', ')}`,
        );
        continue;
      }
      const copy = structuredClone(add.step);
      if (add.position === 'start') task.steps.unshift(copy);
      else task.steps.push(copy);
    }
  });

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      version: '2',
      useBuildIdentity: info.value.useBuildIdentity ?? true,
      pipelines: pipelines.map(canonicalPipelineDefinition),
    },
  };
}

/**
 * The pipelines before `extend`: a copy of the full `pipelines`, or the
 * template's expansion with its options. The whole-file rules are checked
 * again here, for values that did not come through the parser.
 */
function basePipelines(
  info: Descriptor<BuildInfo>,
  context: CatalogContext,
): Result<PipelineDefinition[]> {
  const { template, pipelines, extend } = info.value;
  const fail = (path: DataPath, message: string, at?: 'key') => ({
    ok: false as const,
    problems: [problemIn(info, path, message, at ? { at } : undefined)],
  });
  if (pipelines) {
    if (template)
      return fail(['pipelines'], BUILD_INFO_MESSAGES.templateAndPipelines);
    if (extend)
      return fail(['extend'], BUILD_INFO_MESSAGES.extendWithPipelines);
    return { ok: true, value: structuredClone(pipelines) };
  }
  if (!template) return fail([], BUILD_INFO_MESSAGES.noTemplate);
  const read = readTemplate(template);
  if (!read.ok) {
    return {
      ok: false,
      problems: read.problems.map(p =>
        problemIn(
          info,
          ['template', ...p.path],
          p.message,
          p.at ? { at: p.at } : undefined,
        ),
      ),
    };
  }
  return { ok: true, value: read.template.expand(read.options, context) };
}
