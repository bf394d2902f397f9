import {
  componentSelector,
  Duration,
  grpcServerErrorMatcher,
  httpServerErrorMatcher,
  METRIC_LABELS,
  ServiceTier,
  toDnsLabel,
} from '@gitops/descriptors-common';
import type { KubernetesObject } from './kubernetes';
import type { AnalysisTemplateName } from './schema';

/**
 * How strict a canary analysis is, by service tier (1 the most critical).
 *
 * @public
 */
export interface CanaryStrictness {
  /** Lowest accepted share of successful requests, 0 to 1. */
  readonly successRate: number;
  /** Highest accepted 99th percentile latency, in seconds. */
  readonly latencyP99Seconds: number;
  /** Highest accepted 99th percentile Node.js event loop lag, in seconds. */
  readonly eventLoopLagP99Seconds: number;
  /** Time between two measurements. */
  readonly interval: Duration;
  /** Measurements per metric; the analysis lasts `count` × `interval`. */
  readonly count: number;
  /** Failed measurements tolerated per metric before the rollout aborts. */
  readonly failureLimit: number;
}

/**
 * The strictness table. Tier 1 needs three nines over ten minutes and aborts
 * on the first bad measurement; tier 4 accepts two nines over five minutes
 * and tolerates two bad measurements.
 *
 * @public
 */
export const CANARY_STRICTNESS: Readonly<
  Record<ServiceTier, CanaryStrictness>
> = Object.freeze({
  1: {
    successRate: 0.999,
    latencyP99Seconds: 0.25,
    eventLoopLagP99Seconds: 0.05,
    interval: Duration.minutes(1),
    count: 10,
    failureLimit: 0,
  },
  2: {
    successRate: 0.998,
    latencyP99Seconds: 0.5,
    eventLoopLagP99Seconds: 0.1,
    interval: Duration.minutes(1),
    count: 8,
    failureLimit: 1,
  },
  3: {
    successRate: 0.995,
    latencyP99Seconds: 1,
    eventLoopLagP99Seconds: 0.2,
    interval: Duration.minutes(1),
    count: 6,
    failureLimit: 1,
  },
  4: {
    successRate: 0.99,
    latencyP99Seconds: 2,
    eventLoopLagP99Seconds: 0.5,
    interval: Duration.minutes(1),
    count: 5,
    failureLimit: 2,
  },
});

/**
 * The Prometheus the analysis queries unless told otherwise: the usual
 * in-cluster service of the `monitoring` namespace.
 *
 * @public
 */
export const DEFAULT_PROMETHEUS_ADDRESS = 'http://prometheus.monitoring:9090';

/**
 * The arguments of every library template. The Rollout passes the first two;
 * the address has the rendered default.
 *
 * @public
 */
export const ANALYSIS_ARGS = Object.freeze({
  serviceName: 'service-name',
  namespace: 'namespace',
  prometheusAddress: 'prometheus-address',
});

/** The rate window: four scrapes at the usual 30s, two measurement intervals. */
const WINDOW = Duration.minutes(2);

const arg = (name: string) => `{{args.${name}}}`;

/** The component's series, with the same matchers as the dashboards. */
function selector(extra: Record<string, string> = {}): string {
  return componentSelector(arg(ANALYSIS_ARGS.serviceName), {
    [METRIC_LABELS.namespace]: arg(ANALYSIS_ARGS.namespace),
    ...extra,
  });
}

/**
 * One metric of a library template: a PromQL query and the bound its sample
 * must respect.
 *
 * @public
 */
export interface AnalysisMetric {
  /** Metric name in the AnalysisRun, e.g. `success-rate`. */
  readonly name: string;
  /** The PromQL, with `{{args.*}}` placeholders Argo Rollouts fills in. */
  readonly query: string;
  readonly bound: '>=' | '<=';
  /** The bound's value for a tier's strictness. */
  readonly threshold: (strictness: CanaryStrictness) => number;
}

function successRate(
  metric: string,
  okMatcher: Record<string, string>,
): AnalysisMetric {
  return {
    name: 'success-rate',
    query: `sum(rate(${metric}{${selector(
      okMatcher,
    )}}[${WINDOW.toString()}])) / sum(rate(${metric}{${selector()}}[${WINDOW.toString()}]))`,
    bound: '>=',
    threshold: s => s.successRate,
  };
}

function latencyP99(bucket: string): AnalysisMetric {
  return {
    name: 'latency-p99',
    query: `histogram_quantile(0.99, sum by (le) (rate(${bucket}{${selector()}}[${WINDOW.toString()}])))`,
    bound: '<=',
    threshold: s => s.latencyP99Seconds,
  };
}

const HTTP_METRICS: ReadonlyArray<AnalysisMetric> = [
  successRate(
    'http_server_requests_seconds_count',
    httpServerErrorMatcher('others'),
  ),
  latencyP99('http_server_requests_seconds_bucket'),
];

/**
 * The library: what each template measures. Every query selects the
 * component's series with `componentSelector`, as the monitoring dashboards
 * do.
 *
 * @public
 */
export const ANALYSIS_LIBRARY: Readonly<
  Record<
    AnalysisTemplateName,
    {
      readonly description: string;
      readonly metrics: ReadonlyArray<AnalysisMetric>;
    }
  >
> = Object.freeze({
  javaBackend: {
    description:
      'gRPC server success rate and p99 latency (grpc_server_handled_total, grpc_server_handling_seconds)',
    metrics: [
      // Client errors (NotFound, InvalidArgument, ...) are not the
      // service's fault: the same codes as the dashboards' error ratio.
      successRate(
        'grpc_server_handled_total',
        grpcServerErrorMatcher('others'),
      ),
      latencyP99('grpc_server_handling_seconds_bucket'),
    ],
  },
  httpService: {
    description:
      'HTTP server success rate (non-5xx) and p99 latency (http_server_requests_seconds)',
    metrics: HTTP_METRICS,
  },
  nodeService: {
    description:
      'httpService plus the p99 Node.js event loop lag (nodejs_eventloop_lag_p99_seconds)',
    metrics: [
      ...HTTP_METRICS,
      {
        name: 'event-loop-lag-p99',
        query: `max(nodejs_eventloop_lag_p99_seconds{${selector()}})`,
        bound: '<=',
        threshold: s => s.eventLoopLagP99Seconds,
      },
    ],
  },
});

/** @public */
export interface AnalysisTemplateOptions {
  /** Namespace of the template: the component's. */
  readonly namespace: string;
  /** Service tier, which sets the strictness. */
  readonly tier: ServiceTier;
  /**
   * Default of the `prometheus-address` argument.
   * @defaultValue DEFAULT_PROMETHEUS_ADDRESS
   */
  readonly prometheusAddress?: string;
}

/**
 * The Kubernetes name of a library template: its name in kebab case
 * (`javaBackend` → `java-backend`), since object names must be lowercase DNS
 * labels.
 *
 * @public
 */
export function analysisTemplateObjectName(name: AnalysisTemplateName): string {
  return toDnsLabel(camelCaseWords(name));
}

/** `javaBackend` → `java Backend`: word boundaries toDnsLabel turns into `-`. */
function camelCaseWords(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2');
}

/**
 * Builds the Argo Rollouts `AnalysisTemplate` of a library template for a
 * namespace and tier.
 *
 * A measurement succeeds when Prometheus returns no sample or NaN (no
 * traffic: nothing to judge) or when the sample respects the tier's bound.
 *
 * @public
 */
export function buildAnalysisTemplate(
  name: AnalysisTemplateName,
  options: AnalysisTemplateOptions,
): KubernetesObject {
  const strictness = CANARY_STRICTNESS[options.tier];
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: {
      name: analysisTemplateObjectName(name),
      namespace: options.namespace,
      annotations: {
        'gitops.io/analysis-template': name,
        'gitops.io/service-tier': String(options.tier),
      },
    },
    spec: {
      args: [
        { name: ANALYSIS_ARGS.namespace },
        {
          name: ANALYSIS_ARGS.prometheusAddress,
          value: options.prometheusAddress ?? DEFAULT_PROMETHEUS_ADDRESS,
        },
        { name: ANALYSIS_ARGS.serviceName },
      ],
      metrics: ANALYSIS_LIBRARY[name].metrics.map(metric => ({
        name: metric.name,
        interval: strictness.interval.toString(),
        count: strictness.count,
        failureLimit: strictness.failureLimit,
        successCondition: `len(result) == 0 || isNaN(result[0]) || result[0] ${
          metric.bound
        } ${metric.threshold(strictness)}`,
        provider: {
          prometheus: {
            address: arg(ANALYSIS_ARGS.prometheusAddress),
            query: metric.query,
          },
        },
      })),
    },
  };
}
