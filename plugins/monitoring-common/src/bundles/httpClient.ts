import { alertSetting, errorRatioThreshold, p99Ms, rate } from './helpers';
import { Bundle } from './types';

const HTTP_CLIENT = 'http_client_requests_seconds';

/**
 * `http-client`: the calls a component makes over HTTP, as Micrometer
 * records them, by target.
 */
export const httpClient: Bundle = {
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
