import { z } from 'zod';
import {
  DescriptorSource,
  parseDescriptor,
  ParsedYamlDocument,
  ValidateResult,
} from '@gitops/descriptors-common';
import {
  pipelineDefinitionSchema,
  Stage,
  stageSchema,
  Step,
  stepSchema,
} from './model';
import {
  BUILD_INFO_MESSAGES,
  readTemplate,
  unknownTemplateMessage,
} from './rules';
import { BUILD_TEMPLATE_TYPES, BuildTemplateType } from './templates';

const pipelineNames = z
  .array(z.string().min(1))
  .min(1)
  .optional()
  .describe('pipelines to change; all of them when omitted');

/**
 * Adds a stage to the template's pipelines, before or after a named stage,
 * or at the end.
 *
 * @public
 */
export const addStageSchema: z.ZodType<StageExtension, unknown> = z
  .strictObject({
    stage: stageSchema,
    before: z.string().min(1).optional(),
    after: z.string().min(1).optional(),
    pipelines: pipelineNames,
  })
  .refine(s => !(s.before && s.after), {
    message: 'give either "before" or "after", not both',
    path: ['after'],
  });

/**
 * Adds a step at the start or end of a named task of a named stage.
 *
 * @public
 */
export const addStepSchema: z.ZodType<StepExtension, unknown> = z.strictObject({
  step: stepSchema,
  stage: z.string().min(1),
  task: z.string().min(1),
  position: z.enum(['start', 'end']).default('end'),
  pipelines: pipelineNames,
});

const templateSchema = z
  .object({
    type: z.enum(BUILD_TEMPLATE_TYPES, {
      error: issue => unknownTemplateMessage(issue.input),
    }),
  })
  .catchall(z.unknown())
  .superRefine((template, ctx) => {
    const read = readTemplate(template);
    for (const problem of read.ok ? [] : read.problems) {
      ctx.addIssue({
        code: 'custom',
        path: [...problem.path],
        ...(problem.at ? { params: { at: problem.at } } : {}),
        message: problem.message,
      });
    }
  });

/**
 * build-info.yaml: a template with its options (the common case), or full
 * pipelines of its own; a template may be extended with stages and steps.
 *
 * @public
 */
export const buildInfoSchema: z.ZodType<BuildInfo, unknown> = z
  .strictObject({
    version: z.literal(2, {
      error: 'build-info.yaml must declare "version: 2"',
    }),
    useBuildIdentity: z.boolean().optional(),
    template: templateSchema.optional(),
    pipelines: z.array(pipelineDefinitionSchema).min(1).max(20).optional(),
    extend: z
      .strictObject({
        stages: z.array(addStageSchema).max(50).optional(),
        steps: z.array(addStepSchema).max(50).optional(),
      })
      .optional(),
  })
  .superRefine((info, ctx) => {
    if (!info.template === !info.pipelines) {
      ctx.addIssue({
        code: 'custom',
        path: info.template ? ['pipelines'] : [],
        message: info.template
          ? BUILD_INFO_MESSAGES.templateAndPipelines
          : BUILD_INFO_MESSAGES.noTemplate,
      });
    }
    if (info.extend && info.pipelines) {
      ctx.addIssue({
        code: 'custom',
        path: ['extend'],
        message: BUILD_INFO_MESSAGES.extendWithPipelines,
      });
    }
  });

/**
 * The parsed build-info.yaml. Template options keep their declared values;
 * defaults are applied at expansion.
 *
 * @public
 */
export interface BuildInfo {
  version: 2;
  useBuildIdentity?: boolean;
  template?: { type: BuildTemplateType } & Record<string, unknown>;
  pipelines?: z.infer<typeof pipelineDefinitionSchema>[];
  extend?: {
    stages?: StageExtension[];
    steps?: StepExtension[];
  };
}

/**
 * A stage added to a template's pipelines by `extend.stages`.
 *
 * @public
 */
export interface StageExtension {
  stage: Stage;
  before?: string;
  after?: string;
  pipelines?: string[];
}

/**
 * A step added to a named task by `extend.steps`.
 *
 * @public
 */
export interface StepExtension {
  step: Step;
  stage: string;
  task: string;
  position: 'start' | 'end';
  pipelines?: string[];
}

/**
 * Parses and validates build-info.yaml, reporting every problem with file,
 * line and column.
 *
 * @public
 */
export function parseBuildInfo(
  source: DescriptorSource,
  documents?: ReadonlyArray<ParsedYamlDocument>,
): ValidateResult<BuildInfo> {
  return parseDescriptor(source, buildInfoSchema as z.ZodType<BuildInfo>, {
    documents,
  });
}
