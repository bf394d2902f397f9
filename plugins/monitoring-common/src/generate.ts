import {
  CatalogContext,
  componentSelector,
  escapeLabelValue,
  prometheusMetricName,
  ServiceTier,
} from '@gitops/descriptors-common';
import {
  GraphThresholdsStyleConfigBuilder,
  GraphThresholdsStyleMode,
  LegendDisplayMode,
  LegendPlacement,
  VizLegendOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import {
  DashboardBuilder,
  DatasourceVariableBuilder,
  RowBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import {
  Bundle,
  BUNDLE_WINDOW,
  BUNDLES,
  bundleQueryContext,
  findBundle,
  panelSettings,
  ThresholdOperator,
} from './bundles';
import {
  ALIAS_PLACEHOLDER,
  BundleOverrides,
  CUSTOM_METRIC_TEMPLATE,
  CustomMetricDeclaration,
  DashboardDeclaration,
  MonitoringInfo,
  ThresholdType,
} from './schema';

/** Alert severity, from the service tier. @public */
export type AlertSeverity = 'critical' | 'warning';

/**
 * Defaults of a custom metric panel, as plain data.
 *
 * @public
 */
export const CUSTOM_METRIC_DEFAULTS = Object.freeze({
  window_unit: 'm',
  window_value: 5,
} as const);

/**
 * Where Alertmanager reads the receivers' secrets: one file per receiver,
 * named after it, mounted from a Kubernetes secret.
 *
 * @public
 */
export const ALERTMANAGER_SECRETS_DIR = '/etc/alertmanager/secrets';

/** Receiver of alerts no team route takes; it notifies nobody. @public */
export const DEFAULT_RECEIVER = 'default';

/** A Grafana dashboard, as JSON for its HTTP API or provisioning. @public */
export interface GeneratedDashboard {
  /** Stable Grafana uid: slug of the title and a hash, at most 40 characters. */
  readonly uid: string;
  readonly title: string;
  /** The monitoring-info component it belongs to. */
  readonly component: string;
  readonly json: Record<string, unknown>;
}

/** One alerting rule of a Prometheus rule file. @public */
export interface PrometheusAlertRule {
  readonly alert: string;
  readonly expr: string;
  /** How long the condition must hold; absent when the expression has its own window. */
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** A Prometheus rule file (`promtool check rules`). @public */
export interface PrometheusRuleFile {
  readonly groups: ReadonlyArray<{
    readonly name: string;
    readonly rules: ReadonlyArray<PrometheusAlertRule>;
  }>;
}

/** A node of the Alertmanager routing tree. @public */
export interface AlertmanagerRoute {
  readonly receiver: string;
  readonly matchers?: ReadonlyArray<string>;
  readonly group_by?: ReadonlyArray<string>;
  readonly routes?: ReadonlyArray<AlertmanagerRoute>;
}

/** An Alertmanager receiver; secrets are file references only. @public */
export interface AlertmanagerReceiver {
  readonly name: string;
  readonly pagerduty_configs?: ReadonlyArray<{
    readonly routing_key_file: string;
    readonly send_resolved: boolean;
  }>;
  readonly slack_configs?: ReadonlyArray<{
    readonly api_url_file: string;
    readonly send_resolved: boolean;
  }>;
}

/** An Alertmanager configuration (`amtool check-config`). @public */
export interface AlertmanagerConfig {
  readonly route: AlertmanagerRoute;
  readonly receivers: ReadonlyArray<AlertmanagerReceiver>;
}

/** Everything generated from one monitoring-info.yaml. @public */
export interface MonitoringOutput {
  /** By component name, then in declared order. */
  readonly dashboards: ReadonlyArray<GeneratedDashboard>;
  /** One group per component that has alerts, rules sorted by name. */
  readonly prometheusRules: PrometheusRuleFile;
  readonly alertmanagerRoutes: AlertmanagerConfig;
}

/**
 * Severity of a component's alerts: tiers 1 and 2 are `critical`, 3 and 4
 * `warning`.
 *
 * @public
 */
export function severityForTier(tier: ServiceTier): AlertSeverity {
  return tier <= 2 ? 'critical' : 'warning';
}

/** Where an alert goes when the file does not say: critical ones page. */
const defaultAction = (severity: AlertSeverity) =>
  severity === 'critical' ? 'pagerduty' : 'slack';

/** A panel ready to draw and to alert on. */
interface ResolvedPanel {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  readonly legend: string;
  readonly expr: string;
  readonly threshold?: { value: number; operator: ThresholdOperator };
  readonly alert?: {
    readonly for?: string;
    readonly action: 'pagerduty' | 'slack';
    readonly description: string;
  };
}

interface Section {
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
const OPERATOR_WORDS: Record<ThresholdOperator, string> = {
  '>': 'above',
  '<': 'below',
  '>=': 'at or above',
  '<=': 'at or below',
};
const UNIT_SUFFIX: Record<string, string> = { ms: ' ms', percentunit: '' };

/** Code-unit order: unlike localeCompare, the same on every machine. */
const compare = (a: string, b: string) => Number(a > b) - Number(a < b);

/** Backstage entity names; the owner ends up in receiver and file names. */
const ENTITY_NAME = /^[a-zA-Z0-9]+([-_.][a-zA-Z0-9]+)*$/;

/** Collects a component's alerts with unique names; identical rules once. */
class AlertRules {
  private readonly rules = new Map<string, PrometheusAlertRule>();
  private readonly labels: Record<string, string>;

  constructor(
    private readonly component: string,
    team: string,
    tier: ServiceTier,
    severity: AlertSeverity,
  ) {
    this.labels = { component, severity, team, tier: String(tier) };
  }

  get size() {
    return this.rules.size;
  }

  add(panel: ResolvedPanel, uid: string) {
    if (!panel.alert || !panel.threshold) return;
    const { value, operator } = panel.threshold;
    const rule = {
      alert: panel.name,
      expr: `${panel.expr} ${operator} ${value}`,
      ...(panel.alert.for ? { for: panel.alert.for } : {}),
      labels: { action: panel.alert.action, ...this.labels },
      annotations: {
        dashboard_uid: uid,
        description: panel.alert.description,
        summary: `${panel.title} ${OPERATOR_WORDS[operator]} ${value}${
          UNIT_SUFFIX[panel.unit] ?? ''
        } on ${this.component}`,
      },
    };
    let name = panel.name;
    for (let n = 2; this.rules.has(name); n++) {
      const other = this.rules.get(name)!;
      // The same bundle on two dashboards alerts once.
      if (other.expr === rule.expr && other.for === rule.for) return;
      name = `${panel.name}${n}`;
    }
    this.rules.set(name, { ...rule, alert: name });
  }

  sorted(): PrometheusAlertRule[] {
    return [...this.rules.values()].sort((a, b) => compare(a.alert, b.alert));
  }
}

/**
 * Generates the dashboards, alerting rules and alert routes of a
 * monitoring-info.yaml for the component described by `context`. Pure and
 * deterministic: the same input gives deep-equal output.
 *
 * @public
 */
export function generateMonitoring(
  info: MonitoringInfo,
  context: CatalogContext,
): MonitoringOutput {
  const team = context.component.owner;
  if (!ENTITY_NAME.test(team) || team.length > 63) {
    throw new Error(
      `catalog context owner ${JSON.stringify(team)} is not an entity name`,
    );
  }
  const severity = severityForTier(context.component.tier);
  const components = Object.keys(info.components).sort();
  // Database rows belong to the catalog component; if monitoring-info does
  // not name it, the first component stands in for it.
  const dbComponent = components.includes(context.component.name)
    ? context.component.name
    : components[0];
  const databases = [
    ...new Map(
      context.dependsOn
        .filter(r => r.type === 'database')
        .map(r => [r.name, r] as const),
    ).values(),
  ].sort((a, b) => compare(a.name, b.name));

  const dashboards: GeneratedDashboard[] = [];
  const groups: { name: string; rules: PrometheusAlertRule[] }[] = [];
  for (const component of components) {
    const rules = new AlertRules(
      component,
      team,
      context.component.tier,
      severity,
    );
    info.components[component].forEach((declaration, index) => {
      const sections = resolveDashboard(component, declaration, severity);
      if (component === dbComponent && index === 0) {
        for (const db of databases) {
          sections.push(
            bundleSection(component, BUNDLES.database, severity, {
              row: `Database ${db.name}${db.engine ? ` (${db.engine})` : ''}`,
              extra: { pool: db.name },
              instance: db.name,
            }),
          );
        }
      }
      const uid = dashboardUid(component, declaration.name);
      dashboards.push({
        uid,
        title: declaration.name,
        component,
        json: buildDashboard(
          declaration.name,
          uid,
          component,
          sections,
          context,
        ),
      });
      for (const panel of sections.flatMap(s => s.panels)) {
        rules.add(panel, uid);
      }
    });
    if (rules.size > 0) groups.push({ name: component, rules: rules.sorted() });
  }
  return {
    dashboards,
    prometheusRules: { groups },
    alertmanagerRoutes: alertmanagerConfig(team),
  };
}

function resolveDashboard(
  component: string,
  dashboard: DashboardDeclaration,
  severity: AlertSeverity,
): Section[] {
  const sections: Section[] = [];
  for (const panel of dashboard.panels) {
    if (panel.template === CUSTOM_METRIC_TEMPLATE) {
      const custom = panel as CustomMetricDeclaration;
      let last = sections[sections.length - 1];
      if (!last?.custom) {
        // A run of custom panels after a bundle gets its own row, else it
        // would look like part of the bundle's.
        last = { row: last ? CUSTOM_ROW : undefined, custom: true, panels: [] };
        sections.push(last);
      }
      last.panels.push(customPanel(component, custom, severity));
    } else {
      const bundle = findBundle(panel.template);
      if (!bundle?.declarable || !('type' in panel)) {
        throw new Error(
          `unknown panel template ${JSON.stringify(panel.template)}`,
        );
      }
      sections.push(
        bundleSection(component, bundle, severity, {
          row: bundle.title,
          excludeHealth: panel.exclude_hm === true,
          override: panel.override,
        }),
      );
    }
  }
  return sections;
}

function bundleSection(
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
 * its alert use the same expression, so the threshold line is what alerts.
 */
function customPanel(
  component: string,
  panel: CustomMetricDeclaration,
  severity: AlertSeverity,
): ResolvedPanel {
  const window = `${panel.window_value ?? CUSTOM_METRIC_DEFAULTS.window_value}${
    panel.window_unit ?? CUSTOM_METRIC_DEFAULTS.window_unit
  }`;
  const name = prometheusMetricName(panel.what);
  const counter = name.endsWith('_total') ? name : `${name}_total`;
  const { type, of } = panel.aggregation;
  const by = of.length > 0 ? ` by (${of.join(', ')})` : '';
  const expr = `${type}${by} (increase(${counter}{${componentSelector(
    component,
  )}}[${window}]))`;
  const threshold =
    panel.threshold !== undefined && panel.threshold_type
      ? { value: panel.threshold, operator: OPERATORS[panel.threshold_type] }
      : undefined;
  const action = panel.action ?? defaultAction(severity);
  const where = of.map(label => ` ${label} {{ $labels.${label} }}`).join(',');
  return {
    name: pascalCase(component, panel.title),
    title: panel.title,
    description: `${type}${by} of ${panel.what} over ${window}.`,
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
            } over the last ${window} is {{ $value | humanize }}${
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

function alertmanagerConfig(team: string): AlertmanagerConfig {
  const pagerduty = `${team}-pagerduty`;
  const slack = `${team}-slack`;
  const match = (label: string, value: string) =>
    `${label}="${escapeLabelValue(value)}"`;
  return {
    route: {
      receiver: DEFAULT_RECEIVER,
      group_by: ['alertname', 'component'],
      routes: [
        {
          matchers: [match('team', team)],
          receiver: slack,
          routes: [
            { matchers: [match('action', 'pagerduty')], receiver: pagerduty },
            { matchers: [match('action', 'slack')], receiver: slack },
            // Alerts written by hand carry no action: page on critical ones.
            { matchers: [match('severity', 'critical')], receiver: pagerduty },
          ],
        },
      ],
    },
    receivers: [
      { name: DEFAULT_RECEIVER },
      {
        name: pagerduty,
        pagerduty_configs: [
          {
            routing_key_file: `${ALERTMANAGER_SECRETS_DIR}/${pagerduty}`,
            send_resolved: true,
          },
        ],
      },
      {
        name: slack,
        slack_configs: [
          {
            api_url_file: `${ALERTMANAGER_SECRETS_DIR}/${slack}`,
            send_resolved: true,
          },
        ],
      },
    ],
  };
}

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };
const PANEL_WIDTH = 8;
const PANEL_HEIGHT = 8;

function buildDashboard(
  title: string,
  uid: string,
  component: string,
  sections: Section[],
  context: CatalogContext,
): Record<string, unknown> {
  const { owner, tier, system } = context.component;
  const tags = [
    'gitops',
    `component:${component}`,
    `owner:${owner}`,
    `tier:${tier}`,
    ...(system ? [`system:${system}`] : []),
  ].sort();
  const builder = new DashboardBuilder(title)
    .uid(uid)
    .description(
      `Generated from monitoring-info.yaml of ${component}; edits here are overwritten.`,
    )
    .tags(tags)
    .readonly()
    .timezone('browser')
    .time({ from: 'now-6h', to: 'now' })
    .refresh('1m')
    .annotations([])
    .withVariable(
      new DatasourceVariableBuilder('datasource')
        .label('Data source')
        .type('prometheus'),
    );
  let id = 0;
  // The builder lays panels out left to right, PANEL_WIDTH wide, starting
  // a new line when 24 columns are full and below every row.
  for (const section of sections) {
    if (section.row) builder.withRow(new RowBuilder(section.row).id(++id));
    for (const panel of section.panels) {
      builder.withPanel(timeseries(panel, ++id));
    }
  }
  // Through JSON, so the result is plain data without undefined values.
  return JSON.parse(JSON.stringify(builder.build()));
}

function timeseries(panel: ResolvedPanel, id: number): PanelBuilder {
  const builder = new PanelBuilder()
    .id(id)
    .title(panel.title)
    .description(panel.description)
    .datasource(DATASOURCE)
    .unit(panel.unit)
    .span(PANEL_WIDTH)
    .height(PANEL_HEIGHT)
    .legend(
      new VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(LegendDisplayMode.List)
        .placement(LegendPlacement.Bottom)
        .calcs([]),
    )
    .withTarget(
      new DataqueryBuilder()
        .refId('A')
        .datasource(DATASOURCE)
        .expr(panel.expr)
        .legendFormat(panel.legend || panel.title),
    );
  if (panel.threshold) {
    const above = panel.threshold.operator.startsWith('>');
    builder
      .thresholds(
        new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps([
          { value: null, color: above ? 'green' : 'red' },
          { value: panel.threshold.value, color: above ? 'red' : 'green' },
        ]),
      )
      .thresholdsStyle(
        new GraphThresholdsStyleConfigBuilder().mode(
          GraphThresholdsStyleMode.Line,
        ),
      );
  }
  return builder;
}

/**
 * A stable Grafana uid: the title as a DNS-safe slug, cut to leave room for
 * an 8-hex-digit hash of component and title (the hash keeps two services'
 * "Dashboard" apart), 40 characters at most.
 *
 * @public
 */
export function dashboardUid(component: string, title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 31)
    .replace(/-+$/, '');
  const hash = fnv1a(`${component}\n${title}`);
  return slug ? `${slug}-${hash}` : `dashboard-${hash}`;
}

/** FNV-1a, 32 bits, as 8 hex digits: short, stable, no crypto needed. */
function fnv1a(input: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(input)) {
    hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
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
