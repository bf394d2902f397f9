import fs from 'node:fs';
import path from 'node:path';
import {
  formatProblem,
  minimalCatalogContext,
} from '@gitops/descriptors-common';
import {
  expandBuildInfo,
  MASTER_PIPELINE,
  parseBuildInfo,
  PipelineDefinition,
} from '@gitops/plugin-pipelines-common';
import type { PlannedStep } from '@gitops/plugin-pipelines-node';
import {
  bareRepoWith,
  executor,
  RecordingReporter,
  removeTmpDirs,
  request,
} from './__testUtils__/fixtures';

/**
 * The Node Service template's master build, expanded from its own
 * build-info.yaml and run by the local executor on the skeleton: npm ci
 * (from the npm registry, through the sandbox's network), lint, test with
 * JUnit, build, the OCI image and the deploy step.
 */
const SKELETON = path.resolve(
  __dirname,
  '../../../../templates/node-service/skeleton',
);
const NAME = 'hello-node';

function renderSkeleton(): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(SKELETON, dir), {
      withFileTypes: true,
    })) {
      const rel = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else
        files[rel.replace(/\.njk$/, '')] = fs
          .readFileSync(path.join(SKELETON, rel), 'utf8')
          .replace(/\$\{\{ *values\.name *\}\}/g, NAME)
          .replace(/\$\{\{ *values\.owner *\}\}/g, 'team-a')
          .replace(/\$\{\{ *values\.[\w.]+ *\}\}/g, 'x');
    }
  };
  walk('.');
  return files;
}

function masterPipeline(buildInfo: string): PipelineDefinition {
  const parsed = parseBuildInfo({ path: 'build-info.yaml', text: buildInfo });
  if (!parsed.ok)
    throw new Error(parsed.problems.map(formatProblem).join('\n'));
  const expanded = expandBuildInfo(
    parsed,
    minimalCatalogContext(NAME, { owner: 'team-a', tier: 3 }),
  );
  if (!expanded.ok)
    throw new Error(expanded.problems.map(formatProblem).join('\n'));
  return expanded.value.pipelines.find(p => p.pipeline === MASTER_PIPELINE)!;
}

function planOf(pipeline: PipelineDefinition): PlannedStep[] {
  return pipeline.stages.flatMap((stage, s) =>
    stage.tasks.flatMap((task, t) =>
      task.steps.map((step, index) => ({
        id: `${s}.${t}.${index}`,
        stage: s,
        task: t,
        index,
        step,
      })),
    ),
  );
}

describe('the Node Service template on the local executor', () => {
  afterAll(removeTmpDirs);
  it('passes its master build end to end, with test results and an image digest for the deploy', async () => {
    const files = renderSkeleton();
    const repo = bareRepoWith(files);
    const pipeline = masterPipeline(files['build-info.yaml']);
    const steps = planOf(pipeline);
    expect(
      steps.map(s => [s.step.action, ...(s.step.args ?? [])].join(' ')),
    ).toEqual([
      'action-containers/node22:latest ci',
      'action-containers/node22:latest run lint',
      'action-containers/node22:latest test',
      'action-containers/node22:latest run build',
      `action-containers/image-publish:latest --image ${NAME} --context .`,
      `action-containers/deploy:latest deploy ${NAME} --entity-id=${NAME} --path=. --git-commit=$COMMIT_SHA`,
    ]);

    const reporter = new RecordingReporter();
    const result = await executor().execute(request(repo, steps), reporter);
    const failed = [...reporter.outcomes].find(
      ([, o]) => o.status !== 'succeeded',
    );
    // On failure, the step's own log says what broke (npm's network errors included).
    expect(
      failed
        ? `${failed[0]}: ${failed[1].message}\n${reporter
            .log_(failed[0])
            .slice(-3000)}`
        : '',
    ).toBe('');
    expect(result).toEqual({ status: 'succeeded' });

    const tests = reporter.outcomes.get('0.0.2')!.tests!;
    expect(tests.failed).toBe(0);
    expect(tests.passed).toBeGreaterThan(0);
    expect(reporter.log_('0.0.2')).toMatch(/✔ /);

    const image = reporter.outcomes.get('0.0.4')!.outputs!;
    expect(image.IMAGE_REF).toBe(`${NAME}:${repo.sha.slice(0, 12)}`);
    expect(image.IMAGE_DIGEST).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(reporter.log_('1.0.0')).toContain(
      `IMAGE_DIGEST=${image.IMAGE_DIGEST}`,
    );
    expect(reporter.outcomes.get('1.0.0')?.message).toBe(
      'No deployer is installed; the deploy request was recorded.',
    );
  }, 600_000);
});
