/* eslint-disable no-console */
/**
 * Benchmark: ingest a synthetic catalog of service repositories with
 * descriptor files, with and without the gitops catalog module, each in a
 * fresh backend process with its own SQLite database, and print the ratio.
 * Target: the module costs at most 1.3x the catalog's time without it.
 *
 *   npm run bench -- catalog [components]
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
    targets.push(`./${name}/catalog-info.yaml`);
  }
  const locations = path.join(dir, 'locations.yaml');
  fs.writeFileSync(
    locations,
    `apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: fleet\nspec:\n  targets:\n${targets
      .map(t => `    - ${t}`)
      .join('\n')}\n`,
  );
  return locations;
}

/** Child: one backend, timed until every component is in the catalog. */
async function child(withModule: boolean, locations: string, size: number) {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-bench-db-'));
  const config = path.join(data, 'app-config.yaml');
  fs.writeFileSync(
    config,
    JSON.stringify({
      backend: {
        baseUrl: 'http://localhost:7099',
        listen: { port: 7099, host: '127.0.0.1' },
        database: { client: 'better-sqlite3', connection: { directory: data } },
      },
      catalog: {
        rules: [
          { allow: ['Component', 'Resource', 'Location', 'System', 'API'] },
        ],
        locations: [{ type: 'file', target: locations }],
      },
    }),
  );
  process.argv.push('--config', config);
  const { createBackend } = require('@backstage/backend-defaults');
  const Database = require('better-sqlite3');
  const backend = createBackend();
  backend.add(require('@backstage/plugin-catalog-backend'));
  if (withModule)
    backend.add(require('@gitops/plugin-catalog-backend-module-gitops'));
  const start = Date.now();
  await backend.start();
  const db = new Database(path.join(data, 'catalog.sqlite'), {
    readonly: true,
  });
  const count = (pattern: string) =>
    (
      db
        .prepare(
          `SELECT COUNT(*) AS n FROM final_entities WHERE final_entity LIKE ?`,
        )
        .get(pattern) as { n: number }
    ).n;
  // Done when every component is stitched; with the module, when every one
  // is annotated and every database it found is a Resource in the catalog.
  const marker = withModule ? '%gitops.io/dashboards%' : '%"kind":"Component"%';
  const databases = withModule ? Math.ceil(size / 3) : 0;
  for (;;) {
    if (count(marker) >= size && count('%"kind":"Resource"%') >= databases)
      break;
    if (Date.now() - start > 20 * 60_000) throw new Error('timed out');
    await new Promise(r => setTimeout(r, 200));
  }
  const ms = Date.now() - start;
  const resources = count('%"kind":"Resource"%');
  console.log(
    JSON.stringify({ ms, resources, rss: process.memoryUsage().rss }),
  );
  await backend.stop();
  process.exit(0);
}

function runChild(withModule: boolean, locations: string, size: number) {
  return new Promise<{ ms: number; resources: number; rss: number }>(
    (resolve, reject) => {
      const p = spawn(
        process.execPath,
        [
          ...process.execArgv,
          __filename,
          '--child',
          withModule ? 'with' : 'without',
          locations,
          String(size),
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
    },
  );
}

async function main() {
  if (process.argv[2] === '--child') {
    await child(
      process.argv[3] === 'with',
      process.argv[4],
      Number(process.argv[5]),
    );
    return;
  }
  const size = Number(process.argv[2] ?? 5000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-bench-fleet-'));
  const locations = writeFleet(dir, size);
  const without = await runChild(false, locations, size);
  const withModule = await runChild(true, locations, size);
  const rows = [
    [
      'components',
      `${size} (a third with a database in kubernetes/); times include backend start`,
    ],
    ['baseline: catalog alone', `${(without.ms / 1000).toFixed(1)} s`],
    [
      'catalog + gitops module',
      `${(withModule.ms / 1000).toFixed(1)} s (including its ${
        withModule.resources
      } Resources)`,
    ],
    ['ratio', `${(withModule.ms / without.ms).toFixed(2)}x (target <= 1.3x)`],
  ];
  for (const [k, v] of rows) console.log(`${k.padEnd(26)} ${v}`);
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
