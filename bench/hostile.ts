/* eslint-disable no-console */
/**
 * Benchmark: how long each hostile or broken descriptor takes to be
 * refused, against the baseline of parsing the seed's valid descriptors in
 * the same run. Target: every case answered within 100 ms.
 *
 *   npm run bench -- hostile
 */
import fs from 'node:fs';
import path from 'node:path';
import { DescriptorSource } from '@gitops/descriptors-common';
import { parseBuildInfo } from '@gitops/plugin-pipelines-common';
import {
  parseDeploymentInfo,
  parseManifests,
} from '@gitops/plugin-deployments-common';
import { parseMonitoringInfo } from '@gitops/plugin-monitoring-common';

type Parser = (source: DescriptorSource) => { ok: boolean };
const root = path.resolve(__dirname, '..');
const parsers: Record<string, Parser> = {
  'build-info.yaml': parseBuildInfo,
  'deployment-info.yaml': parseDeploymentInfo,
  'monitoring-info.yaml': parseMonitoringInfo,
  manifest: s => parseManifests([s]),
};

/** Which parser a fixture file is for. */
function parserFor(folder: string, file: string): [string, Parser] {
  if (folder.includes('pipelines'))
    return ['build-info.yaml', parsers['build-info.yaml']];
  if (folder.includes('monitoring'))
    return ['monitoring-info.yaml', parsers['monitoring-info.yaml']];
  if (file.includes('manifest')) return ['kubernetes/x.yaml', parsers.manifest];
  return ['deployment-info.yaml', parsers['deployment-info.yaml']];
}

/** Median time of a few runs, in ms. */
function measure(fn: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b)[2];
}

function generated(): [string, string, Parser][] {
  const chain = ['version: 2', 'a0: &a0 {type: javaBackend}'];
  for (let i = 1; i < 10000; i++) chain.push(`a${i}: &a${i} {<<: *a${i - 1}}`);
  const bomb = ['version: 2', 'a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 9; i++) {
    const [prev, cur] = ['abcdefghi'[i - 1], 'abcdefghi'[i]];
    bomb.push(`${cur}: &${cur} [${Array(10).fill(`*${prev}`).join(', ')}]`);
  }
  const pod = (i: number) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  k: v\n`;
  return [
    [
      'generated: 10,000-entry merge chain',
      chain.join('\n'),
      parsers['build-info.yaml'],
    ],
    [
      'generated: alias bomb (10^9 nodes)',
      bomb.join('\n'),
      parsers['build-info.yaml'],
    ],
    [
      'generated: 5 MB file',
      `version: 2\n# ${'x'.repeat(5 << 20)}\n`,
      parsers['build-info.yaml'],
    ],
    [
      'generated: 64 KiB of keys, just under the size limit',
      `metadata:\n  schemaVersion: 5\n${Array.from(
        { length: 5400 },
        (_, i) => `k${i}: v`,
      ).join('\n')}\n`.slice(0, 65000),
      parsers['monitoring-info.yaml'],
    ],
    [
      'generated: 5 MB of keys',
      `version: 2\n${Array.from({ length: 200000 }, (_, i) => `k${i}: v`).join(
        '\n',
      )}\n`,
      parsers['monitoring-info.yaml'],
    ],
    [
      'generated: 1,000-document manifest',
      Array.from({ length: 1000 }, (_, i) => pod(i)).join('---\n'),
      parsers.manifest,
    ],
  ];
}

function main() {
  const cases: [string, string, Parser, string][] = [];
  for (const area of ['pipelines', 'deployments', 'monitoring']) {
    const folder = path.join(
      root,
      `plugins/${area}-common/src/__fixtures__/hostile`,
    );
    for (const file of fs
      .readdirSync(folder)
      .filter(f => f.endsWith('.yaml'))
      .sort()) {
      const [sourcePath, parser] = parserFor(folder, file);
      cases.push([
        `${area}/${file}`,
        fs.readFileSync(path.join(folder, file), 'utf8'),
        parser,
        sourcePath,
      ]);
    }
  }
  for (const [name, text, parser] of generated())
    cases.push([name, text, parser, 'x.yaml']);

  const seed = path.join(root, 'examples/example-app');
  const baseline = measure(() => {
    parseBuildInfo({
      path: 'build-info.yaml',
      text: fs.readFileSync(path.join(seed, 'build-info.yaml'), 'utf8'),
    });
    parseDeploymentInfo({
      path: 'deployment-info.yaml',
      text: fs.readFileSync(path.join(seed, 'deployment-info.yaml'), 'utf8'),
    });
    parseMonitoringInfo({
      path: 'monitoring-info.yaml',
      text: fs.readFileSync(path.join(seed, 'monitoring-info.yaml'), 'utf8'),
    });
  });

  const results = cases.map(([name, text, parser, sourcePath]) => {
    let accepted = false;
    const ms = measure(() => {
      accepted = parser({ path: sourcePath, text }).ok;
    });
    return { name, ms, accepted };
  });
  results.sort((a, b) => b.ms - a.ms);
  console.log(`hostile cases            ${results.length}`);
  console.log(
    `baseline: seed parse     ${baseline.toFixed(
      2,
    )} ms (all three seed descriptors)`,
  );
  console.log(
    `median hostile case      ${results[results.length >> 1].ms.toFixed(2)} ms`,
  );
  console.log(
    `slowest hostile case     ${results[0].ms.toFixed(2)} ms = ${(
      results[0].ms / baseline
    ).toFixed(1)}x baseline (target < 100 ms): ${results[0].name}`,
  );
  console.log('five slowest:');
  for (const r of results.slice(0, 5))
    console.log(`  ${r.ms.toFixed(2).padStart(8)} ms  ${r.name}`);
  const accepted = results.filter(r => r.accepted).map(r => r.name);
  // Some fixtures are only invalid against the other files of their
  // repository (e.g. a canary service missing from kubernetes/); alone they
  // parse, which is reported rather than hidden.
  console.log(
    `accepted when parsed alone: ${accepted.length}${
      accepted.length ? ` (${accepted.join(', ')})` : ''
    }`,
  );
}

main();
