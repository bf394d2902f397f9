import { z } from 'zod';
import {
  Bundle,
  BundleSettingKind,
  DECLARABLE_BUNDLES,
  findBundle,
} from './bundles';

/** The only `metadata.schemaVersion` this package reads. @public */
export const MONITORING_SCHEMA_VERSION = 5;

/**
 * Size limits of a monitoring-info.yaml, so one file cannot make thousands
 * of dashboards or alerts.
 *
 * @public
 */
export const MONITORING_LIMITS = Object.freeze({
  components: 50,
  dashboardsPerComponent: 20,
  panelsPerDashboard: 100,
  groupByLabels: 10,
  textLength: 200,
  /** Largest `window_value`, whatever the unit. */
  windowValue: 1000,
});

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

/**
 * Settings of bundle panels changed by a dashboard, by panel id, e.g.
 * `{ 'grpc/server/rpc-latency': { threshold_ms: 2000 } }`.
 *
 * @public
 */
export type BundleOverrides = Readonly<
  Record<string, Readonly<Record<string, number | boolean>>>
>;

/**
 * A bundle of ready-made panels (`type: bundle`).
 *
 * @public
 */
export interface BundlePanelDeclaration {
  /** A declarable bundle of the library, e.g. `javaBackend`. */
  readonly template: string;
  readonly type: 'bundle';
  /**
   * Exclude health-check and metrics-endpoint traffic from the served
   * traffic panels and alerts (only bundles serving traffic).
   * @defaultValue false
   */
  readonly exclude_hm?: boolean;
  /** @defaultValue every setting at its default */
  readonly override?: BundleOverrides;
}

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

/** @public */
export type PanelDeclaration = BundlePanelDeclaration | CustomMetricDeclaration;

/** @public */
export interface DashboardDeclaration {
  /** Dashboard title, unique in the file. */
  readonly name: string;
  readonly panels: ReadonlyArray<PanelDeclaration>;
}

/**
 * A parsed monitoring-info.yaml.
 *
 * @public
 */
export interface MonitoringInfo {
  readonly metadata: { readonly schemaVersion: 5 };
  /** Dashboards by component name. */
  readonly components: Readonly<
    Record<string, ReadonlyArray<DashboardDeclaration>>
  >;
}

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value as a message shows it: strings quoted and cut short, maps and lists named. */
function show(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string')
    return JSON.stringify(
      value.length > 60 ? `${value.slice(0, 57)}...` : value,
    );
  return String(value);
}

/** Zod params giving "`name` must be `expected`, got `value`". */
const must = (name: string, expected: string) => ({
  error: (issue: { input?: unknown }) =>
    issue.input === undefined
      ? `${name} is required`
      : `${name} must be ${expected}, got ${show(issue.input)}`,
});

const oneOf = <T extends string>(name: string, values: readonly [T, ...T[]]) =>
  z.enum(values, {
    error: issue =>
      issue.input === undefined
        ? `${name} is required`
        : `unknown ${name} ${show(issue.input)}: expected one of ${values.join(
            ', ',
          )}`,
  });

/** A list that names the first item over the limit, not the whole list. */
const list = <T extends z.ZodType>(
  item: T,
  name: string,
  max: number,
  noun: string,
) =>
  z.array(item, must(name, 'a list')).check(
    z.superRefine(
      (value: unknown[], ctx) => {
        if (value.length > max) {
          ctx.addIssue({
            code: 'custom',
            path: [max],
            message: `${name} holds ${value.length} ${noun}, more than the limit of ${max}`,
          });
        }
      },
      { when: () => true },
    ),
  );

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:.]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Text shown to people: titles end up in alert annotations, which Prometheus
 * expands as Go templates, so `{{` is refused rather than escaped.
 */
const text = (name: string) =>
  z
    .string(must(name, 'a string'))
    .min(1, `${name} must not be empty`)
    .max(
      MONITORING_LIMITS.textLength,
      `${name} is longer than ${MONITORING_LIMITS.textLength} characters`,
    )
    .refine(
      v => !CONTROL.test(v) && !v.includes('{{') && !v.includes('}}'),
      `${name} must not hold control characters, "{{" or "}}"`,
    );

const labelName = z.string(must('label', 'a label name')).check(
  z.superRefine((v, ctx) => {
    if (!LABEL_NAME.test(v) || v.startsWith('__')) {
      ctx.addIssue({
        code: 'custom',
        message: v.startsWith('__')
          ? `label ${show(
              v,
            )} is reserved: labels starting with "__" are internal to Prometheus`
          : `${show(
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
      message: `alias ${show(
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
      message: `action ${show(panel.action)} needs a threshold to alert on`,
    });
  }
}

const customMetricSchema = z
  .strictObject({
    template: z.literal(CUSTOM_METRIC_TEMPLATE),
    title: text('title'),
    what: z
      .string(must('what', 'a metric name'))
      .max(MONITORING_LIMITS.textLength, 'what is too long')
      .refine(v => METRIC_NAME.test(v) && !v.startsWith('__'), {
        error: issue =>
          `what must be a metric name (letters, digits, "_", ":" and "."), got ${show(
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
    window_unit: oneOf('window_unit', ['s', 'm', 'h']).optional(),
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

const SETTING_SCHEMAS: Record<BundleSettingKind, (name: string) => z.ZodType> =
  {
    milliseconds: name =>
      z
        .number(must(name, 'a number of milliseconds'))
        .positive(must(name, 'a number of milliseconds above 0'))
        .max(3_600_000, `${name} must be at most 3600000 (one hour)`),
    ratio: name =>
      z
        .number(must(name, 'a ratio from 0 to 1'))
        .min(0, must(name, 'a ratio from 0 to 1'))
        .max(1, must(name, 'a ratio from 0 to 1')),
    count: name =>
      z
        .number(must(name, 'a whole number'))
        .int(must(name, 'a whole number'))
        .min(0, must(name, 'a whole number from 0')),
    boolean: name => z.boolean(must(name, 'true or false')),
  };

/** Checks `override` against the panels and settings of the bundle. */
function overrideSchema(bundle: Bundle) {
  const ids = bundle.panels.map(p => p.id);
  return z
    .record(
      z.string(),
      z.unknown(),
      must('override', 'a map of panel id to settings'),
    )
    .superRefine((override, ctx) => {
      for (const [id, settings] of Object.entries(override)) {
        const panel = bundle.panels.find(p => p.id === id);
        if (!panel) {
          ctx.addIssue({
            code: 'custom',
            path: [id],
            params: { at: 'key' },
            message: `unknown panel "${id}" in bundle ${
              bundle.name
            }: expected one of ${ids.join(', ')}`,
          });
          continue;
        }
        if (!isMap(settings)) {
          ctx.addIssue({
            code: 'custom',
            path: [id],
            message: `override of ${id} must be a map of settings, got ${show(
              settings,
            )}`,
          });
          continue;
        }
        const known = Object.keys(panel.settings);
        for (const [key, value] of Object.entries(settings)) {
          if (!Object.hasOwn(panel.settings, key)) {
            ctx.addIssue({
              code: 'custom',
              path: [id, key],
              params: { at: 'key' },
              message: `panel ${id} has no setting "${key}": ${
                known.length
                  ? `expected one of ${known.join(', ')}`
                  : 'it has no settings'
              }`,
            });
            continue;
          }
          const result =
            SETTING_SCHEMAS[panel.settings[key].kind](key).safeParse(value);
          if (!result.success) {
            ctx.addIssue({
              code: 'custom',
              path: [id, key],
              message: result.error.issues[0].message,
            });
          }
        }
      }
    }) as unknown as z.ZodType<BundleOverrides>;
}

function bundleSchema(bundle: Bundle) {
  return z.strictObject({
    template: z.literal(bundle.name),
    type: z.literal('bundle', {
      error: issue =>
        issue.input === undefined
          ? `type: bundle is required for template ${bundle.name}`
          : `type must be "bundle" for template ${bundle.name}, got ${show(
              issue.input,
            )}`,
    }),
    exclude_hm: (bundle.servesTraffic
      ? z.boolean(must('exclude_hm', 'true or false'))
      : z.never({
          error: `exclude_hm does not apply to bundle ${
            bundle.name
          }: only bundles serving traffic (${DECLARABLE_BUNDLES.filter(
            n => findBundle(n)?.servesTraffic,
          ).join(', ')}) have health-check traffic`,
        })
    ).optional(),
    override: overrideSchema(bundle).optional(),
  });
}

const TEMPLATES = [CUSTOM_METRIC_TEMPLATE, ...DECLARABLE_BUNDLES];

const panelSchema = z.discriminatedUnion(
  'template',
  [
    customMetricSchema,
    ...DECLARABLE_BUNDLES.map(name => bundleSchema(findBundle(name)!)),
  ],
  {
    error: issue => {
      const input = issue.input as { template?: unknown } | undefined;
      if (!isMap(input)) return `a panel must be a map, got ${show(input)}`;
      return input.template === undefined
        ? `template is required: one of ${TEMPLATES.join(', ')}`
        : `unknown template ${show(
            input.template,
          )}: expected one of ${TEMPLATES.join(', ')}`;
    },
  },
);

const dashboardSchema = z.strictObject(
  {
    name: text('name'),
    panels: list(
      panelSchema,
      'panels',
      MONITORING_LIMITS.panelsPerDashboard,
      'panels',
    ).min(1, 'a dashboard needs at least one panel'),
  },
  must('a dashboard', 'a map'),
);

const componentsSchema = z
  .record(
    z.string(),
    list(
      dashboardSchema,
      'the component',
      MONITORING_LIMITS.dashboardsPerComponent,
      'dashboards',
    ).min(1, 'a component needs at least one dashboard'),
    must('components', 'a map of component name to dashboards'),
  )
  .check(
    // Names are checked here rather than by a key schema, which would skip
    // the dashboards of a badly named component.
    z.superRefine(
      (components, ctx) => {
        if (!isMap(components)) return;
        const names = Object.keys(components);
        if (names.length === 0) {
          ctx.addIssue({
            code: 'custom',
            message: 'components is empty: declare at least one component',
          });
        } else if (names.length > MONITORING_LIMITS.components) {
          ctx.addIssue({
            code: 'custom',
            message: `components holds ${names.length} components, more than the limit of ${MONITORING_LIMITS.components}`,
          });
        }
        for (const name of names.filter(n => !DNS_LABEL.test(n))) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            params: { at: 'key' },
            message: `component name ${show(
              name,
            )} is not a DNS label: use lowercase letters, digits and "-", at most 63 characters`,
          });
        }
      },
      { when: () => true },
    ),
  );

/** Dashboard titles must be unique: Grafana keys them per folder. */
function checkUniqueNames(
  info: { components?: unknown },
  ctx: z.RefinementCtx,
) {
  const seen = new Map<string, string>();
  const components = info.components;
  if (!isMap(components)) return;
  for (const [component, dashboards] of Object.entries(components)) {
    if (!Array.isArray(dashboards)) continue;
    dashboards.forEach((dashboard: { name?: unknown }, i) => {
      const name = dashboard?.name;
      if (typeof name !== 'string') return;
      const first = seen.get(name);
      if (first) {
        ctx.addIssue({
          code: 'custom',
          path: ['components', component, i, 'name'],
          message: `dashboard name ${show(name)} is already used by ${first}`,
        });
      } else {
        seen.set(name, `components.${component}[${i}]`);
      }
    });
  }
}

/**
 * The zod schema of monitoring-info.yaml: strict (unknown keys are errors),
 * with the bundle library's templates, panel ids and settings.
 *
 * @public
 */
export const monitoringInfoSchema: z.ZodType<MonitoringInfo> = z
  .strictObject(
    {
      metadata: z.strictObject(
        {
          schemaVersion: z.literal(MONITORING_SCHEMA_VERSION, {
            error: issue =>
              issue.input === undefined
                ? `schemaVersion is required: this generator reads version ${MONITORING_SCHEMA_VERSION}`
                : `schemaVersion ${show(
                    issue.input,
                  )} is not supported: this generator reads version ${MONITORING_SCHEMA_VERSION}`,
          }),
        },
        must('metadata', 'a map'),
      ),
      components: componentsSchema,
    },
    must('monitoring-info.yaml', 'a map with metadata and components'),
  )
  .check(z.superRefine(checkUniqueNames, { when: () => true }));
