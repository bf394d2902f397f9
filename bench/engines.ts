/* eslint-disable no-console */
/**
 * Benchmark: generate everything (pipelines, deployment objects, dashboards,
 * rules and routes, serialized) for a synthetic fleet of service
 * repositories, against the baseline of only parsing the same files, in the
 * same run. Target: generation at most 3x the bare parse, peak RSS under
 * 512 MB.
 *
 *   npm run bench -- engines [fleetSize]
 */
import {
  catalogContextFromRepository,
  DescriptorSource,
  parseDescriptorSet,
  parseYaml,
} from '@gitops/descriptors-common';
import {
  expandBuildInfo,
  parseBuildInfo,
  pipelineFiles,
} from '@gitops/plugin-pipelines-common';
import {
  deploymentFiles,
  parseDeploymentInfo,
  parseManifests,
  renderDeployment,
} from '@gitops/plugin-deployments-common';
import {
  generateMonitoring,
  monitoringFiles,
  parseMonitoringInfo,
} from '@gitops/plugin-monitoring-common';

interface Repo {
  descriptors: {
    catalog: DescriptorSource;
    build: DescriptorSource;
    deployment: DescriptorSource;
    monitoring: DescriptorSource;
  };
  manifests: DescriptorSource[];
}

const TEMPLATES = [
  'javaBackend:\n    javaVersion: 21\n    parallelize: true',
  'nodeService:\n    nodeVersion: 22',
  'nextjs:\n    parallelize: true',
  'javaBackend:\n    javaVersion: 17',
];

/** One synthetic service repository, varied by index. */
function makeRepo(i: number): Repo {
  const name = `svc-${i}`;
  const withDb = i % 3 === 0;
  const canary = i % 2 === 0;
  const template = TEMPLATES[i % TEMPLATES.length];
  const type = template.split(':')[0];
  const src = (path: string, text: string) => ({ path, text });
  const manifests = [
    src(
      'kubernetes/deployment.yaml',
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${2 + (i % 4)}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: ${name}
          image: ${name}
          ports:
            - name: grpc
              containerPort: 5990
`,
    ),
    src(
      'kubernetes/service.yaml',
      `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector:
    app: ${name}
  ports:
    - name: grpc
      port: 5990
      targetPort: grpc
${
  // Half of the canaries declare their canary Service; the others have it
  // derived from the stable one.
  i % 4 === 0
    ? `---
apiVersion: v1
kind: Service
metadata:
  name: ${name}-canary
spec:
  selector:
    app: ${name}
  ports:
    - name: grpc
      port: 5990
      targetPort: grpc
`
    : ''
}`,
    ),
  ];
  if (withDb) {
    manifests.push(
      src(
        'kubernetes/db.yaml',
        `apiVersion: sql.cnrm.cloud.google.com/v1beta1
kind: SQLInstance
metadata:
  name: ${name}-db
  annotations:
    cnrm.cloud.google.com/project-id: my-project
spec:
  databaseVersion: POSTGRES_14
  region: europe-west1
  settings:
    tier: db-custom-1-3840
`,
      ),
    );
  }
  return {
    descriptors: {
      catalog: src(
        'catalog-info.yaml',
        `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  annotations:
    spotify.com/service-tier: '${1 + (i % 4)}'
spec:
  type: service
  lifecycle: production
  owner: team-${i % 50}
  system: system-${i % 20}
${withDb ? `  dependsOn: ['resource:${name}-db']\n` : ''}`,
      ),
      build: src(
        'build-info.yaml',
        `version: 2\ntemplate:\n  type: ${type}\n  ${template}\n`,
      ),
      deployment: src(
        'deployment-info.yaml',
        `version: 1
components:
- componentId: ${name}
  tugboat:
    backends:
    - backend: kubernetes
${
  canary
    ? `    automatedCanary:
      canaryService: ${name}-canary
      steps:
      - setWeight: 20
      - pause: { duration: 5m }
      - analysis:
          templates:
            - templateName: javaBackend
`
    : ''
}`,
      ),
      monitoring: src(
        'monitoring-info.yaml',
        `metadata:
  schemaVersion: 5
components:
  ${name}:
    - name: "[${name}] Dashboard"
      panels:
        - template: javaBackend
          type: bundle
          override:
            grpc/server/rpc-latency:
              threshold_ms: ${500 + (i % 10) * 100}
        - template: http-client
          type: bundle
        - template: custom/metric
          title: Errors ${i}
          what: app.errors
          aggregation:
            category: Group By
            type: sum
            of: [pod]
          alias: "[[tag_pod]]"
          threshold: ${5 + (i % 20)}
          threshold_type: gt
          window_unit: m
          window_value: 10
          action: ${i % 2 ? 'pagerduty' : 'slack'}
`,
      ),
    },
    manifests,
  };
}

/** Baseline: parse every file of the repository as YAML, nothing more. */
function parseOnly(repo: Repo): number {
  const parsed = parseDescriptorSet(repo);
  if (parsed.problems.length) throw new Error(JSON.stringify(parsed.problems));
  return parsed.manifests.length;
}

/**
 * Everything a repository produces: every file parsed once and validated,
 * the catalog context, the expanded pipeline, the deployment objects and the
 * dashboards, rules and routes. With `serialize`, every output is also
 * written out as text (YAML, dashboard JSON), as the CLI prints it. Returns
 * a figure derived from the outputs so nothing is optimised away.
 */
function generateAll(repo: Repo, serialize: boolean): number {
  const catalog = parseYaml(
    repo.descriptors.catalog.path,
    repo.descriptors.catalog.text,
    {
      maxDocuments: 50,
    },
  );
  const build = parseBuildInfo(repo.descriptors.build);
  const deployment = parseDeploymentInfo(repo.descriptors.deployment);
  const monitoring = parseMonitoringInfo(repo.descriptors.monitoring);
  const manifests = parseManifests(repo.manifests);
  if (
    !catalog.ok ||
    !build.ok ||
    !deployment.ok ||
    !monitoring.ok ||
    !manifests.ok
  ) {
    throw new Error(`invalid synthetic repository`);
  }
  const context = catalogContextFromRepository({
    catalogEntities: catalog.documents.map(d => d.data),
    manifests: manifests.value.map(o => o.object),
    fallbackName: 'x',
  });
  const pipeline = expandBuildInfo(build, context);
  const objects = renderDeployment({
    info: deployment,
    manifests: manifests.value,
    commit: '439ac5d0c1b2a3f4e5d6c7b8a9f0e1d2c3b4a5f6',
    environment: 'production',
    context,
  });
  const output = generateMonitoring(monitoring, context);
  if (!pipeline.ok || !objects.ok || !output.ok) {
    throw new Error('generation failed');
  }
  if (!serialize) {
    return (
      pipeline.value.pipelines.length +
      objects.value.length +
      output.value.dashboards.length
    );
  }
  // The files every caller writes: the CLI, the scaffolder actions, the
  // registry actions.
  const files = [
    ...pipelineFiles(pipeline.value, 'tingle', {
      component: context.component.name,
    }),
    ...deploymentFiles(objects.value),
    ...monitoringFiles(output.value),
  ];
  return files.reduce((bytes, f) => bytes + f.content.length, 0);
}

function time(
  label: string,
  fleet: Repo[],
  fn: (r: Repo) => number,
  peak: { rss: number },
) {
  const start = process.hrtime.bigint();
  let sink = 0;
  for (let i = 0; i < fleet.length; i++) {
    sink += fn(fleet[i]);
    if (i % 250 === 0) peak.rss = Math.max(peak.rss, process.memoryUsage().rss);
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  peak.rss = Math.max(peak.rss, process.memoryUsage().rss);
  return { label, ms, sink };
}

function main() {
  const size = Number(process.argv[2] ?? 10000);
  const fleet = Array.from({ length: size }, (_, i) => makeRepo(i));
  const peak = { rss: 0 };
  // Warm-up, so that neither side pays for JIT compilation.
  const generate = (r: Repo) => generateAll(r, false);
  const generateAndWrite = (r: Repo) => generateAll(r, true);
  for (let i = 0; i < Math.min(300, size); i++) {
    parseOnly(fleet[i]);
    generateAndWrite(fleet[i]);
  }
  // Interleaved rounds; the best of each is reported.
  const runs = {
    parse: [] as number[],
    generate: [] as number[],
    write: [] as number[],
  };
  let bytes = 0;
  for (let round = 0; round < 2; round++) {
    runs.parse.push(time('parse', fleet, parseOnly, peak).ms);
    runs.generate.push(time('generate', fleet, generate, peak).ms);
    const w = time('write', fleet, generateAndWrite, peak);
    runs.write.push(w.ms);
    bytes = w.sink;
  }
  const p = Math.min(...runs.parse);
  const g = Math.min(...runs.generate);
  const w = Math.min(...runs.write);
  const line = (ms: number) =>
    `${ms.toFixed(0).padStart(6)} ms ${((ms * 1000) / size)
      .toFixed(0)
      .padStart(5)} µs/repo ${(ms / p).toFixed(2).padStart(5)}x`;
  const rows = [
    ['fleet size', `${size} repositories`],
    ['baseline: parse only', line(p)],
    ['generate everything', `${line(g)} (target <= 3x)`],
    [
      'generate + serialize',
      `${line(w)} (${(bytes / 1024 / 1024).toFixed(0)} MB of YAML/JSON)`,
    ],
    ['peak RSS', `${(peak.rss / 1024 / 1024).toFixed(0)} MB (target < 512 MB)`],
  ];
  for (const [k, v] of rows) console.log(`${k.padEnd(22)} ${v}`);
}

main();
