/* eslint-disable no-console */
/**
 * Benchmark: ingest a synthetic catalog of service repositories with
 * descriptor files, each configuration in a fresh backend process with its
 * own database (SQLite, or PostgreSQL with --postgres), and print each time
 * as a ratio to the catalog without the module, measured in the same run.
 * Target: the module costs at most 1.3x the catalog's time without it.
 *
 *   npm run bench -- catalog [components] [--postgres] [--repeat=N]
 *     [--only=without|declared|emitted|with]
 *
 * GITOPS_BENCH_WORKERS=N sets catalog.gitops.analysisWorkers;
 * GITOPS_BENCH_TRACE=1 prints the catalog's progress every half second.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';

const ROOT = path.resolve(__dirname, '..');

/** Writes the synthetic repositories and one Location listing them. */
function writeFleet(dir: string, size: number): string {
  const example = path.join(ROOT, 'examples/example-app');
  const targets: string[] = [];
  for (let i = 0; i < size; i++) {
    const name = `svc-${i}`;
    const repo = path.join(dir, name);
    fs.mkdirSync(path.join(repo, 'kubernetes'), { recursive: true });
    for (const file of ['build-info.yaml', 'deployment-info.yaml']) {
      fs.copyFileSync(path.join(example, file), path.join(repo, file));
    }
    const replace = (file: string) =>
      fs
        .readFileSync(path.join(example, file), 'utf8')
        .replace(/example-app/g, name);
    fs.writeFileSync(
      path.join(repo, 'monitoring-info.yaml'),
      replace('monitoring-info.yaml'),
    );
    fs.writeFileSync(
      path.join(repo, 'deployment-info.yaml'),
      replace('deployment-info.yaml').replace(
        `${name}-canary`,
        'example-canary',
      ),
    );
    for (const file of ['deployment.yaml', 'service.yaml']) {
      fs.writeFileSync(
        path.join(repo, 'kubernetes', file),
        replace(`kubernetes/${file}`),
      );
    }
    // A third of the services have a database.
    if (i % 3 === 0) {
      fs.writeFileSync(
        path.join(repo, 'kubernetes/db.yaml'),
        replace('kubernetes/example-app-db.yaml'),
      );
    }
    fs.writeFileSync(
      path.join(repo, 'catalog-info.yaml'),
      [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        `  name: ${name}`,
        '  annotations:',
        `    spotify.com/service-tier: '${1 + (i % 4)}'`,
        'spec:',
        '  type: service',
        '  lifecycle: production',
        `  owner: team-${i % 50}`,
        '',
      ].join('\n'),
    );
    // The same catalog with the Resources the module would emit declared
    // by hand: the baseline that isolates the module's own work.
    const resource =
      i % 3 === 0
        ? [
            '---',
            'apiVersion: backstage.io/v1alpha1',
            'kind: Resource',
            'metadata:',
            `  name: ${name}-db`,
            `  description: SQLInstance declared in kubernetes/db.yaml of ${name}`,
            '  annotations:',
            '    gitops.io/source-kind: SQLInstance',
            "    gitops.io/database-engine: 'POSTGRES_14'",
            "    gitops.io/region: 'europe-west1'",
            'spec:',
            '  type: database',
            `  owner: team-${i % 50}`,
            `  dependencyOf: [component:default/${name}]`,
            '',
          ]
        : [];
    fs.writeFileSync(
      path.join(repo, 'catalog-declared.yaml'),
      `${fs.readFileSync(
        path.join(repo, 'catalog-info.yaml'),
        'utf8',
      )}${resource.join('\n')}`,
    );
    targets.push(`./${name}/catalog-info.yaml`);
  }
  const write = (file: string, list: string[]) =>
    fs.writeFileSync(
      path.join(dir, file),
      `apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: fleet\nspec:\n  targets:\n${list
        .map(t => `    - ${t}`)
        .join('\n')}\n`,
    );
  write('locations.yaml', targets);
  write(
    'locations-declared.yaml',
    targets.map(t => t.replace('catalog-info.yaml', 'catalog-declared.yaml')),
  );
  return path.join(dir, 'locations.yaml');
}

type Db = 'sqlite' | 'postgres';
type Run = { ms: number; resources: number; commits?: number; rss: number };
/**
 * without: the catalog alone; declared: the catalog alone, with the
 * Resources the module would emit declared by hand; emitted: the module's
 * processor with every analysis done before the clock starts, which is what
 * the catalog pays for the module's output alone; with: the module.
 */
type Mode = 'without' | 'declared' | 'emitted' | 'with';
const MODES: Mode[] = ['without', 'declared', 'emitted', 'with'];

/**
 * The module's processor with an analyzer that answers from analyses done
 * up front, by the module's own code, for every repository of the fleet.
 */
async function precomputedModule(locations: string) {
  const { parse } = require('yaml');
  const {
    createBackendModule,
    coreServices,
  } = require('@backstage/backend-plugin-api');
  const {
    catalogProcessingExtensionPoint,
  } = require('@backstage/plugin-catalog-node');
  const {
    GitopsDescriptorsProcessor,
  } = require('../plugins/catalog-backend-module-gitops/src/GitopsDescriptorsProcessor');
  const {
    runAnalysis,
  } = require('../plugins/catalog-backend-module-gitops/src/runAnalysis');
  const dir = path.dirname(locations);
  const done = new Map<string, unknown>();
  for (const name of fs.readdirSync(dir)) {
    const fileTarget = path.join(dir, name, 'catalog-info.yaml');
    if (!fs.existsSync(fileTarget)) continue;
    const component = parse(fs.readFileSync(fileTarget, 'utf8'));
    done.set(name, await runAnalysis({ component, fileTarget }));
  }
  const analyzer = {
    async run(input: { fileTarget?: string }) {
      const output = done.get(path.basename(path.dirname(input.fileTarget!)));
      if (!output) throw new Error(`not precomputed: ${input.fileTarget}`);
      return output;
    },
    async close() {},
  };
  return createBackendModule({
    pluginId: 'catalog',
    moduleId: 'gitops-precomputed',
    register(env: any) {
      env.registerInit({
        deps: {
          catalog: catalogProcessingExtensionPoint,
          reader: coreServices.urlReader,
          logger: coreServices.logger,
        },
        async init({ catalog, reader, logger }: any) {
          catalog.addProcessor(
            new GitopsDescriptorsProcessor({ reader, logger, analyzer }),
          );
        },
      });
    },
  });
}

/** Child: one backend, timed until every component is in the catalog. */
async function child(mode: Mode, locations: string, size: number, db: Db) {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-bench-db-'));
  const config = path.join(data, 'app-config.yaml');
  const withModule = mode === 'with' || mode === 'emitted';
  const target =
    mode === 'declared'
      ? locations.replace(/locations\.yaml$/, 'locations-declared.yaml')
      : locations;
  const prefix = `gitops_bench_${process.pid}_`;
  const pgUrl =
    process.env.GITOPS_TEST_POSTGRES_URL ??
    'postgresql://postgres@127.0.0.1:5432';
  fs.writeFileSync(
    config,
    JSON.stringify({
      backend: {
        baseUrl: 'http://localhost:7099',
        listen: { port: 7099, host: '127.0.0.1' },
        database:
          db === 'sqlite'
            ? { client: 'better-sqlite3', connection: { directory: data } }
            : { client: 'pg', connection: pgUrl, prefix },
      },
      catalog: {
        rules: [
          { allow: ['Component', 'Resource', 'Location', 'System', 'API'] },
        ],
        locations: [{ type: 'file', target }],
        // GITOPS_BENCH_WORKERS=0 measures the module without its workers.
        ...(process.env.GITOPS_BENCH_WORKERS
          ? {
              gitops: {
                analysisWorkers: Number(process.env.GITOPS_BENCH_WORKERS),
              },
            }
          : {}),
      },
    }),
  );
  process.argv.push('--config', config);
  const { createBackend } = require('@backstage/backend-defaults');
  const knexFactory = require('knex');
  const backend = createBackend();
  backend.add(require('@backstage/plugin-catalog-backend'));
  if (mode === 'with')
    backend.add(require('@gitops/plugin-catalog-backend-module-gitops'));
  if (mode === 'emitted') backend.add(await precomputedModule(locations));
  const start = Date.now();
  await backend.start();
  // Polled through its own connection: the search table holds one row per
  // entity and field, indexed by key, which is much cheaper to count than
  // the stitched JSON.
  const reader =
    db === 'sqlite'
      ? knexFactory({
          client: 'better-sqlite3',
          connection: { filename: path.join(data, 'catalog.sqlite') },
          useNullAsDefault: true,
        })
      : knexFactory({
          client: 'pg',
          connection: `${pgUrl}/${prefix}catalog`,
        });
  const count = async (key: string, value: string) => {
    const [row] = await reader('search')
      .where({ key, value })
      .countDistinct({ n: 'entity_id' });
    return Number(row.n);
  };
  // Done when every component is stitched; with the module, when every one
  // is annotated and every database it found is a Resource in the catalog.
  const databases = mode === 'without' ? 0 : Math.ceil(size / 3);
  for (;;) {
    const components = withModule
      ? await count(
          'metadata.annotations.gitops.io/build-template',
          'javabackend',
        )
      : await count('kind', 'component');
    const resources = await count('kind', 'resource');
    if (process.env.GITOPS_BENCH_TRACE) {
      // Where the catalog is: entities known, processed, waiting to be
      // stitched, and stitched.
      const [state] = await reader('refresh_state').select(
        reader.raw('count(*) as known'),
        reader.raw('count(processed_entity) as processed'),
      );
      const [queue] = await reader('stitch_queue').count({ unstitched: '*' });
      const [final] = await reader('final_entities')
        .whereNotNull('final_entity')
        .count({ n: '*' });
      console.error(
        `${Date.now() - start} ms: known ${state.known}, processed ${
          state.processed
        }, awaiting stitch ${queue.unstitched}, stitched ${
          final.n
        }; done ${components} components, ${resources} resources`,
      );
    }
    if (components >= size && resources >= databases) break;
    if (Date.now() - start > 20 * 60_000) throw new Error('timed out');
    await new Promise(r => setTimeout(r, 500));
  }
  const ms = Date.now() - start;
  const resources = await count('kind', 'resource');
  // What the catalog asked of PostgreSQL: committed transactions (each
  // statement outside a transaction counts as one).
  const commits =
    db === 'postgres'
      ? Number(
          (
            await reader('pg_stat_database')
              .where({ datname: `${prefix}catalog` })
              .first('xact_commit')
          ).xact_commit,
        )
      : undefined;
  await reader.destroy();
  console.log(
    JSON.stringify({ ms, resources, commits, rss: process.memoryUsage().rss }),
  );
  await backend.stop();
  if (db === 'postgres') {
    const admin = knexFactory({
      client: 'pg',
      connection: `${pgUrl}/postgres`,
    });
    await admin.raw(`DROP DATABASE IF EXISTS "${prefix}catalog" WITH (FORCE)`);
    await admin.destroy();
  }
  fs.rmSync(data, { recursive: true, force: true });
  process.exit(0);
}

function runChild(mode: Mode, locations: string, size: number, db: Db) {
  return new Promise<Run>((resolve, reject) => {
    const p = spawn(
      process.execPath,
      [
        ...process.execArgv,
        __filename,
        '--child',
        mode,
        locations,
        String(size),
        db,
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, LOG_LEVEL: 'warn' },
      },
    );
    let out = '';
    p.stdout.on('data', d => (out += d));
    p.on('exit', code => {
      const line = out
        .trim()
        .split('\n')
        .filter(l => l.startsWith('{'))
        .pop();
      if (code !== 0 || !line)
        reject(new Error(`child exited ${code}: ${out.slice(-500)}`));
      else resolve(JSON.parse(line));
    });
  });
}

async function main() {
  if (process.argv[2] === '--child') {
    await child(
      process.argv[3] as Mode,
      process.argv[4],
      Number(process.argv[5]),
      process.argv[6] as Db,
    );
    return;
  }
  const args = process.argv.slice(2);
  const db: Db = args.includes('--postgres') ? 'postgres' : 'sqlite';
  const numbers = args.filter(a => /^\d+$/.test(a)).map(Number);
  const size = numbers[0] ?? 5000;
  const repeat = Number(
    args.find(a => a.startsWith('--repeat='))?.slice('--repeat='.length) ?? 1,
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-bench-fleet-'));
  const locations = writeFleet(dir, size);
  // The three configurations take turns, so that a slower stretch of the
  // machine weighs on each alike; each figure is the median of its runs.
  const runs = Object.fromEntries(MODES.map(m => [m, []])) as Record<
    Mode,
    Run[]
  >;
  // --only=with runs one configuration, for profiling; no ratio then.
  const only = args.find(a => a.startsWith('--only='))?.slice('--only='.length);
  if (only) {
    const run = await runChild(only as Mode, locations, size, db);
    console.log(
      `${only}: ${(run.ms / 1000).toFixed(1)} s${
        run.commits ? `, ${run.commits} PostgreSQL transactions` : ''
      }`,
    );
    fs.rmSync(dir, { recursive: true, force: true });
    return;
  }
  for (let i = 0; i < repeat; i++) {
    for (const mode of MODES) {
      runs[mode].push(await runChild(mode, locations, size, db));
    }
  }
  const median = (mode: Mode) => {
    const sorted = runs[mode].map(r => r.ms).sort((a, b) => a - b);
    const middle = sorted.length / 2;
    return Number.isInteger(middle)
      ? (sorted[middle - 1] + sorted[middle]) / 2
      : sorted[Math.floor(middle)];
  };
  const seconds = (mode: Mode) =>
    `${(median(mode) / 1000).toFixed(1)} s${
      repeat > 1
        ? ` (median of ${runs[mode]
            .map(r => (r.ms / 1000).toFixed(1))
            .join(', ')})`
        : ''
    }`;
  const without = median('without');
  const label: Record<Mode, string> = {
    without: 'baseline: catalog alone',
    declared: 'same Resources by hand',
    emitted: 'module, analyses done before',
    with: 'catalog + gitops module',
  };
  console.log(
    `components: ${size} (a third with a database in kubernetes/), ${runs.with[0].resources} Resources emitted by the module`,
  );
  console.log(
    `database: ${
      db === 'sqlite' ? 'SQLite (in process)' : 'PostgreSQL'
    }; times include backend start`,
  );
  for (const mode of MODES) {
    const commits = runs[mode][0].commits;
    console.log(
      `${label[mode].padEnd(30)} ${seconds(mode).padEnd(34)} ${(
        median(mode) / without
      ).toFixed(2)}x${mode === 'with' ? ' (target <= 1.3x)' : ''}${
        commits ? `, ${commits} PostgreSQL transactions` : ''
      }`,
    );
  }
  console.log(
    `the module's own work (with / analyses done before): ${(
      median('with') / median('emitted')
    ).toFixed(2)}x`,
  );
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
