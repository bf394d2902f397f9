import fs from 'node:fs';
import { formatProblem } from '@gitops/descriptors-common';
import { SEED_FILE } from './__fixtures__/seed';
import { parseMonitoringInfo } from './parse';

const parse = (text: string) =>
  parseMonitoringInfo({ path: 'monitoring-info.yaml', text });

describe('parseMonitoringInfo', () => {
  it('reads the seed example as written, without filling in defaults', () => {
    const result = parse(fs.readFileSync(SEED_FILE, 'utf8'));
    expect(result.ok && result.value).toEqual({
      metadata: { schemaVersion: 5 },
      components: {
        'example-app': [
          {
            name: '[example-app] Dashboard',
            panels: [
              {
                template: 'javaBackend',
                type: 'bundle',
                exclude_hm: false,
                override: { 'grpc/server/rpc-latency': { threshold_ms: 2000 } },
              },
              { template: 'http-client', type: 'bundle' },
              {
                template: 'custom/metric',
                title: 'Hydration Errors',
                what: 'hydrate.exception',
                aggregation: { category: 'Group By', type: 'sum', of: ['pod'] },
                alias: '[[tag_pod]]',
                threshold: 10,
                threshold_type: 'gt',
                window_unit: 'm',
                window_value: 10,
                action: 'pagerduty',
              },
            ],
          },
        ],
      },
    });
  });

  it('reports every problem of a file at once, sorted by position', () => {
    const result = parse(
      [
        'metadata:',
        '  schemaVersion: 4',
        'components:',
        '  Bad_Name:',
        '    - name: Dashboard',
        '      panels:',
        '        - template: goBackend',
        '        - template: custom/metric',
        '          title: Errors',
        '          what: errors',
        '          aggregation: {category: Group By, type: sum, of: [pod]}',
        '          window_value: 0',
        '',
      ].join('\n'),
    );
    expect(result.ok).toBe(false);
    const lines = !result.ok && result.problems.map(formatProblem);
    expect(lines).toEqual([
      'monitoring-info.yaml:2:18: schemaVersion 4 is not supported: this generator reads version 5 (at metadata.schemaVersion)',
      expect.stringMatching(
        /^monitoring-info\.yaml:4:3: component name "Bad_Name" is not a DNS label/,
      ),
      expect.stringMatching(
        /^monitoring-info\.yaml:7:21: unknown template "goBackend"/,
      ),
      expect.stringMatching(
        /^monitoring-info\.yaml:12:25: window_value must be a whole number above 0, got 0/,
      ),
    ]);
  });

  it('accepts Grafana placeholders in an alias and a panel without threshold', () => {
    const result = parse(
      [
        'metadata: {schemaVersion: 5}',
        'components:',
        '  example-app:',
        '    - name: Errors',
        '      panels:',
        '        - template: custom/metric',
        '          title: Errors',
        '          what: app.errors',
        '          aggregation: {category: Group By, type: max, of: [pod, namespace]}',
        "          alias: '{{pod}} in [[tag_namespace]]'",
        '',
      ].join('\n'),
    );
    expect(result.ok).toBe(true);
  });

  it('says an empty file is empty', () => {
    expect(parse('')).toEqual({
      ok: false,
      problems: [
        expect.objectContaining({ line: 1, message: 'the file is empty' }),
      ],
    });
  });
});
