import { formatProblem } from '@gitops/descriptors-common';
import {
  generated,
  handBuilt,
  loadSeed,
  seedContext,
} from './__fixtures__/seed';
import { GRPC_HEALTH_SERVICE } from './bundles';
import { dashboardUid } from './dashboard';
import {
  GENERATE_INPUT,
  generateMonitoring,
  MonitoringOutput,
} from './generate';
import { legendFormat } from './panels';
import { parseMonitoringInfo } from './parse';
import { MonitoringInfo, PanelDeclaration } from './schema';
import { dashboardToJson, routesToYaml, rulesToYaml } from './serialize';

type Json = Record<string, any>;

const panelsOf = (output: MonitoringOutput, index = 0): Json[] =>
  output.dashboards[index].json.panels as Json[];
const byTitle = (output: MonitoringOutput, title: string) =>
  panelsOf(output).find(p => p.title === title)!;
const rulesOf = (output: MonitoringOutput) =>
  output.prometheusRules.groups.flatMap(g => g.rules);
const rule = (output: MonitoringOutput, name: string) =>
  rulesOf(output).find(r => r.alert === name)!;

/** A one-dashboard monitoring-info of the given panels, built by hand. */
const infoOf = (...panels: PanelDeclaration[]) =>
  handBuilt({
    metadata: { schemaVersion: 5 },
    components: { 'example-app': [{ name: 'Dashboard', panels }] },
  });

const HYDRATION_EXPR =
  'sum by (pod) (increase(hydrate_exception_total{app="example-app"}[10m])) > 10';

describe('generateMonitoring on the seed example', () => {
  const output = generated(loadSeed(), seedContext());

  it('makes one dashboard with the bundles, the database and the custom panel, in declared order', () => {
    expect(output.dashboards).toHaveLength(1);
    expect(output.dashboards[0]).toMatchObject({
      title: '[example-app] Dashboard',
      component: 'example-app',
    });
    expect(panelsOf(output).map(p => `${p.type}: ${p.title}`)).toEqual([
      'row: gRPC server and JVM',
      'timeseries: gRPC request rate',
      'timeseries: gRPC error ratio',
      'timeseries: gRPC latency p99',
      'timeseries: JVM heap used',
      'timeseries: JVM GC pause time',
      'timeseries: JVM live threads',
      'row: Outgoing HTTP calls',
      'timeseries: HTTP client request rate',
      'timeseries: HTTP client error ratio',
      'timeseries: HTTP client latency p99',
      'row: Custom metrics',
      'timeseries: Hydration Errors',
      'row: Database example-app-db (POSTGRES_14)',
      'timeseries: Active connections (example-app-db)',
      'timeseries: Threads waiting for a connection (example-app-db)',
      'timeseries: Connection usage time (example-app-db)',
    ]);
  });

  it('draws Hydration Errors per pod, legend {{pod}}, with the threshold line at 10', () => {
    const panel = byTitle(output, 'Hydration Errors');
    expect(panel.targets).toEqual([
      expect.objectContaining({
        expr: 'sum by (pod) (increase(hydrate_exception_total{app="example-app"}[10m]))',
        legendFormat: '{{pod}}',
      }),
    ]);
    expect(panel.fieldConfig.defaults.thresholds.steps).toEqual([
      { value: null, color: 'green' },
      { value: 10, color: 'red' },
    ]);
    expect(panel.fieldConfig.defaults.custom.thresholdsStyle).toEqual({
      mode: 'line',
    });
  });

  it('applies the override: rpc-latency threshold 2000 ms on the panel and in the alert', () => {
    const panel = byTitle(output, 'gRPC latency p99');
    expect(panel.fieldConfig.defaults.unit).toBe('ms');
    expect(panel.fieldConfig.defaults.thresholds.steps[1].value).toBe(2000);
    expect(rule(output, 'ExampleAppGrpcServerRpcLatency').expr).toBe(
      'histogram_quantile(0.99, sum by (le) (rate(grpc_server_handling_seconds_bucket{app="example-app"}[5m]))) * 1000 > 2000',
    );
  });

  it('alerts on Hydration Errors over the 10 minute window, routed to PagerDuty', () => {
    expect(rule(output, 'ExampleAppHydrationErrors')).toEqual({
      alert: 'ExampleAppHydrationErrors',
      expr: HYDRATION_EXPR,
      // The window is in the expression; a `for` would double the delay.
      labels: {
        action: 'pagerduty',
        component: 'example-app',
        severity: 'warning',
        team: 'team-a',
        tier: '4',
      },
      annotations: {
        dashboard_uid: output.dashboards[0].uid,
        summary: 'Hydration Errors above 10 on example-app',
        description:
          'sum of hydrate.exception over the last 10m is {{ $value | humanize }} on pod {{ $labels.pod }}.',
      },
    });
  });

  it('alerts on the bundle thresholds that alert by default, with the tier severity', () => {
    expect(rulesOf(output).map(r => r.alert)).toEqual([
      'ExampleAppExampleAppDbDatabaseConnectionsPending',
      'ExampleAppGrpcServerRpcErrorRatio',
      'ExampleAppGrpcServerRpcLatency',
      'ExampleAppHttpClientErrorRatio',
      'ExampleAppHydrationErrors',
    ]);
    for (const r of rulesOf(output)) {
      expect(r.labels).toMatchObject({
        team: 'team-a',
        component: 'example-app',
        tier: '4',
        severity: 'warning',
      });
      expect(Object.keys(r.annotations)).toEqual(
        expect.arrayContaining(['summary', 'description']),
      );
    }
    // Tier 4 bundle alerts go to Slack; the custom panel asked for PagerDuty.
    expect(rule(output, 'ExampleAppGrpcServerRpcLatency')).toMatchObject({
      for: '5m',
      labels: { action: 'slack' },
    });
  });

  it('routes team-a alerts by action to receivers reading their secrets from files', () => {
    const { route, receivers } = output.alertmanagerRoutes;
    expect(route.receiver).toBe('default');
    expect(route.routes).toEqual([
      {
        matchers: ['team="team-a"'],
        receiver: 'team-a-slack',
        routes: [
          { matchers: ['action="pagerduty"'], receiver: 'team-a-pagerduty' },
          { matchers: ['action="slack"'], receiver: 'team-a-slack' },
          { matchers: ['severity="critical"'], receiver: 'team-a-pagerduty' },
        ],
      },
    ]);
    expect(receivers).toEqual([
      { name: 'default' },
      {
        name: 'team-a-pagerduty',
        pagerduty_configs: [
          {
            routing_key_file: '/etc/alertmanager/secrets/team-a-pagerduty',
            send_resolved: true,
          },
        ],
      },
      {
        name: 'team-a-slack',
        slack_configs: [
          {
            api_url_file: '/etc/alertmanager/secrets/team-a-slack',
            send_resolved: true,
          },
        ],
      },
    ]);
  });

  it('is deterministic: same input, the same data and identical files', () => {
    const again = generated(loadSeed(), seedContext());
    // Compared as data: the SDK's queries carry a marker method per object.
    expect(JSON.stringify(again)).toBe(JSON.stringify(output));
    expect(rulesToYaml(again)).toBe(rulesToYaml(output));
    expect(routesToYaml(again)).toBe(routesToYaml(output));
    expect(dashboardToJson(again.dashboards[0])).toBe(
      dashboardToJson(output.dashboards[0]),
    );
  });
});

describe('Grafana dashboard JSON', () => {
  const output = generated(loadSeed(), seedContext());
  const json = output.dashboards[0].json as Json;

  it('has a stable DNS-safe uid of at most 40 characters, a title and tags with owner and tier', () => {
    expect(json.uid).toBe(output.dashboards[0].uid);
    // Component and title as one DNS label: short enough to need no hash.
    expect(json.uid).toBe('example-app-example-app-dashboard');
    expect(json.title).toBe('[example-app] Dashboard');
    expect(json.tags).toEqual([
      'component:example-app',
      'gitops',
      'owner:team-a',
      'system:metadata-system',
      'tier:4',
    ]);
    expect(json.editable).toBe(false);
  });

  it('gives every panel a type, a position, a Prometheus query and a data source', () => {
    const panels = json.panels as Json[];
    expect(new Set(panels.map(p => p.id)).size).toBe(panels.length);
    for (const panel of panels) {
      expect(panel.type).toMatch(/^(row|timeseries)$/);
      expect(panel.gridPos).toEqual({
        x: expect.any(Number),
        y: expect.any(Number),
        w: expect.any(Number),
        h: expect.any(Number),
      });
      if (panel.type === 'row') continue;
      expect(panel.datasource).toEqual({
        type: 'prometheus',
        uid: '${datasource}',
      });
      expect(panel.targets.length).toBeGreaterThan(0);
      for (const target of panel.targets) {
        expect(target.expr).toMatch(/app="example-app"/);
        expect(target.datasource).toEqual(panel.datasource);
      }
    }
    expect(json.templating.list).toEqual([
      expect.objectContaining({ name: 'datasource', query: 'prometheus' }),
    ]);
  });

  it('lays panels out without overlaps, inside the 24-column grid', () => {
    const boxes = (json.panels as Json[]).map(p => p.gridPos);
    for (const [i, a] of boxes.entries()) {
      expect(a.x + a.w).toBeLessThanOrEqual(24);
      for (const b of boxes.slice(i + 1)) {
        const overlap =
          a.x < b.x + b.w &&
          b.x < a.x + a.w &&
          a.y < b.y + b.h &&
          b.y < a.y + a.h;
        expect(overlap).toBe(false);
      }
    }
  });

  it('serializes with sorted keys, and back to the same data', () => {
    const text = dashboardToJson(output.dashboards[0]);
    // The SDK's typed objects, less their methods: the same data.
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(json)));
    const keys = Object.keys(JSON.parse(text));
    expect(keys).toEqual([...keys].sort());
  });

  it('keeps uids apart across components, and within 40 characters with a stable hash', () => {
    expect(dashboardUid('example-app', 'Dashboard')).toBe(
      'example-app-dashboard',
    );
    expect(dashboardUid('other-app', 'Dashboard')).toBe('other-app-dashboard');
    const long = dashboardUid('example-app', 'A very long title '.repeat(10));
    expect(long).toMatch(/^example-app-a-very-long-title-a-[0-9a-f]{8}$/);
    expect(long).toHaveLength(40);
    expect(long).toBe(
      dashboardUid('example-app', 'A very long title '.repeat(10)),
    );
    // Same 31-character prefix, different titles: the hash keeps them apart.
    expect(
      dashboardUid('example-app', 'A very long title '.repeat(11)),
    ).not.toBe(long);
  });

  it('refuses two titles of one uid, at the second title, when parsing and when generating', () => {
    const text = [
      'metadata: {schemaVersion: 5}',
      'components:',
      '  example-app:',
      '    - name: Errors!',
      '      panels: [{template: http-client, type: bundle}]',
      '    - name: Errors?',
      '      panels: [{template: http-client, type: bundle}]',
      '',
    ].join('\n');
    const parsed = parseMonitoringInfo({ path: 'monitoring-info.yaml', text });
    const message =
      'dashboard name "Errors?" gives the same Grafana uid "example-app-errors" as components.example-app[0]: titles must differ in their letters or digits';
    expect(!parsed.ok && parsed.problems.map(formatProblem)).toEqual([
      `monitoring-info.yaml:6:13: ${message} (at components.example-app[1].name)`,
    ]);
    const panels = [{ template: 'http-client', type: 'bundle' } as const];
    const result = generateMonitoring(
      handBuilt({
        metadata: { schemaVersion: 5 },
        components: {
          'example-app': [
            { name: 'Errors!', panels },
            { name: 'Errors?', panels },
          ],
        },
      }),
      seedContext(),
    );
    expect(!result.ok && result.problems.map(formatProblem)).toEqual([
      `monitoring-info.yaml:1:1: ${message} (at components.example-app[1].name)`,
    ]);
  });
});

describe('catalog context effects', () => {
  it('tier 1 or 2 makes alerts critical, and bundle alerts page', () => {
    const output = generated(loadSeed(), seedContext({ tier: 1 }));
    expect(rule(output, 'ExampleAppGrpcServerRpcLatency').labels).toMatchObject(
      {
        severity: 'critical',
        tier: '1',
        action: 'pagerduty',
      },
    );
    const tier3 = generated(loadSeed(), seedContext({ tier: 3 }));
    expect(rule(tier3, 'ExampleAppGrpcServerRpcLatency').labels.severity).toBe(
      'warning',
    );
  });

  it('the owner names the team label, the routes and the receivers', () => {
    const output = generated(loadSeed(), seedContext({ owner: 'team-b' }));
    expect(rulesOf(output).every(r => r.labels.team === 'team-b')).toBe(true);
    expect(output.alertmanagerRoutes.receivers.map(r => r.name)).toEqual([
      'default',
      'team-b-pagerduty',
      'team-b-slack',
    ]);
    expect(output.alertmanagerRoutes.route.routes?.[0].matchers).toEqual([
      'team="team-b"',
    ]);
    expect(routesToYaml(output)).not.toMatch(/team-a/);
  });

  it('no database resource, no database panels or alerts', () => {
    const output = generated(loadSeed(), seedContext({}, []));
    const text = JSON.stringify(output);
    expect(text).not.toMatch(/hikaricp|Database/);
    expect(panelsOf(output).filter(p => p.type === 'row')).toHaveLength(3);
  });

  it('one database row per database resource, sorted by name, other resources ignored', () => {
    const output = generated(
      loadSeed(),
      seedContext({}, [
        { name: 'zeta-db', type: 'database' },
        { name: 'bucket', type: 'storage' },
        { name: 'alpha-db', type: 'database', engine: 'MYSQL_8_0' },
      ]),
    );
    expect(
      panelsOf(output)
        .filter(p => p.type === 'row' && p.title.startsWith('Database'))
        .map(p => p.title),
    ).toEqual(['Database alpha-db (MYSQL_8_0)', 'Database zeta-db']);
    expect(
      byTitle(output, 'Active connections (zeta-db)').targets[0].expr,
    ).toBe(
      'sum by (pod) (hikaricp_connections_active{app="example-app",pool="zeta-db"})',
    );
  });

  it('refuses an owner that is not an entity name (it becomes a file name), as a problem of the input', () => {
    for (const owner of ['../../etc/passwd', '', 'x'.repeat(64)]) {
      const result = generateMonitoring(loadSeed(), seedContext({ owner }));
      expect(result).toEqual({
        ok: false,
        problems: [
          {
            file: GENERATE_INPUT,
            line: 1,
            column: 1,
            path: 'context.component.owner',
            message: expect.stringMatching(
              /^catalog context owner ".*" is not an entity name: it names the team's alert route, receivers and secret files$/,
            ),
          },
        ],
      });
    }
  });
});

describe('bundles', () => {
  const grpcQueries = (excludeHm?: boolean) =>
    panelsOf(
      generated(
        infoOf({
          template: 'javaBackend',
          type: 'bundle',
          exclude_hm: excludeHm,
        }),
        seedContext(),
      ),
    ).flatMap(p => (p.targets ?? []).map((t: Json) => t.expr as string));

  it('exclude_hm: true drops gRPC health checks from the gRPC queries; false or absent keeps them', () => {
    const excluded = grpcQueries(true);
    const included = grpcQueries(false);
    expect(grpcQueries(undefined)).toEqual(included);
    const grpc = excluded.filter(q => q.includes('grpc_server'));
    expect(grpc).toHaveLength(3);
    for (const q of grpc) {
      expect(q).toContain(`grpc_service!="${GRPC_HEALTH_SERVICE}"`);
    }
    expect(included.join('\n')).not.toContain('grpc_service');
    expect(excluded[0]).toBe(
      'sum by (grpc_method) (rate(grpc_server_handled_total{app="example-app",grpc_service!="grpc.health.v1.Health"}[5m]))',
    );
    // JVM series have no gRPC labels: unchanged.
    expect(excluded.filter(q => q.includes('jvm_'))).toEqual(
      included.filter(q => q.includes('jvm_')),
    );
  });

  it('alert: false keeps the threshold line but drops the alert; alert: true adds one', () => {
    const output = generated(
      infoOf({
        template: 'javaBackend',
        type: 'bundle',
        override: {
          'grpc/server/rpc-latency': { alert: false },
          'jvm/gc-pause': { alert: true, threshold_ratio: 0.2 },
        },
      }),
      seedContext({}, []),
    );
    expect(rulesOf(output).map(r => r.alert)).toEqual([
      'ExampleAppGrpcServerRpcErrorRatio',
      'ExampleAppJvmGcPause',
    ]);
    expect(
      byTitle(output, 'gRPC latency p99').fieldConfig.defaults.thresholds
        .steps[1].value,
    ).toBe(1000);
    expect(rule(output, 'ExampleAppJvmGcPause').expr).toBe(
      'sum by (pod) (rate(jvm_gc_pause_seconds_sum{app="example-app"}[5m])) > 0.2',
    );
  });

  it('the same bundle on two dashboards alerts once; different settings get numbered names', () => {
    const java = { template: 'javaBackend', type: 'bundle' } as const;
    const output = generated(
      handBuilt({
        metadata: { schemaVersion: 5 },
        components: {
          'example-app': [
            { name: 'One', panels: [java] },
            { name: 'Two', panels: [java] },
            {
              name: 'Three',
              panels: [
                {
                  ...java,
                  override: { 'grpc/server/rpc-latency': { threshold_ms: 50 } },
                },
              ],
            },
          ],
        },
      }),
      seedContext({}, []),
    );
    expect(output.dashboards.map(d => d.title)).toEqual([
      'One',
      'Two',
      'Three',
    ]);
    const comparisons = rulesOf(output).map(
      r => `${r.alert} ${r.expr.split(' ').slice(-2).join(' ')}`,
    );
    expect(comparisons).toEqual([
      'ExampleAppGrpcServerRpcErrorRatio > 0.05',
      'ExampleAppGrpcServerRpcLatency > 1000',
      'ExampleAppGrpcServerRpcLatency2 > 50',
    ]);
  });
});

describe('custom metric panels', () => {
  const custom = {
    template: 'custom/metric',
    title: 'Queue depth',
    what: 'queue.depth.total',
    aggregation: { category: 'Group By', type: 'max', of: ['pod', 'queue'] },
  } as const;

  it('defaults to a 5m window and a legend of the kept labels; no threshold, no alert', () => {
    const output = generated(infoOf(custom), seedContext({}, []));
    expect(byTitle(output, 'Queue depth').targets[0]).toMatchObject({
      expr: 'max by (pod, queue) (increase(queue_depth_total{app="example-app"}[5m]))',
      legendFormat: '{{pod}} {{queue}}',
    });
    expect(output.prometheusRules.groups).toEqual([]);
  });

  it('an lt threshold alerts below it and colours the panel the other way round', () => {
    const output = generated(
      infoOf({
        ...custom,
        threshold: 1,
        threshold_type: 'lte',
        window_unit: 's',
        window_value: 30,
        action: 'slack',
      }),
      seedContext({ tier: 1 }, []),
    );
    expect(rule(output, 'ExampleAppQueueDepth')).toMatchObject({
      expr: 'max by (pod, queue) (increase(queue_depth_total{app="example-app"}[30s])) <= 1',
      labels: { action: 'slack', severity: 'critical' },
    });
    expect(
      byTitle(output, 'Queue depth').fieldConfig.defaults.thresholds.steps,
    ).toEqual([
      { value: null, color: 'red' },
      { value: 1, color: 'green' },
    ]);
  });

  it('action: none draws the threshold without alerting; no action follows the tier', () => {
    const none = generated(
      infoOf({ ...custom, threshold: 5, threshold_type: 'gt', action: 'none' }),
      seedContext({}, []),
    );
    expect(rulesOf(none)).toEqual([]);
    expect(
      byTitle(none, 'Queue depth').fieldConfig.defaults.thresholds,
    ).toBeDefined();
    const tier2 = generated(
      infoOf({ ...custom, threshold: 5, threshold_type: 'gt' }),
      seedContext({ tier: 2 }, []),
    );
    expect(rule(tier2, 'ExampleAppQueueDepth').labels.action).toBe('pagerduty');
  });

  it('gives panels of the same title distinct alert names', () => {
    const alerting = { ...custom, threshold: 5, threshold_type: 'gt' } as const;
    const output = generated(
      infoOf(alerting, { ...alerting, what: 'other.depth' }),
      seedContext({}, []),
    );
    expect(rulesOf(output).map(r => r.alert)).toEqual([
      'ExampleAppQueueDepth',
      'ExampleAppQueueDepth2',
    ]);
  });

  it('writes the window in its largest whole unit, in the query and the alert', () => {
    const output = generated(
      infoOf({
        ...custom,
        threshold: 5,
        threshold_type: 'gt',
        window_unit: 's',
        window_value: 120,
      }),
      seedContext({}, []),
    );
    expect(rule(output, 'ExampleAppQueueDepth')).toMatchObject({
      expr: 'max by (pod, queue) (increase(queue_depth_total{app="example-app"}[2m])) > 5',
      annotations: {
        description:
          'max of queue.depth.total over the last 2m is {{ $value | humanize }} on pod {{ $labels.pod }}, queue {{ $labels.queue }}.',
      },
    });
  });

  it('translates [[tag_X]] aliases to Grafana {{X}} legends', () => {
    expect(legendFormat('[[tag_pod]]')).toBe('{{pod}}');
    expect(legendFormat('[[tag_pod]] on [[tag_node]] {{ zone }}')).toBe(
      '{{pod}} on {{node}} {{zone}}',
    );
    expect(legendFormat(undefined, ['pod', 'queue'])).toBe('{{pod}} {{queue}}');
  });
});

describe('values the schema would refuse, built by hand', () => {
  const seed = loadSeed();
  /** The seed with its second panel replaced, keeping the parsed document. */
  const seedWithPanel = (panel: unknown) => {
    const [dashboard] = seed.value.components['example-app'];
    const panels = [...dashboard.panels];
    panels[1] = panel as PanelDeclaration;
    const value: MonitoringInfo = {
      ...seed.value,
      components: { 'example-app': [{ ...dashboard, panels }] },
    };
    return { ...seed, value };
  };

  it('reports an unknown panel template at its position in the file', () => {
    const result = generateMonitoring(
      seedWithPanel({ template: 'goBackend', type: 'bundle' }),
      seedContext(),
    );
    expect(!result.ok && result.problems.map(formatProblem)).toEqual([
      'examples/example-app/monitoring-info.yaml:15:21: unknown template "goBackend": expected one of custom/metric, javaBackend, http-client (at components.example-app[0].panels[1].template)',
    ]);
  });

  it('reports a bundle that is not declarable, and a bundle without type, without a document at the top of the file', () => {
    const result = generateMonitoring(
      infoOf({ template: 'database', type: 'bundle' }, {
        template: 'http-client',
      } as PanelDeclaration),
      seedContext(),
    );
    expect(!result.ok && result.problems.map(formatProblem)).toEqual([
      'monitoring-info.yaml:1:1: type must be "bundle" for template http-client, got nothing (at components.example-app[0].panels[1].type)',
      'monitoring-info.yaml:1:1: unknown template "database": expected one of custom/metric, javaBackend, http-client (at components.example-app[0].panels[0].template)',
    ]);
  });

  it('reports a window that is no duration at window_value, every problem at once', () => {
    const custom = {
      template: 'custom/metric',
      title: 'Queue depth',
      what: 'queue.depth',
      aggregation: { category: 'Group By', type: 'max', of: [] },
    } as const;
    const result = generateMonitoring(
      infoOf(
        { ...custom, window_value: 0 },
        { ...custom, title: 'Other', window_value: 1.5, window_unit: 'h' },
      ),
      seedContext({ owner: 'team a' }),
    );
    expect(!result.ok && result.problems.map(formatProblem)).toEqual([
      `${GENERATE_INPUT}:1:1: catalog context owner "team a" is not an entity name: it names the team's alert route, receivers and secret files (at context.component.owner)`,
      'monitoring-info.yaml:1:1: window_value 0 is not a window: a duration must be a positive whole number of minutes, not 0 (at components.example-app[0].panels[0].window_value)',
      'monitoring-info.yaml:1:1: window_value 1.5 is not a window: a duration must be a positive whole number of hours, not 1.5 (at components.example-app[0].panels[1].window_value)',
    ]);
  });
});
