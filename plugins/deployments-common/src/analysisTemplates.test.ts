import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  analysisTemplateObjectName,
  buildAnalysisTemplate,
  CANARY_STRICTNESS,
} from './analysisTemplates';
import { ANALYSIS_TEMPLATE_NAMES, AnalysisTemplateName } from './schema';

interface Metric {
  name: string;
  count: number;
  failureLimit: number;
  successCondition: string;
  provider: { prometheus: { address: string; query: string } };
}

function metricsOf(name: AnalysisTemplateName, tier: 1 | 2 | 3 | 4 = 4) {
  const template = buildAnalysisTemplate(name, {
    namespace: 'example-app',
    tier,
  });
  return (template.spec as { metrics: Metric[] }).metrics;
}

/** What Argo Rollouts does with the Rollout's args before querying. */
function resolveArgs(query: string): string {
  return query
    .replaceAll('{{args.service-name}}', 'example-app')
    .replaceAll('{{args.namespace}}', 'example-app');
}

function hasPromtool(): boolean {
  try {
    execFileSync('promtool', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('the analysis template library', () => {
  it('names templates as Kubernetes objects must be named', () => {
    expect(ANALYSIS_TEMPLATE_NAMES.map(analysisTemplateObjectName)).toEqual([
      'http-service',
      'java-backend',
      'node-service',
    ]);
  });

  it('gets stricter with every tier up', () => {
    for (const tier of [1, 2, 3] as const) {
      const stricter = CANARY_STRICTNESS[tier];
      const looser = CANARY_STRICTNESS[(tier + 1) as 2 | 3 | 4];
      expect(stricter.successRate).toBeGreaterThan(looser.successRate);
      expect(stricter.latencyP99Seconds).toBeLessThan(looser.latencyP99Seconds);
      expect(stricter.count).toBeGreaterThanOrEqual(looser.count);
      expect(stricter.failureLimit).toBeLessThanOrEqual(looser.failureLimit);
    }
  });

  it('takes the Prometheus address from an argument with a default', () => {
    const template = buildAnalysisTemplate('nodeService', {
      namespace: 'web',
      tier: 2,
      prometheusAddress: 'http://thanos-query.monitoring:9090',
    });
    expect((template.spec as any).args).toContainEqual({
      name: 'prometheus-address',
      value: 'http://thanos-query.monitoring:9090',
    });
    expect(
      metricsOf('nodeService').map(m => m.provider.prometheus.address),
    ).toEqual([
      '{{args.prometheus-address}}',
      '{{args.prometheus-address}}',
      '{{args.prometheus-address}}',
    ]);
  });

  it('measures gRPC for javaBackend, HTTP for httpService, HTTP and the event loop for nodeService', () => {
    expect(metricsOf('javaBackend').map(m => m.name)).toEqual([
      'success-rate',
      'latency-p99',
    ]);
    expect(metricsOf('httpService').map(m => m.name)).toEqual([
      'success-rate',
      'latency-p99',
    ]);
    expect(metricsOf('nodeService').map(m => m.name)).toEqual([
      'success-rate',
      'latency-p99',
      'event-loop-lag-p99',
    ]);
  });
});

/*
 * The queries run in Prometheus's own engine (promtool test rules) over
 * synthetic series: the success rate ignores client errors and other
 * services, the latency is the p99 of the component's histogram.
 */
const promtool = hasPromtool();
// Never a silent skip under CI: there a missing promtool fails the test.
(promtool || process.env.CI ? describe : describe.skip)(
  'the library queries in promtool',
  () => {
    const ours = 'app="example-app",namespace="example-app"';
    const theirs = 'app="other-app",namespace="other-app"';

    it('computes what the analysis judges', () => {
      if (!promtool) {
        throw new Error(
          'promtool is not installed: `npm test` installs the Debian package prometheus',
        );
      }
      const query = (name: AnalysisTemplateName, metric: string) =>
        `round(${resolveArgs(
          metricsOf(name).find(m => m.name === metric)!.provider.prometheus
            .query,
        )}, 0.0001)`;
      const tests = {
        rule_files: [],
        evaluation_interval: '1m',
        tests: [
          {
            interval: '1m',
            input_series: [
              // gRPC: 2/s OK, 1/s NotFound (the caller's fault), 1/s Internal.
              {
                series: `grpc_server_handled_total{${ours},grpc_code="OK"}`,
                values: '0+120x10',
              },
              {
                series: `grpc_server_handled_total{${ours},grpc_code="NotFound"}`,
                values: '0+60x10',
              },
              {
                series: `grpc_server_handled_total{${ours},grpc_code="Internal"}`,
                values: '0+60x10',
              },
              {
                series: `grpc_server_handled_total{${theirs},grpc_code="Internal"}`,
                values: '0+600x10',
              },
              // Half the gRPC calls within 50ms, all within 500ms.
              {
                series: `grpc_server_handling_seconds_bucket{${ours},le="0.05"}`,
                values: '0+120x10',
              },
              {
                series: `grpc_server_handling_seconds_bucket{${ours},le="0.5"}`,
                values: '0+240x10',
              },
              {
                series: `grpc_server_handling_seconds_bucket{${ours},le="+Inf"}`,
                values: '0+240x10',
              },
              {
                series: `grpc_server_handling_seconds_bucket{${theirs},le="+Inf"}`,
                values: '0+600x10',
              },
              // HTTP: 9/s 200, 1/s 404, 0.5/s 503 (the 404 is a success).
              {
                series: `http_server_requests_seconds_count{${ours},status="200"}`,
                values: '0+540x10',
              },
              {
                series: `http_server_requests_seconds_count{${ours},status="404"}`,
                values: '0+60x10',
              },
              {
                series: `http_server_requests_seconds_count{${ours},status="503"}`,
                values: '0+30x10',
              },
              {
                series: `http_server_requests_seconds_count{${theirs},status="500"}`,
                values: '0+600x10',
              },
              {
                series: `http_server_requests_seconds_bucket{${ours},le="0.1"}`,
                values: '0+300x10',
              },
              {
                series: `http_server_requests_seconds_bucket{${ours},le="1"}`,
                values: '0+630x10',
              },
              {
                series: `http_server_requests_seconds_bucket{${ours},le="+Inf"}`,
                values: '0+630x10',
              },
              {
                series: `nodejs_eventloop_lag_p99_seconds{${ours},pod="web-1"}`,
                values: '0.02x10',
              },
              {
                series: `nodejs_eventloop_lag_p99_seconds{${ours},pod="web-2"}`,
                values: '0.08x10',
              },
              {
                series: `nodejs_eventloop_lag_p99_seconds{${theirs},pod="x"}`,
                values: '3x10',
              },
            ],
            promql_expr_test: [
              // 3 of 4 calls are not the service's fault.
              { expr: query('javaBackend', 'success-rate'), value: 0.75 },
              // p99 in the 50ms..500ms bucket: 0.05 + 0.45 × (0.99 × 4 − 2) / 2.
              { expr: query('javaBackend', 'latency-p99'), value: 0.491 },
              // 10 of 10.5 requests are not 5xx.
              { expr: query('httpService', 'success-rate'), value: 0.9524 },
              { expr: query('nodeService', 'success-rate'), value: 0.9524 },
              // p99 in the 100ms..1s bucket: 0.1 + 0.9 × (0.99 × 10.5 − 5) / 5.5.
              { expr: query('httpService', 'latency-p99'), value: 0.9828 },
              // The worst pod's lag.
              { expr: query('nodeService', 'event-loop-lag-p99'), value: 0.08 },
            ].map(({ expr, value }) => ({
              expr,
              eval_time: '5m',
              exp_samples: [{ labels: '{}', value }],
            })),
          },
        ],
      };
      const dir = mkdtempSync(join(tmpdir(), 'tugboat-promtool-'));
      try {
        const file = join(dir, 'analysis.test.yaml');
        writeFileSync(file, JSON.stringify(tests));
        let output = '';
        try {
          output = execFileSync('promtool', ['test', 'rules', file], {
            encoding: 'utf8',
          });
        } catch (error) {
          const e = error as { stdout?: string; stderr?: string };
          throw new Error(
            `promtool failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`,
          );
        }
        expect(output).toContain('SUCCESS');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);
