import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  generated,
  handBuilt,
  loadSeed,
  seedContext,
} from './__fixtures__/seed';
import { MonitoringOutput } from './generate';
import { MonitoringInfo } from './schema';
import { dashboardToJson, routesToYaml, rulesToYaml } from './serialize';

/**
 * The generated files checked by the real Prometheus and Alertmanager tools.
 * A missing tool fails the test: the check must not silently disappear.
 */
function run(tool: 'promtool' | 'amtool', args: string[]) {
  const result = spawnSync(tool, args, { encoding: 'utf8' });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error(
      `${tool} is not installed: run bash scripts/system-deps.sh`,
    );
  }
  if (result.error) throw result.error;
  return {
    status: result.status,
    stdout: result.stdout,
    output: `${result.stdout}${result.stderr}`,
  };
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'monitoring-common-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const seed = generated(loadSeed(), seedContext());

function withRules(
  output: MonitoringOutput,
  edit: (expr: string) => string,
): MonitoringOutput {
  return {
    ...output,
    prometheusRules: {
      groups: output.prometheusRules.groups.map(g => ({
        ...g,
        rules: g.rules.map(r => ({ ...r, expr: edit(r.expr) })),
      })),
    },
  };
}

describe('promtool check rules', () => {
  it('accepts the rules of the seed example', () => {
    const result = run('promtool', [
      'check',
      'rules',
      write('rules.yaml', rulesToYaml(seed)),
    ]);
    expect(result.output).toContain('SUCCESS: 5 rules found');
    expect(result.status).toBe(0);
  });

  it('rejects a corrupted expression (negative control: the check is real)', () => {
    const broken = withRules(seed, expr => expr.replace('[10m]', '[10m'));
    const result = run('promtool', [
      'check',
      'rules',
      write('broken-rules.yaml', rulesToYaml(broken)),
    ]);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/FAILED|parse error/);
  });

  it('accepts every dashboard query, for every bundle and option, as PromQL', () => {
    const everything: MonitoringInfo = {
      metadata: { schemaVersion: 5 },
      components: {
        'example-app': [
          {
            name: 'Everything',
            panels: [
              { template: 'javaBackend', type: 'bundle', exclude_hm: true },
              { template: 'javaBackend', type: 'bundle' },
              { template: 'http-client', type: 'bundle' },
              ...(['sum', 'avg', 'max', 'min', 'count'] as const).map(type => ({
                template: 'custom/metric' as const,
                title: `Events ${type}`,
                what: 'app:events.total',
                aggregation: { category: 'Group By' as const, type, of: [] },
                threshold: -1.5,
                threshold_type: 'lt' as const,
                window_unit: 'h' as const,
                window_value: 2,
              })),
            ],
          },
        ],
      },
    };
    const output = generated(handBuilt(everything), seedContext({ tier: 1 }));
    const queries = output.dashboards.flatMap(d =>
      (
        JSON.parse(dashboardToJson(d)).panels as {
          targets?: { expr: string }[];
        }[]
      ).flatMap(p => p.targets?.map(t => t.expr) ?? []),
    );
    expect(queries.length).toBeGreaterThan(20);
    const recording = {
      groups: [
        {
          name: 'queries',
          rules: queries.map((expr, i) => ({ record: `query_${i}`, expr })),
        },
      ],
    };
    const file = write('queries.yaml', JSON.stringify(recording));
    const result = run('promtool', ['check', 'rules', file]);
    expect(result.output).toContain(`SUCCESS: ${queries.length} rules found`);
    expect(result.status).toBe(0);
    const alerts = run('promtool', [
      'check',
      'rules',
      write('all-alerts.yaml', rulesToYaml(output)),
    ]);
    expect(alerts.status).toBe(0);
  });
});

describe('amtool check-config', () => {
  it('accepts the Alertmanager configuration', () => {
    const result = run('amtool', [
      'check-config',
      write('alertmanager.yaml', routesToYaml(seed)),
    ]);
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('rejects a route to a missing receiver (negative control: the check is real)', () => {
    const broken: MonitoringOutput = {
      ...seed,
      alertmanagerRoutes: {
        ...seed.alertmanagerRoutes,
        receivers: seed.alertmanagerRoutes.receivers.filter(
          r => r.name !== 'team-a-pagerduty',
        ),
      },
    };
    const result = run('amtool', [
      'check-config',
      write('broken-alertmanager.yaml', routesToYaml(broken)),
    ]);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/undefined receiver "team-a-pagerduty"/);
  });

  it('routes each alert to the receiver its labels ask for', () => {
    const config = write('routes.yaml', routesToYaml(seed));
    const receiverOf = (labels: Record<string, string>) =>
      run('amtool', [
        'config',
        'routes',
        'test',
        `--config.file=${config}`,
        ...Object.entries(labels).map(([k, v]) => `${k}=${v}`),
      ]).stdout.trim();
    const hydration = seed.prometheusRules.groups[0].rules.find(
      r => r.alert === 'ExampleAppHydrationErrors',
    )!;
    const latency = seed.prometheusRules.groups[0].rules.find(
      r => r.alert === 'ExampleAppGrpcServerRpcLatency',
    )!;
    expect(receiverOf(hydration.labels)).toBe('team-a-pagerduty');
    expect(receiverOf(latency.labels)).toBe('team-a-slack');
    // Hand-written alerts without an action: critical pages, others post.
    expect(receiverOf({ team: 'team-a', severity: 'critical' })).toBe(
      'team-a-pagerduty',
    );
    expect(receiverOf({ team: 'team-a', severity: 'warning' })).toBe(
      'team-a-slack',
    );
    expect(receiverOf({ team: 'team-z', action: 'pagerduty' })).toBe('default');
  });
});
