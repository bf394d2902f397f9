import {
  describeValue,
  DNS_LABEL_RULE,
  isDnsLabel,
} from '@gitops/descriptors-common';
import { z } from 'zod';
import { expected } from './zodMessages';

/**
 * The analysis templates of the library (see `analysisTemplates.ts`), by the
 * name `deployment-info.yaml` uses for them.
 *
 * @public
 */
export const ANALYSIS_TEMPLATE_NAMES = Object.freeze([
  'httpService',
  'javaBackend',
  'nodeService',
] as const);

/** @public */
export type AnalysisTemplateName = (typeof ANALYSIS_TEMPLATE_NAMES)[number];

/**
 * Where a component is deployed to. Only `kubernetes` exists today.
 *
 * @public
 */
export const DEPLOYMENT_BACKENDS = Object.freeze(['kubernetes'] as const);

/** @public */
export type DeploymentBackendName = (typeof DEPLOYMENT_BACKENDS)[number];

/**
 * One step of the canary, in the Argo Rollouts vocabulary. Each step is
 * exactly one of the three.
 *
 * @public
 */
export type CanaryStep =
  | {
      /** Percentage of pods (or traffic) on the new version, 0 to 100. */
      readonly setWeight: number;
    }
  | {
      /**
       * Waits `duration` (`30s`, `5m`, `1h`), or until someone promotes the
       * rollout when no duration is given.
       */
      readonly pause: { readonly duration?: string };
    }
  | {
      /** Runs the named library templates; the rollout aborts if one fails. */
      readonly analysis: {
        readonly templates: ReadonlyArray<{
          readonly templateName: AnalysisTemplateName;
        }>;
      };
    };

/**
 * The automated canary of a component: its Deployment becomes an Argo
 * Rollouts `Rollout` walking through `steps`.
 *
 * @public
 */
export interface AutomatedCanary {
  /**
   * The Service that selects only canary pods while a rollout is under way
   * (Argo Rollouts narrows its selector). A Service of that name in
   * kubernetes/ is used as written; otherwise Tugboat derives it from the
   * stable Service (same selector and ports).
   */
  readonly canaryService: string;
  /** The steps, in order; 1 to 30. */
  readonly steps: ReadonlyArray<CanaryStep>;
}

/** @public */
export interface DeploymentComponent {
  /**
   * The component's id: a DNS label. It names the component's namespace and
   * is its `backstage.io/kubernetes-id`.
   */
  readonly componentId: string;
  /**
   * The environments the component is deployed to. When absent it is
   * deployed to every environment.
   * @defaultValue every environment
   */
  readonly environments?: ReadonlyArray<string>;
  readonly tugboat: {
    /** Where it is deployed; each backend at most once. */
    readonly backends: ReadonlyArray<{
      readonly backend: DeploymentBackendName;
    }>;
    /** When set, the Deployment is rolled out as a canary. */
    readonly automatedCanary?: AutomatedCanary;
  };
}

/**
 * The contents of `deployment-info.yaml`.
 *
 * @public
 */
export interface DeploymentInfo {
  /** Always 1. */
  readonly version: 1;
  /** 1 to 20 components, each id once. */
  readonly components: ReadonlyArray<DeploymentComponent>;
}

function map<T extends z.core.$ZodLooseShape>(what: string, shape: T) {
  return z.strictObject(shape, expected(what, 'a map'));
}

function list<T extends z.ZodType>(
  what: string,
  item: T,
  min: number,
  max: number,
) {
  return z
    .array(item, expected(what, 'a list'))
    .min(min, {
      error: `${what} needs at least ${min} entr${min === 1 ? 'y' : 'ies'}`,
    })
    .max(max, {
      error: issue =>
        `${what} holds ${
          (issue.input as unknown[]).length
        } entries, more than the limit of ${max}`,
    });
}

function dnsLabel(what: string) {
  return z.string(expected(what, 'a string')).refine(isDnsLabel, {
    error: issue =>
      `${what} ${describeValue(
        issue.input,
      )} is not a DNS label (${DNS_LABEL_RULE})`,
  });
}

/** Reports the second occurrence of each repeated value, at its position. */
function unique<T>(
  items: ReadonlyArray<T>,
  key: (item: T) => string,
  path: (index: number) => (string | number)[],
  message: (value: string) => string,
  ctx: z.RefinementCtx,
) {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const value = key(item);
    if (seen.has(value)) {
      ctx.addIssue({
        code: 'custom',
        path: path(index),
        message: message(value),
      });
    }
    seen.add(value);
  });
}

const STEP_KINDS = ['setWeight', 'pause', 'analysis'] as const;

/** `30s`, `5m`, `1h`: Argo Rollouts durations with one unit. @public */
export const PAUSE_DURATION = /^[1-9][0-9]{0,5}[smh]$/;

const templateRefSchema = map('a template reference', {
  templateName: z.enum(ANALYSIS_TEMPLATE_NAMES, {
    error: issue =>
      issue.input === undefined
        ? 'templateName is required'
        : `unknown analysis template ${describeValue(
            issue.input,
          )}; the library has ${ANALYSIS_TEMPLATE_NAMES.join(', ')}`,
  }),
});

const stepSchema = map('a canary step', {
  setWeight: z
    .number(expected('setWeight', 'a whole number from 0 to 100'))
    .int(expected('setWeight', 'a whole number from 0 to 100'))
    .min(0, { error: i => `setWeight must be from 0 to 100, not ${i.input}` })
    .max(100, { error: i => `setWeight must be from 0 to 100, not ${i.input}` })
    .optional(),
  pause: map('pause', {
    duration: z
      .string(expected('pause duration', 'a string such as 30s, 5m or 1h'))
      .regex(PAUSE_DURATION, {
        error: i =>
          `pause duration ${describeValue(
            i.input,
          )} is not a duration such as 30s, 5m or 1h (a number and one unit: s, m or h)`,
      })
      .optional(),
  }).optional(),
  analysis: map('analysis', {
    templates: list('analysis templates', templateRefSchema, 1, 5).superRefine(
      (templates, ctx) =>
        unique(
          templates,
          t => t.templateName,
          i => [i, 'templateName'],
          name => `analysis template ${name} is listed twice in this step`,
          ctx,
        ),
    ),
  }).optional(),
})
  .superRefine((step, ctx) => {
    const kinds = STEP_KINDS.filter(k => step[k] !== undefined);
    if (kinds.length === 0) {
      ctx.addIssue({
        code: 'custom',
        message: `a canary step needs one of ${STEP_KINDS.join(', ')}`,
      });
    } else if (kinds.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: [kinds[1]],
        message: `a canary step holds exactly one of ${STEP_KINDS.join(
          ', ',
        )}; this one holds ${kinds.join(' and ')}: split it into ${
          kinds.length
        } steps`,
      });
    }
  })
  .transform((step): CanaryStep => {
    if (step.setWeight !== undefined) return { setWeight: step.setWeight };
    if (step.pause !== undefined) return { pause: { ...step.pause } };
    return { analysis: step.analysis! };
  });

const componentSchema = map('a component', {
  componentId: dnsLabel('componentId'),
  environments: list('environments', dnsLabel('environment'), 1, 20)
    .superRefine((envs, ctx) =>
      unique(
        envs,
        e => e,
        i => [i],
        e => `environment ${e} is listed twice`,
        ctx,
      ),
    )
    .optional(),
  tugboat: map('tugboat', {
    backends: list(
      'backends',
      map('a backend', {
        backend: z.enum(DEPLOYMENT_BACKENDS, {
          error: i =>
            i.input === undefined
              ? 'backend is required'
              : `backend ${describeValue(
                  i.input,
                )} is not supported; allowed: ${DEPLOYMENT_BACKENDS.join(
                  ', ',
                )}`,
        }),
      }),
      1,
      DEPLOYMENT_BACKENDS.length,
    ).superRefine((backends, ctx) =>
      unique(
        backends,
        b => b.backend,
        i => [i, 'backend'],
        b => `backend ${b} is listed twice`,
        ctx,
      ),
    ),
    automatedCanary: map('automatedCanary', {
      canaryService: dnsLabel('canaryService'),
      steps: list('steps', stepSchema, 1, 30),
    }).optional(),
  }),
});

/**
 * The schema of `deployment-info.yaml`: strict (an unknown key is an error
 * at that key), every message names the expected and the found value.
 *
 * @public
 */
export const deploymentInfoSchema: z.ZodType<DeploymentInfo> = map(
  'deployment-info.yaml',
  {
    version: z.literal(1, {
      error: i =>
        i.input === undefined
          ? 'version is required (version: 1)'
          : `version must be 1, not ${describeValue(i.input)}`,
    }),
    components: list('components', componentSchema, 1, 20).superRefine(
      (components, ctx) =>
        unique(
          components,
          c => c.componentId,
          i => [i, 'componentId'],
          id => `componentId ${id} is declared twice`,
          ctx,
        ),
    ),
  },
);
