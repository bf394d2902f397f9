import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * The few Prometheus metrics the suite reads from a Node service, written in
 * the text exposition format without a client library:
 *
 * - `http_server_requests_seconds` (histogram by method, uri, status): the
 *   canary's success rate and p99 latency;
 * - `http_server_errors_total` (5xx answers): the dashboard's error panel;
 * - `nodejs_eventloop_lag_p99_seconds`: the canary's event loop check.
 */
export class Metrics {
  static readonly BUCKETS = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
  ];

  private readonly requests = new Map<
    string,
    { labels: string; buckets: number[]; sum: number; count: number }
  >();
  private errors = 0;
  private readonly loop = monitorEventLoopDelay({ resolution: 20 });

  constructor() {
    this.loop.enable();
  }

  /** Records one answered request; `uri` is the route, not the raw path. */
  observe(method: string, uri: string, status: number, seconds: number) {
    const labels = `method="${escape(method)}",uri="${escape(
      uri,
    )}",status="${status}"`;
    let series = this.requests.get(labels);
    if (!series) {
      series = {
        labels,
        buckets: Metrics.BUCKETS.map(() => 0),
        sum: 0,
        count: 0,
      };
      this.requests.set(labels, series);
    }
    Metrics.BUCKETS.forEach((le, i) => {
      if (seconds <= le) series!.buckets[i] += 1;
    });
    series.sum += seconds;
    series.count += 1;
    if (status >= 500) this.errors += 1;
  }

  /** The exposition text served on /metrics. */
  render(): string {
    const lines = [
      '# HELP http_server_requests_seconds Duration of answered HTTP requests.',
      '# TYPE http_server_requests_seconds histogram',
    ];
    for (const s of [...this.requests.values()].sort((a, b) =>
      a.labels.localeCompare(b.labels),
    )) {
      Metrics.BUCKETS.forEach((le, i) =>
        lines.push(
          `http_server_requests_seconds_bucket{${s.labels},le="${le}"} ${s.buckets[i]}`,
        ),
      );
      lines.push(
        `http_server_requests_seconds_bucket{${s.labels},le="+Inf"} ${s.count}`,
        `http_server_requests_seconds_sum{${s.labels}} ${s.sum}`,
        `http_server_requests_seconds_count{${s.labels}} ${s.count}`,
      );
    }
    const lag = this.loop.count > 0 ? this.loop.percentile(99) / 1e9 : 0;
    lines.push(
      '# HELP http_server_errors_total HTTP requests answered with a 5xx status.',
      '# TYPE http_server_errors_total counter',
      `http_server_errors_total ${this.errors}`,
      '# HELP nodejs_eventloop_lag_p99_seconds 99th percentile of the event loop delay.',
      '# TYPE nodejs_eventloop_lag_p99_seconds gauge',
      `nodejs_eventloop_lag_p99_seconds ${lag}`,
    );
    return `${lines.join('\n')}\n`;
  }

  /** Stops sampling the event loop. */
  close() {
    this.loop.disable();
  }
}

function escape(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n');
}
