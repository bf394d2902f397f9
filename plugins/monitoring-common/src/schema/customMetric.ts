/** Custom metric panels (`template: custom/metric`): a counter the service exports itself. */

import { describeValue } from '@gitops/descriptors-common';
import { z } from 'zod';
import { CONTROL, list, must, oneOf, text } from './checks';
import { MONITORING_LIMITS } from './limits';

/** Template name of a custom metric panel. @public */
export const CUSTOM_METRIC_TEMPLATE = 'custom/metric';

/** @public */
export type AggregationType = 'sum' | 'avg' | 'max' | 'min' | 'count';
/** @public */
export type ThresholdType = 'gt' | 'lt' | 'gte' | 'lte';
/** @public */
export type WindowUnit = 's' | 'm' | 'h';
/**
 * Where an alert goes: `pagerduty` pages the team, `slack` posts to its
 * channel, `none` draws the threshold without alerting.
 *
 * @public
 */
export type AlertAction = 'pagerduty' | 'slack' | 'none';

/** The units `window_unit` may take. */
export const WINDOW_UNITS: readonly [WindowUnit, ...WindowUnit[]] = [
  's',
  'm',
  'h',
];

/**
 * One panel of a metric the service exports itself (`template: custom/metric`).
 *
 * @public
 */
export interface CustomMetricDeclaration {
  readonly template: 'custom/metric';
  /** Panel title; also names the alert. */
  readonly title: string;
  /** Counter name as the code writes it, e.g. `hydrate.exception`. */
  readonly what: string;
  readonly aggregation: {
    readonly category: 'Group By';
    readonly type: AggregationType;
    /** Labels kept, e.g. `[pod]`. */
    readonly of: ReadonlyArray<string>;
  };
  /**
   * Legend: text with `[[tag_<label>]]` or `{{<label>}}` placeholders.
   * @defaultValue the `of` labels as placeholders
   */
  readonly alias?: string;
  /** Value drawn as a threshold line and, with an action, alerted on. */
  readonly threshold?: number;
  /** How the value compares to `threshold` when it is bad. */
  readonly threshold_type?: ThresholdType;
  /** @defaultValue 'm' */
  readonly window_unit?: WindowUnit;
  /** @defaultValue 5 */
  readonly window_value?: number;
  /** @defaultValue `pagerduty` for tier 1-2, `slack` for tier 3-4 */
  readonly action?: AlertAction;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:.]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const labelName = z.string(must('label', 'a label name')).check(
  z.superRefine((v, ctx) => {
    if (!LABEL_NAME.test(v) || v.startsWith('__')) {
      ctx.addIssue({
        code: 'custom',
        message: v.startsWith('__')
          ? `label ${describeValue(
              v,
            )} is reserved: labels starting with "__" are internal to Prometheus`
          : `${describeValue(
              v,
            )} is not a Prometheus label name: use letters, digits and "_", not starting with a digit`,
      });
    }
  }),
);

/**
 * Legend placeholders: `[[tag_pod]]` (the seed's syntax) or `{{pod}}`
 * (Grafana's). Internal: shared with the generator, not exported by the package.
 */
export const ALIAS_PLACEHOLDER =
  /\[\[tag_([a-zA-Z_][a-zA-Z0-9_]*)\]\]|\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g;

function checkAlias(
  panel: { alias?: unknown; aggregation?: { of?: unknown } },
  ctx: z.RefinementCtx,
) {
  if (typeof panel.alias !== 'string') return;
  const rest = panel.alias.replace(ALIAS_PLACEHOLDER, '');
  if (/\[\[|\]\]|\{\{|\}\}/.test(rest)) {
    ctx.addIssue({
      code: 'custom',
      path: ['alias'],
      message: `alias ${describeValue(
        panel.alias,
      )} has a placeholder that is not [[tag_<label>]] or {{<label>}}`,
    });
    return;
  }
  const of = panel.aggregation?.of;
  if (!Array.isArray(of)) return;
  for (const m of panel.alias.matchAll(ALIAS_PLACEHOLDER)) {
    const label = m[1] ?? m[2];
    if (!of.includes(label)) {
      ctx.addIssue({
        code: 'custom',
        path: ['alias'],
        message: `alias uses label "${label}", which aggregation.of does not keep (of: ${
          of.join(', ') || 'nothing'
        })`,
      });
    }
  }
}

function checkThreshold(
  panel: { threshold?: unknown; threshold_type?: unknown; action?: unknown },
  ctx: z.RefinementCtx,
) {
  const has = (v: unknown) => v !== undefined;
  if (has(panel.threshold) && !has(panel.threshold_type)) {
    ctx.addIssue({
      code: 'custom',
      path: ['threshold'],
      message: 'threshold needs a threshold_type (gt, lt, gte or lte)',
    });
  }
  if (has(panel.threshold_type) && !has(panel.threshold)) {
    ctx.addIssue({
      code: 'custom',
      path: ['threshold_type'],
      message: 'threshold_type needs a threshold',
    });
  }
  if (has(panel.action) && panel.action !== 'none' && !has(panel.threshold)) {
    ctx.addIssue({
      code: 'custom',
      path: ['action'],
      message: `action ${describeValue(
        panel.action,
      )} needs a threshold to alert on`,
    });
  }
}

/** The schema of one custom metric panel. */
export const customMetricSchema = z
  .strictObject({
    template: z.literal(CUSTOM_METRIC_TEMPLATE),
    title: text('title'),
    what: z
      .string(must('what', 'a metric name'))
      .max(MONITORING_LIMITS.textLength, 'what is too long')
      .refine(v => METRIC_NAME.test(v) && !v.startsWith('__'), {
        error: issue =>
          `what must be a metric name (letters, digits, "_", ":" and "."), got ${describeValue(
            issue.input,
          )}`,
      }),
    aggregation: z.strictObject(
      {
        category: z.literal('Group By', must('category', '"Group By"')),
        type: oneOf('aggregation type', ['sum', 'avg', 'max', 'min', 'count']),
        of: list(
          labelName,
          'of',
          MONITORING_LIMITS.groupByLabels,
          'labels',
        ).refine(
          v => new Set(v).size === v.length,
          'of lists a label more than once',
        ),
      },
      must('aggregation', 'a map'),
    ),
    alias: z
      .string(must('alias', 'a string'))
      .max(MONITORING_LIMITS.textLength, 'alias is too long')
      .refine(v => !CONTROL.test(v), 'alias must not hold control characters')
      .optional(),
    threshold: z.number(must('threshold', 'a number')).optional(),
    threshold_type: oneOf('threshold_type', [
      'gt',
      'lt',
      'gte',
      'lte',
    ]).optional(),
    window_unit: oneOf('window_unit', WINDOW_UNITS).optional(),
    window_value: z
      .number(must('window_value', 'a whole number above 0'))
      .int(must('window_value', 'a whole number above 0'))
      .positive(must('window_value', 'a whole number above 0'))
      .max(
        MONITORING_LIMITS.windowValue,
        `window_value must be at most ${MONITORING_LIMITS.windowValue}`,
      )
      .optional(),
    action: oneOf('action', ['pagerduty', 'slack', 'none']).optional(),
  })
  .check(
    z.superRefine(
      (panel, ctx) => {
        checkAlias(panel, ctx);
        checkThreshold(panel, ctx);
      },
      { when: () => true },
    ),
  );
