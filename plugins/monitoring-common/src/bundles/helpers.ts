import {
  componentSelector,
  Duration,
  METRIC_LABELS,
} from '@gitops/descriptors-common';
import { BundleQueryContext, BundleSetting } from './types';

/**
 * Range of every `rate()` in bundle queries, and how long a bundle alert's
 * condition must hold (`for`).
 *
 * @public
 */
export const BUNDLE_WINDOW: Duration = Duration.minutes(5);

/**
 * The gRPC health-checking service, dropped from server queries by
 * `exclude_hm: true`. (Prometheus scrapes `/metrics` over HTTP, so it never
 * shows up in gRPC series.)
 *
 * @public
 */
export const GRPC_HEALTH_SERVICE = 'grpc.health.v1.Health';

/** The pod label, which per-pod panels group by. */
export const POD = METRIC_LABELS.pod;

/** A panel's `alert` setting, on or off by default. */
export const alertSetting = (enabled: boolean): BundleSetting => ({
  kind: 'boolean',
  default: enabled,
  description: 'Whether the threshold raises an alert.',
});

/** An error-ratio panel's setting and threshold: red and alerting above 5%. */
export const errorRatioThreshold = {
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

/** `rate(<series>{<selector>}[5m])`. */
export const rate = (series: string, selector: string) =>
  `rate(${series}{${selector}}[${BUNDLE_WINDOW.toString()}])`;

/** The 99th percentile of a histogram, in milliseconds. */
export const p99Ms = (bucket: string, by: string, selector: string) =>
  `histogram_quantile(0.99, sum by (${by}) (${rate(bucket, selector)})) * 1000`;

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
