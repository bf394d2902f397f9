import { parse } from 'yaml';
import { Duration } from './duration';
import { catalogContextFromEntities, entityName } from './catalogContext';
import { grpcServerErrorMatcher, componentSelector } from './metrics';
import { isDnsLabel, stableHash, toBoundedDnsLabel, toDnsLabel } from './names';
import { compareStrings, sortedStrings } from './order';
import { filesToText, sortFiles, toYaml } from './output';
import { fileProblem, problemIn } from './result';
import { parseYaml } from './parseYaml';

describe('toDnsLabel', () => {
  it('slugs and joins free-text parts', () => {
    expect(toDnsLabel('example-app', 'Master build')).toBe(
      'example-app-master-build',
    );
    expect(toDnsLabel('javaBackend')).toBe('javabackend');
    expect(toDnsLabel('[example-app] Dashboard')).toBe('example-app-dashboard');
    expect(toDnsLabel('Ünïcödé', '--x--')).toBe('unicode-x');
  });

  it('cuts long names at 63 characters with a stable hash of the whole input', () => {
    const long = 'a'.repeat(100);
    const a = toDnsLabel(long, 'one');
    const b = toDnsLabel(long, 'two');
    expect(a).toHaveLength(63);
    expect(a).not.toBe(b);
    expect(a).toBe(toDnsLabel(long, 'one'));
    expect(a.endsWith(`-${stableHash(`${long}\u0000one`)}`)).toBe(true);
    expect(isDnsLabel(a)).toBe(true);
  });

  it('honours a tighter bound and never ends a cut on "-"', () => {
    const uid = toBoundedDnsLabel(40, 'example-app', `${'x'.repeat(29)}-y`);
    expect(uid.length).toBeLessThanOrEqual(40);
    expect(uid).not.toMatch(/--/);
    expect(isDnsLabel(uid)).toBe(true);
  });

  it('names something that has no letters or digits by its hash', () => {
    expect(toDnsLabel('!!!')).toBe(stableHash('!!!'));
    expect(isDnsLabel(toDnsLabel(''))).toBe(true);
  });

  it('refuses a bound too small to hold the hash', () => {
    expect(() => toBoundedDnsLabel(5, 'x')).toThrow(/at least 10/);
  });
});

describe('compareStrings', () => {
  it('orders by code point, whatever the locale', () => {
    expect(sortedStrings(['b', 'B', 'a', 'é', 'Z'])).toEqual([
      'B',
      'Z',
      'a',
      'b',
      'é',
    ]);
    // U+1F600 (a surrogate pair) sorts after U+FF5E, unlike UTF-16 order.
    expect(compareStrings('\u{1F600}', '\uFF5E')).toBeGreaterThan(0);
    expect(compareStrings('ab', 'abc')).toBeLessThan(0);
    expect(compareStrings('x', 'x')).toBe(0);
  });
});

describe('Duration', () => {
  it('writes itself in its largest whole unit', () => {
    expect(String(Duration.seconds(300))).toBe('5m');
    expect(String(Duration.seconds(90))).toBe('90s');
    expect(String(Duration.minutes(120))).toBe('2h');
    expect(String(Duration.parse('1d'))).toBe('1d');
    expect(Duration.minutes(1).times(3).seconds).toBe(180);
  });

  it('refuses what is not a positive whole number of a unit', () => {
    expect(Duration.parse('5')).toBeUndefined();
    expect(Duration.parse('-5m')).toBeUndefined();
    expect(Duration.parse('1.5m')).toBeUndefined();
    expect(Duration.of(0, 'm')).toEqual({
      ok: false,
      reason: 'a duration must be a positive whole number of minutes, not 0',
    });
    expect(() => Duration.seconds(-1)).toThrow(RangeError);
  });
});

describe('metric selectors', () => {
  it('shares the gRPC server error codes', () => {
    expect(componentSelector('a', grpcServerErrorMatcher('errors'))).toBe(
      'app="a",grpc_code=~"Unknown|DeadlineExceeded|Unimplemented|Internal|Unavailable|DataLoss"',
    );
    expect(grpcServerErrorMatcher('others').grpc_code.startsWith('!~')).toBe(
      true,
    );
  });
});

describe('entity references', () => {
  it('finds related entities whose names have capitals', () => {
    const context = catalogContextFromEntities(
      {
        kind: 'Component',
        metadata: { name: 'Example-App', namespace: 'Default' },
        spec: { owner: 'group:default/Team-A' },
        relations: [
          { type: 'dependsOn', targetRef: 'resource:default/example-app-db' },
          { type: 'providesApi', targetRef: 'api:default/artist-api' },
        ],
      },
      [
        {
          kind: 'Resource',
          metadata: {
            name: 'Example-App-DB',
            annotations: { 'gitops.io/database-engine': 'POSTGRES_14' },
          },
          spec: { type: 'database' },
        },
        {
          kind: 'API',
          metadata: { name: 'Artist-API', namespace: 'default' },
          relations: [
            {
              type: 'apiConsumedBy',
              targetRef: 'component:default/www-artist',
            },
          ],
        },
      ],
    );
    expect(context.component.owner).toBe('Team-A');
    expect(context.dependsOn).toEqual([
      { name: 'example-app-db', type: 'database', engine: 'POSTGRES_14' },
    ]);
    expect(context.apiConsumers).toEqual(['component:default/www-artist']);
  });

  it('reads names of refs with and without kind and namespace', () => {
    expect(entityName('group:default/team-a')).toBe('team-a');
    expect(entityName('team-a')).toBe('team-a');
    expect(entityName('default/team-a')).toBe('team-a');
  });
});

describe('output', () => {
  it('writes YAML that reads back as the same data, strings that look like other types quoted', () => {
    const value = {
      a: 'true',
      b: '1.0',
      c: '0o17',
      d: 'yes',
      e: 'null',
      f: 'sum(rate(x{a="b"}[5m])) > 0.05 and this line is long enough to be folded by a default emitter at eighty columns',
      g: [{ h: 1, i: null, j: false }],
      k: undefined,
      '': 'empty key',
      multi: 'line one\nline two\n',
    };
    const text = toYaml(value);
    const { k, ...defined } = value;
    expect(parse(text)).toEqual(defined);
    expect(text).not.toContain('&');
    expect(text.split('\n').find(l => l.startsWith('f:'))).toContain(
      'be folded by a default emitter',
    );
  });

  it('writes a value used twice twice, without aliases', () => {
    const shared = { x: 1 };
    expect(toYaml({ a: shared, b: shared })).toBe('a:\n  x: 1\nb:\n  x: 1\n');
  });

  it('sorts files by path and prints them with their paths', () => {
    const files = sortFiles([
      { path: 'b.yaml', content: 'b: 1\n' },
      { path: 'a.yaml', content: 'a: 1' },
    ]);
    expect(filesToText(files)).toBe('# a.yaml\na: 1\n---\n# b.yaml\nb: 1\n');
  });
});

describe('problems', () => {
  it('locates a problem in a parsed document, or at the top of a hand-built one', () => {
    const parsed = parseYaml(
      'build-info.yaml',
      'version: 2\ntemplate:\n  type: x\n',
    );
    if (!parsed.ok) throw new Error('parse failed');
    const descriptor = {
      file: 'build-info.yaml',
      value: parsed.documents[0].data,
      document: parsed.documents[0],
    };
    expect(problemIn(descriptor, ['template', 'type'], 'bad')).toEqual({
      file: 'build-info.yaml',
      line: 3,
      column: 9,
      path: 'template.type',
      message: 'bad',
    });
    expect(
      problemIn({ file: 'build-info.yaml' }, ['template', 'type'], 'bad'),
    ).toEqual(fileProblem('build-info.yaml', 'bad', ['template', 'type']));
  });
});
