import { componentSelector, METRIC_LABELS } from '@gitops/descriptors-common';

/**
 * How a bundle setting is checked, and in which unit its value is written.
 *
 * @public
 */
export type BundleSettingKind = 'milliseconds' | 'ratio' | 'count' | 'boolean';

/**
 * A value of a bundle panel that `override` may change.
 *
 * @public
 */
export interface BundleSetting {
  readonly kind: BundleSettingKind;
  /** Value used when the panel is not overridden. */
  readonly default: number | boolean;
  readonly description: string;
}

/** PromQL comparison operators used by thresholds. @public */
export type ThresholdOperator = '>' | '<' | '>=' | '<=';

/**
 * What a bundle panel's query may select: the component's series, narrowed
 * by more matchers.
 *
 * @public
 */
export interface BundleQueryContext {
  /**
   * Label matchers (without braces) of the component's series plus `extra`,
   * written by `componentSelector` so every package queries the same series.
   */
  readonly select: (extra?: Readonly<Record<string, string>>) => string;
  /**
   * Same for series of traffic the component serves: also drops health-check
   * calls when the bundle is declared with `exclude_hm: true`.
   */
  readonly selectServed: (extra?: Readonly<Record<string, string>>) => string;
}

/**
 * One panel of a bundle: a time series with its query, unit and, when it
 * has a threshold, an alert.
 *
 * @public
 */
export interface BundlePanel {
  /** Stable id used by `override`, e.g. `grpc/server/rpc-latency`. */
  readonly id: string;
  readonly title: string;
  /** What the panel shows; also the alert description. */
  readonly description: string;
  /** Grafana unit id, e.g. `ms`, `reqps`, `percentunit`. */
  readonly unit: string;
  /** Grafana legend format. */
  readonly legend: string;
  /** The PromQL query of the panel, in the unit of `unit`. */
  readonly query: (q: BundleQueryContext) => string;
  /** Settings `override` may change, with their defaults. */
  readonly settings: Readonly<Record<string, BundleSetting>>;
  /**
   * The setting drawn as the panel's threshold line and compared by its
   * alert (`<query> <operator> <setting>`). The alert exists while the
   * panel's `alert` setting is true.
   */
  readonly threshold?: {
    readonly setting: string;
    readonly operator: ThresholdOperator;
  };
}

/**
 * A named set of panels, drawn as one dashboard row.
 *
 * @public
 */
export interface Bundle {
  readonly name: string;
  /** Row title. */
  readonly title: string;
  readonly description: string;
  /** Whether `template: <name>` may be written in monitoring-info.yaml. */
  readonly declarable: boolean;
  /** Whether `exclude_hm` applies: the bundle measures traffic it serves. */
  readonly servesTraffic: boolean;
  readonly panels: ReadonlyArray<BundlePanel>;
}

/** Range of every `rate()` in bundle queries, and how long an alert must hold. @public */
export const BUNDLE_WINDOW = '5m';

/**
 * The gRPC health-checking service, dropped from server queries by
 * `exclude_hm: true`. (Prometheus scrapes `/metrics` over HTTP, so it never
 * shows up in gRPC series.)
 *
 * @public
 */
export const GRPC_HEALTH_SERVICE = 'grpc.health.v1.Health';

/**
 * gRPC codes that count as server errors. Codes a caller causes
 * (`NotFound`, `InvalidArgument`, ...) are left out so they do not page.
 *
 * @public
 */
export const GRPC_SERVER_ERROR_CODES = Object.freeze([
  'Unknown',
  'DeadlineExceeded',
  'Unimplemented',
  'Internal',
  'Unavailable',
  'DataLoss',
]);

const POD = METRIC_LABELS.pod;
const alertSetting = (enabled: boolean): BundleSetting => ({
  kind: 'boolean',
  default: enabled,
  description: 'Whether the threshold raises an alert.',
});
/** An error-ratio panel's setting and threshold: red and alerting above 5%. */
const errorRatioThreshold = {
  settings: {
    threshold_ratio: {
      kind: 'ratio',
      default: 0.05,
      description: 'Error ratio (0 to 1) above which the panel turns red.',
    },
    alert: alertSetting(true),
  },
  threshold: { setting: 'threshold_ratio', operator: '>' },
} as const;
const rate = (series: string, selector: string) =>
  `rate(${series}{${selector}}[${BUNDLE_WINDOW}])`;
const p99Ms = (bucket: string, by: string, selector: string) =>
  `histogram_quantile(0.99, sum by (${by}) (${rate(bucket, selector)})) * 1000`;

const javaBackend: Bundle = {
  name: 'javaBackend',
  title: 'gRPC server and JVM',
  description:
    'A Java gRPC service instrumented with java-grpc-prometheus and Micrometer JVM metrics.',
  declarable: true,
  servesTraffic: true,
  panels: [
    {
      id: 'grpc/server/request-rate',
      title: 'gRPC request rate',
      description: 'Calls handled per second, by method.',
      unit: 'reqps',
      legend: '{{grpc_method}}',
      query: q =>
        `sum by (grpc_method) (${rate(
          'grpc_server_handled_total',
          q.selectServed(),
        )})`,
      settings: {},
    },
    {
      id: 'grpc/server/rpc-error-ratio',
      title: 'gRPC error ratio',
      description: `Share of calls ending with a server error code (${GRPC_SERVER_ERROR_CODES.join(
        ', ',
      )}).`,
      unit: 'percentunit',
      legend: 'errors',
      query: q =>
        `sum(${rate(
          'grpc_server_handled_total',
          q.selectServed({
            grpc_code: `=~${GRPC_SERVER_ERROR_CODES.join('|')}`,
          }),
        )}) / sum(${rate('grpc_server_handled_total', q.selectServed())})`,
      ...errorRatioThreshold,
    },
    {
      id: 'grpc/server/rpc-latency',
      title: 'gRPC latency p99',
      description: '99th percentile of the time to handle a call.',
      unit: 'ms',
      legend: 'p99',
      query: q =>
        p99Ms('grpc_server_handling_seconds_bucket', 'le', q.selectServed()),
      settings: {
        threshold_ms: {
          kind: 'milliseconds',
          default: 1000,
          description: 'p99 latency above which the panel turns red.',
        },
        alert: alertSetting(true),
      },
      threshold: { setting: 'threshold_ms', operator: '>' },
    },
    {
      id: 'jvm/heap',
      title: 'JVM heap used',
      description: 'Heap memory in use, by pod.',
      unit: 'bytes',
      legend: `{{${POD}}}`,
      query: q =>
        `sum by (${POD}) (jvm_memory_used_bytes{${q.select({
          area: 'heap',
        })}})`,
      settings: {},
    },
    {
      id: 'jvm/gc-pause',
      title: 'JVM GC pause time',
      description: 'Share of time spent in garbage-collection pauses, by pod.',
      unit: 'percentunit',
      legend: `{{${POD}}}`,
      query: q =>
        `sum by (${POD}) (${rate('jvm_gc_pause_seconds_sum', q.select())})`,
      settings: {
        threshold_ratio: {
          kind: 'ratio',
          default: 0.1,
          description: 'Share of time paused above which the panel turns red.',
        },
        alert: alertSetting(false),
      },
      threshold: { setting: 'threshold_ratio', operator: '>' },
    },
    {
      id: 'jvm/threads',
      title: 'JVM live threads',
      description: 'Live threads, by pod.',
      unit: 'short',
      legend: `{{${POD}}}`,
      query: q => `sum by (${POD}) (jvm_threads_live_threads{${q.select()}})`,
      settings: {},
    },
  ],
};

const HTTP_CLIENT = 'http_client_requests_seconds';
const httpClient: Bundle = {
  name: 'http-client',
  title: 'Outgoing HTTP calls',
  description:
    'Calls the component makes over HTTP, as Micrometer records them (`http.client.requests`), by target `client_name`.',
  declarable: true,
  servesTraffic: false,
  panels: [
    {
      id: 'http/client/request-rate',
      title: 'HTTP client request rate',
      description: 'Outgoing requests per second, by target host.',
      unit: 'reqps',
      legend: '{{client_name}}',
      query: q =>
        `sum by (client_name) (${rate(`${HTTP_CLIENT}_count`, q.select())})`,
      settings: {},
    },
    {
      id: 'http/client/error-ratio',
      title: 'HTTP client error ratio',
      description:
        'Share of outgoing requests answered with a 5xx or failing without an answer (outcome SERVER_ERROR or UNKNOWN), by target host.',
      unit: 'percentunit',
      legend: '{{client_name}}',
      query: q =>
        `sum by (client_name) (${rate(
          `${HTTP_CLIENT}_count`,
          q.select({ outcome: '=~SERVER_ERROR|UNKNOWN' }),
        )}) / sum by (client_name) (${rate(
          `${HTTP_CLIENT}_count`,
          q.select(),
        )})`,
      ...errorRatioThreshold,
    },
    {
      id: 'http/client/latency',
      title: 'HTTP client latency p99',
      description:
        '99th percentile of the duration of outgoing requests, by target host.',
      unit: 'ms',
      legend: '{{client_name}}',
      query: q => p99Ms(`${HTTP_CLIENT}_bucket`, 'le, client_name', q.select()),
      settings: {
        threshold_ms: {
          kind: 'milliseconds',
          default: 1000,
          description: 'p99 latency above which the panel turns red.',
        },
        // Slow dependencies are their owners' page; ours only when asked.
        alert: alertSetting(false),
      },
      threshold: { setting: 'threshold_ms', operator: '>' },
    },
  ],
};

const HIKARI = 'hikaricp_connections';
const database: Bundle = {
  name: 'database',
  title: 'Database',
  description:
    'The HikariCP connection pool of one database the component depends on. Added for every `dependsOn` resource of type `database`; the pool must be named after the resource (`spring.datasource.hikari.pool-name`).',
  declarable: false,
  servesTraffic: false,
  panels: [
    {
      id: 'database/connections-active',
      title: 'Active connections',
      description: 'Connections in use, by pod.',
      unit: 'short',
      legend: `{{${POD}}}`,
      query: q => `sum by (${POD}) (${HIKARI}_active{${q.select()}})`,
      settings: {},
    },
    {
      id: 'database/connections-pending',
      title: 'Threads waiting for a connection',
      description:
        'Threads waiting for a free connection, by pod: the pool is exhausted.',
      unit: 'short',
      legend: `{{${POD}}}`,
      query: q => `sum by (${POD}) (${HIKARI}_pending{${q.select()}})`,
      settings: {
        threshold_count: {
          kind: 'count',
          default: 5,
          description: 'Waiting threads above which the panel turns red.',
        },
        alert: alertSetting(true),
      },
      threshold: { setting: 'threshold_count', operator: '>' },
    },
    {
      id: 'database/connection-usage',
      title: 'Connection usage time',
      description:
        'Average time a connection is held per borrow, i.e. queries and transactions.',
      unit: 'ms',
      legend: 'average',
      query: q =>
        `sum(${rate(`${HIKARI}_usage_seconds_sum`, q.select())}) / sum(${rate(
          `${HIKARI}_usage_seconds_count`,
          q.select(),
        )}) * 1000`,
      settings: {
        threshold_ms: {
          kind: 'milliseconds',
          default: 500,
          description: 'Average usage time above which the panel turns red.',
        },
        alert: alertSetting(false),
      },
      threshold: { setting: 'threshold_ms', operator: '>' },
    },
  ],
};

/**
 * The bundle library, by name.
 *
 * @public
 */
export const BUNDLES: Readonly<Record<string, Bundle>> = Object.freeze({
  javaBackend,
  'http-client': httpClient,
  database,
});

/** Names a panel's `template` may take to include a bundle. @public */
export const DECLARABLE_BUNDLES = Object.freeze(
  Object.values(BUNDLES)
    .filter(b => b.declarable)
    .map(b => b.name),
);

/** The bundle of a name, own properties only (`toString` is not a bundle). @public */
export function findBundle(name: string): Bundle | undefined {
  return Object.hasOwn(BUNDLES, name) ? BUNDLES[name] : undefined;
}

/**
 * The settings of a bundle panel: its defaults, overridden by `override`.
 *
 * @public
 */
export function panelSettings(
  panel: BundlePanel,
  override: Readonly<Record<string, number | boolean>> = {},
): Record<string, number | boolean> {
  const settings: Record<string, number | boolean> = {};
  for (const [key, setting] of Object.entries(panel.settings)) {
    settings[key] = Object.hasOwn(override, key)
      ? override[key]
      : setting.default;
  }
  return settings;
}

/**
 * The query context of a component's bundle: `extra` matchers apply to
 * every series (e.g. a database's pool), `excludeHealth` to served ones.
 *
 * @public
 */
export function bundleQueryContext(
  component: string,
  options: {
    readonly excludeHealth?: boolean;
    readonly extra?: Readonly<Record<string, string>>;
  } = {},
): BundleQueryContext {
  const select = (extra: Readonly<Record<string, string>> = {}) =>
    componentSelector(component, { ...options.extra, ...extra });
  return {
    select,
    selectServed: (extra = {}) =>
      select(
        options.excludeHealth
          ? { grpc_service: `!=${GRPC_HEALTH_SERVICE}`, ...extra }
          : extra,
      ),
  };
}
