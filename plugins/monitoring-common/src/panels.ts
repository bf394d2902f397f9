/**
 * Panels: each declaration of a dashboard resolved into the queries,
 * thresholds and alerts it draws, grouped in rows.
 */

import {
  componentSelector,
  DataPath,
  Descriptor,
  DescriptorProblem,
  describeValue,
  Duration,
  prometheusMetricName,
  problemIn,
  Result,
} from '@gitops/descriptors-common';
import { AlertSeverity, defaultAction } from './alertRules';
import {
  Bundle,
  BUNDLE_WINDOW,
  bundleQueryContext,
  findBundle,
  panelSettings,
  ThresholdOperator,
} from './bundles';
import {
  ALIAS_PLACEHOLDER,
  BundleOverrides,
  BundlePanelDeclaration,
  CUSTOM_METRIC_TEMPLATE,
  CustomMetricDeclaration,
  MonitoringInfo,
  ThresholdType,
  unknownTemplateMessage,
  WINDOW_UNITS,
  WindowUnit,
} from './schema';

/**
 * Defaults of a custom metric panel, as plain data.
 *
 * @public
 */
export const CUSTOM_METRIC_DEFAULTS = Object.freeze({
  window_unit: 'm',
  window_value: 5,
} as const);

/** A panel ready to draw and to alert on. */
export interface ResolvedPanel {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  readonly legend: string;
  readonly expr: string;
  readonly threshold?: { value: number; operator: ThresholdOperator };
  readonly alert?: {
    /** How long the condition must hold; none when the query has its own window. */
    readonly for?: Duration;
    readonly action: 'pagerduty' | 'slack';
    readonly description: string;
  };
}

/** A run of panels, under a row title unless it opens the dashboard. */
export interface Section {
  readonly row?: string;
  readonly custom?: boolean;
  readonly panels: ResolvedPanel[];
}

const CUSTOM_ROW = 'Custom metrics';
const OPERATORS: Record<ThresholdType, ThresholdOperator> = {
  gt: '>',
  lt: '<',
  gte: '>=',
  lte: '<=',
};

/**
 * The sections of dashboard `index` of `component`, in declared order, or
 * the problems of its panels at their positions. The schema refuses the
 * same problems when the value was parsed; hand-built values reach them here.
 */
export function resolveDashboard(
  info: Descriptor<MonitoringInfo>,
  component: string,
  index: number,
  severity: AlertSeverity,
): Result<Section[]> {
  const sections: Section[] = [];
  const problems: DescriptorProblem[] = [];
  info.value.components[component][index].panels.forEach((panel, j) => {
    const at = (path: DataPath, message: string) =>
      problems.push(
        problemIn(
          info,
          ['components', component, index, 'panels', j, ...path],
          message,
        ),
      );
    if (panel.template === CUSTOM_METRIC_TEMPLATE) {
      const custom = panel as CustomMetricDeclaration;
      const window = customWindow(custom);
      if (!window.ok) {
        at([window.key], window.message);
        return;
      }
      let last = sections[sections.length - 1];
      if (!last?.custom) {
        // A run of custom panels after a bundle gets its own row, else it
        // would look like part of the bundle's.
        last = { row: last ? CUSTOM_ROW : undefined, custom: true, panels: [] };
        sections.push(last);
      }
      last.panels.push(customPanel(component, custom, severity, window.value));
      return;
    }
    const declared = panel as BundlePanelDeclaration;
    const bundle = findBundle(declared.template);
    if (!bundle?.declarable) {
      at(['template'], unknownTemplateMessage(declared.template));
      return;
    }
    if (declared.type !== 'bundle') {
      at(
        ['type'],
        `type must be "bundle" for template ${bundle.name}, got ${describeValue(
          declared.type,
        )}`,
      );
      return;
    }
    sections.push(
      bundleSection(component, bundle, severity, {
        row: bundle.title,
        excludeHealth: declared.exclude_hm === true,
        override: declared.override,
      }),
    );
  });
  return problems.length
    ? { ok: false, problems }
    : { ok: true, value: sections };
}

/** The window of a custom panel, or why it has none (hand-built values only). */
function customWindow(
  panel: CustomMetricDeclaration,
):
  | { ok: true; value: Duration }
  | { ok: false; key: 'window_unit' | 'window_value'; message: string } {
  const unit: WindowUnit =
    panel.window_unit ?? CUSTOM_METRIC_DEFAULTS.window_unit;
  if (!WINDOW_UNITS.includes(unit)) {
    return {
      ok: false,
      key: 'window_unit',
      message: `unknown window_unit ${describeValue(
        unit,
      )}: expected one of ${WINDOW_UNITS.join(', ')}`,
    };
  }
  const value = panel.window_value ?? CUSTOM_METRIC_DEFAULTS.window_value;
  const window = Duration.of(value, unit);
  return window.ok
    ? window
    : {
        ok: false,
        key: 'window_value',
        message: `window_value ${describeValue(value)} is not a window: ${
          window.reason
        }`,
      };
}

/** A bundle as one row of panels; `instance` names a bundle drawn once per resource. */
export function bundleSection(
  component: string,
  bundle: Bundle,
  severity: AlertSeverity,
  options: {
    readonly row: string;
    readonly excludeHealth?: boolean;
    readonly extra?: Record<string, string>;
    readonly override?: BundleOverrides;
    /** Names the alerts of a bundle drawn once per resource. */
    readonly instance?: string;
  },
): Section {
  const q = bundleQueryContext(component, options);
  const overrides = options.override ?? {};
  const panels = bundle.panels.map((panel): ResolvedPanel => {
    const settings = panelSettings(
      panel,
      Object.hasOwn(overrides, panel.id) ? overrides[panel.id] : {},
    );
    const threshold = panel.threshold && {
      value: settings[panel.threshold.setting] as number,
      operator: panel.threshold.operator,
    };
    return {
      name: pascalCase(component, options.instance ?? '', panel.id),
      title: options.instance
        ? `${panel.title} (${options.instance})`
        : panel.title,
      description: panel.description,
      unit: panel.unit,
      legend: panel.legend,
      expr: panel.query(q),
      threshold,
      alert:
        threshold && settings.alert === true
          ? {
              for: BUNDLE_WINDOW,
              action: defaultAction(severity),
              description: `${panel.description} Value: {{ $value | humanize }}.`,
            }
          : undefined,
    };
  });
  return { row: options.row, panels };
}

/**
 * A custom metric: `<type> by (<of>) (increase(<what>_total{<component>}[<window>]))`,
 * i.e. how many events each group counted over the window. The panel and
 * its alert use the same expression, so the threshold line is what alerts;
 * the alert has no `for`, since the window is already in the expression.
 */
function customPanel(
  component: string,
  panel: CustomMetricDeclaration,
  severity: AlertSeverity,
  window: Duration,
): ResolvedPanel {
  const name = prometheusMetricName(panel.what);
  const counter = name.endsWith('_total') ? name : `${name}_total`;
  const { type, of } = panel.aggregation;
  const by = of.length > 0 ? ` by (${of.join(', ')})` : '';
  const expr = `${type}${by} (increase(${counter}{${componentSelector(
    component,
  )}}[${window.toString()}]))`;
  const threshold =
    panel.threshold !== undefined && panel.threshold_type
      ? { value: panel.threshold, operator: OPERATORS[panel.threshold_type] }
      : undefined;
  const action = panel.action ?? defaultAction(severity);
  const where = of.map(label => ` ${label} {{ $labels.${label} }}`).join(',');
  return {
    name: pascalCase(component, panel.title),
    title: panel.title,
    description: `${type}${by} of ${panel.what} over ${window.toString()}.`,
    unit: 'short',
    legend: legendFormat(panel.alias, of),
    expr,
    threshold,
    alert:
      threshold && action !== 'none'
        ? {
            action,
            description: `${type} of ${
              panel.what
            } over the last ${window.toString()} is {{ $value | humanize }}${
              where ? ` on${where}` : ''
            }.`,
          }
        : undefined,
  };
}

/**
 * Grafana's legend format: `[[tag_X]]` (the seed's InfluxDB-era syntax)
 * becomes `{{X}}`; without an alias, the kept labels.
 *
 * @public
 */
export function legendFormat(
  alias: string | undefined,
  of: ReadonlyArray<string> = [],
): string {
  if (alias === undefined) return of.map(l => `{{${l}}}`).join(' ');
  return alias.replace(
    ALIAS_PLACEHOLDER,
    (_m, tag?: string, label?: string) => `{{${tag ?? label}}}`,
  );
}

/** `example-app`, `grpc/server/rpc-latency` → `ExampleAppGrpcServerRpcLatency`. */
function pascalCase(...parts: string[]): string {
  return parts
    .join(' ')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map(word => word[0].toUpperCase() + word.slice(1))
    .join('');
}
