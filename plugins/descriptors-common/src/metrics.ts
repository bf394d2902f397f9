/**
 * Metric conventions shared by the generators, so the canary analysis
 * (deployments), the dashboards and the alerts (monitoring) query the same
 * series.
 *
 * Every series of a component carries `app="<component>"` (the pod label
 * `app`, copied by the usual Prometheus Kubernetes relabelling) and
 * `namespace="<component>"` (namespace per component).
 *
 * @public
 */
export const METRIC_LABELS = Object.freeze({
  component: 'app',
  namespace: 'namespace',
  pod: 'pod',
});

/**
 * PromQL label matchers selecting a component's series, e.g.
 * `app="example-app"` or `app="example-app",grpc_code!="OK"`.
 *
 * @public
 */
export function componentSelector(
  component: string,
  extra: Readonly<Record<string, string>> = {},
): string {
  const matchers = [
    `${METRIC_LABELS.component}="${escapeLabelValue(component)}"`,
  ];
  for (const [key, value] of Object.entries(extra)) {
    // A value starting with an operator (!=, =~, !~) keeps it.
    const m = /^(!=|=~|!~)(.*)$/s.exec(value);
    matchers.push(
      m
        ? `${key}${m[1]}"${escapeLabelValue(m[2])}"`
        : `${key}="${escapeLabelValue(value)}"`,
    );
  }
  return matchers.join(',');
}

/** Escapes a PromQL label value for a double-quoted string. @public */
export function escapeLabelValue(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n');
}

/**
 * The Prometheus metric name for a dotted metric name as monitoring-info
 * writes it (`hydrate.exception` → `hydrate_exception`).
 *
 * @public
 */
export function prometheusMetricName(what: string): string {
  const name = what.replace(/[^a-zA-Z0-9_:]/g, '_');
  return /^[a-zA-Z_:]/.test(name) ? name : `_${name}`;
}

/**
 * gRPC status codes that count as the server's failure, for canary analysis
 * and dashboards alike. Codes a caller causes (`NotFound`,
 * `InvalidArgument`, ...) are left out so that they neither page nor fail a
 * canary.
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
] as const);

/**
 * The label matchers of a component's series that ended in a gRPC server
 * error (`grpc_code=~"Unknown|..."`) or in anything else (`!~`), as
 * {@link componentSelector} extras.
 *
 * @public
 */
export function grpcServerErrorMatcher(
  match: 'errors' | 'others',
): Record<string, string> {
  const codes = GRPC_SERVER_ERROR_CODES.join('|');
  return { grpc_code: `${match === 'errors' ? '=~' : '!~'}${codes}` };
}

/**
 * The label matchers of HTTP server requests that ended in a server error
 * (5xx) or in anything else.
 *
 * @public
 */
export function httpServerErrorMatcher(
  match: 'errors' | 'others',
): Record<string, string> {
  return { status: `${match === 'errors' ? '=~' : '!~'}5..` };
}
