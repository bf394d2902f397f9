import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type {
  StepAction,
  StepActionContext,
} from '@gitops/plugin-pipelines-node';
import {
  bareRepoWith,
  executor,
  plan,
  RecordingReporter,
  removeTmpDirs,
  request,
  sh,
  tmpDir,
} from './__testUtils__/fixtures';

const node22 = (...args: string[]) => ({
  action: 'action-containers/node22:latest',
  args,
});

/** A small Node project without dependencies, tested with node:test. */
const PROJECT = {
  'package.json': JSON.stringify(
    {
      name: 'demo',
      version: '1.0.0',
      private: true,
      scripts: {
        lint: 'node --check src/greet.js',
        test: 'node --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination="$JUNIT_REPORT" "test/*.test.js"',
        build: 'node build.js',
      },
    },
    null,
    2,
  ),
  'src/greet.js': 'exports.greet = name => `Hello, ${name}!`;\n',
  'test/greet.test.js': [
    "const test = require('node:test');",
    "const assert = require('node:assert');",
    "const { greet } = require('../src/greet.js');",
    "test('greets by name', () => assert.strictEqual(greet('Ada'), 'Hello, Ada!'));",
    "test('greets the world', () => assert.strictEqual(greet('world'), 'Hello, world!'));",
    "test('speaks French', { skip: 'not yet' }, () => {});",
    '',
  ].join('\n'),
  'build.js': [
    "const fs = require('node:fs');",
    "fs.mkdirSync('dist', { recursive: true });",
    "fs.copyFileSync('src/greet.js', 'dist/app.js');",
    "fs.appendFileSync(process.env.PIPELINE_OUTPUTS, 'BUILD_ARTIFACT=dist/app.js\\n');",
    "console.log('built dist/app.js');",
    '',
  ].join('\n'),
};

/**
 * The names in a tar archive. (GNU tar refuses umoci 0.4's layers, which
 * end without the two zero blocks; container runtimes read them.)
 */
function tarEntries(tar: Buffer): string[] {
  const names: string[] = [];
  const field = (at: number, length: number, offset: number) =>
    tar
      .subarray(offset + at, offset + at + length)
      .toString('utf8')
      .replace(/\0.*$/s, '');
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const name = field(0, 100, offset);
    if (!name) break;
    const prefix = field(345, 155, offset);
    names.push(prefix ? `${prefix}/${name}` : name);
    const size = parseInt(field(124, 12, offset).trim() || '0', 8);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return names;
}

describe('LocalExecutor', () => {
  afterAll(removeTmpDirs);
  jest.setTimeout(180_000);
  const repo = bareRepoWith(PROJECT);

  it('runs a Node pipeline end to end: tests, outputs, an OCI image, publish and deploy', async () => {
    const workDir = tmpDir('pipelines-work');
    const reporter = new RecordingReporter();
    const req = request(
      repo,
      plan([
        [
          [
            node22('test'),
            node22('run', 'build'),
            {
              action: 'action-containers/image-publish:latest',
              args: ['--image', 'demo', '--context', '.'],
            },
          ],
          [node22('run', 'lint')],
        ],
        [
          [
            {
              action: 'action-containers/deploy:latest',
              args: [
                'deploy demo --entity-id=demo --path=. --git-commit=$COMMIT_SHA',
              ],
              entrypoint: '/bin/bash',
            },
            sh('echo "artifact=$BUILD_ARTIFACT digest=$IMAGE_DIGEST"'),
          ],
          [
            node22('run', 'build'),
            {
              action: 'action-containers/static-publish:latest',
              args: ['--dir', 'dist', '--site', 'demo'],
            },
          ],
        ],
      ]),
    );
    const result = await executor({ workDir }).execute(req, reporter);

    expect(reporter.outcomes.get('s0t0i2')?.message).toBeUndefined();
    const statuses = Object.fromEntries(
      [...reporter.outcomes].map(([id, o]) => [id, o.status]),
    );
    expect({ result, statuses }).toEqual({
      result: { status: 'succeeded' },
      statuses: {
        s0t0i0: 'succeeded',
        s0t0i1: 'succeeded',
        s0t0i2: 'succeeded',
        s0t1i0: 'succeeded',
        s1t0i0: 'succeeded',
        s1t0i1: 'succeeded',
        s1t1i0: 'succeeded',
        s1t1i1: 'succeeded',
      },
    });
    // Stages in order: every step of the first stage ended before the second began.
    const lastOfFirst = Math.max(
      ...['s0t0i2', 's0t1i0'].map(id =>
        reporter.events.indexOf(`finished ${id} succeeded`),
      ),
    );
    expect(reporter.events.indexOf('started s1t0i0')).toBeGreaterThan(
      lastOfFirst,
    );

    // npm test: the spec reporter in the log, the JUnit report in the outcome.
    expect(reporter.log_('s0t0i0')).toContain('$ /usr/bin/npm test');
    expect(reporter.log_('s0t0i0')).toContain('greets by name');
    expect(reporter.outcomes.get('s0t0i0')).toEqual({
      status: 'succeeded',
      exitCode: 0,
      tests: { passed: 2, failed: 0, skipped: 1, failures: [] },
    });

    // Outputs: the build's, then the image's, passed on across tasks.
    expect(reporter.outcomes.get('s0t0i1')?.outputs).toEqual({
      BUILD_ARTIFACT: 'dist/app.js',
    });
    const image = reporter.outcomes.get('s0t0i2')!.outputs!;
    expect(image.IMAGE_REF).toBe(`demo:${repo.sha.slice(0, 12)}`);
    expect(image.IMAGE_DIGEST).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(reporter.log_('s1t0i1')).toContain(
      `artifact=dist/app.js digest=${image.IMAGE_DIGEST}`,
    );

    // A real OCI image layout: the digest is the manifest's, the layer holds the build.
    const layout = image.IMAGE_LAYOUT;
    expect(layout).toBe(
      path.join(workDir, 'images', `demo-${repo.sha.slice(0, 12)}`),
    );
    const blob = (digest: string) =>
      path.join(layout, 'blobs', 'sha256', digest.replace('sha256:', ''));
    const manifestBytes = fs.readFileSync(blob(image.IMAGE_DIGEST));
    expect(
      `sha256:${crypto
        .createHash('sha256')
        .update(manifestBytes)
        .digest('hex')}`,
    ).toBe(image.IMAGE_DIGEST);
    const manifest = JSON.parse(manifestBytes.toString());
    expect(manifest.schemaVersion).toBe(2);
    expect(manifest.config.mediaType).toBe(
      'application/vnd.oci.image.config.v1+json',
    );
    const files = manifest.layers.flatMap((l: { digest: string }) =>
      tarEntries(zlib.gunzipSync(fs.readFileSync(blob(l.digest)))),
    );
    expect(files).toEqual(
      expect.arrayContaining(['app/dist/app.js', 'app/package.json']),
    );
    expect(
      files.filter((f: string) =>
        /(^|\/)(\.git|\.pipelines|node_modules)\//.test(f),
      ),
    ).toEqual([]);
    const config = JSON.parse(
      fs.readFileSync(blob(manifest.config.digest), 'utf8'),
    );
    expect(config.config.WorkingDir).toBe('/app');
    expect(config.config.Labels['org.opencontainers.image.revision']).toBe(
      repo.sha,
    );

    // The deploy step without a deployer: recorded, with a note.
    expect(reporter.outcomes.get('s1t0i0')).toEqual({
      status: 'succeeded',
      message: 'No deployer is installed; the deploy request was recorded.',
    });
    expect(reporter.log_('s1t0i0')).toContain(
      'No deployer is installed: the deploy request was recorded and nothing was deployed.',
    );
    expect(reporter.log_('s1t0i0')).toContain(
      `IMAGE_DIGEST=${image.IMAGE_DIGEST}`,
    );

    // static-publish: the built folder, kept after the run.
    const site = reporter.outcomes.get('s1t1i1')!.outputs!;
    expect(site).toEqual({
      STATIC_SITE: 'demo',
      STATIC_SITE_DIR: path.join(workDir, 'published', 'demo'),
    });
    expect(
      fs.readFileSync(path.join(site.STATIC_SITE_DIR, 'app.js'), 'utf8'),
    ).toBe(PROJECT['src/greet.js']);

    // The workspaces are gone with the run.
    expect(fs.existsSync(path.join(workDir, req.runId))).toBe(false);
  });

  it('fails at a failing test, names it, and skips what follows', async () => {
    const broken = bareRepoWith({
      ...PROJECT,
      'src/greet.js': 'exports.greet = name => `Hi, ${name}!`;\n',
    });
    const reporter = new RecordingReporter();
    const result = await executor().execute(
      request(
        broken,
        plan([
          [[node22('test'), node22('run', 'build')]],
          [[sh('echo deploy')]],
        ]),
      ),
      reporter,
    );
    expect(result.status).toBe('failed');
    const test = reporter.outcomes.get('s0t0i0')!;
    expect(test).toMatchObject({
      status: 'failed',
      exitCode: 1,
      message: 'npm exited with status 1.',
      tests: { passed: 0, failed: 2, skipped: 1 },
    });
    expect(test.tests!.failures.map(f => f.name)).toEqual([
      'greets by name',
      'greets the world',
    ]);
    expect(test.tests!.failures[0].message).toContain('Hi, Ada!');
    expect(reporter.outcomes.get('s0t0i1')).toEqual({
      status: 'skipped',
      message: 'Not run: step 1 of this task failed.',
    });
    expect(reporter.outcomes.get('s1t0i0')).toEqual({
      status: 'skipped',
      message: 'Not run: a step of an earlier stage failed.',
    });
    expect(reporter.events).not.toContain('started s0t0i1');
  });

  it('passes on the outputs of reused steps without running them', async () => {
    const reporter = new RecordingReporter();
    const steps = plan([
      [[sh('echo never'), sh('echo "digest=$IMAGE_DIGEST"')]],
    ]);
    steps[0].reuse = { outputs: { IMAGE_DIGEST: 'sha256:earlier' } };
    const result = await executor().execute(request(repo, steps), reporter);
    expect(result.status).toBe('succeeded');
    expect(reporter.outcomes.get('s0t0i0')).toEqual({
      status: 'skipped',
      message: 'Kept from the run this one re-runs.',
      outputs: { IMAGE_DIGEST: 'sha256:earlier' },
    });
    expect(reporter.events).not.toContain('started s0t0i0');
    expect(reporter.log_('s0t0i1')).toContain('digest=sha256:earlier');
  });

  it('fails the first step clearly when the clone fails', async () => {
    const reporter = new RecordingReporter();
    const missing = '0123456789abcdef0123456789abcdef01234567';
    const result = await executor().execute(
      request(
        { url: repo.url, sha: missing },
        plan([[[sh('echo a'), sh('echo b')]]]),
      ),
      reporter,
    );
    expect(result.status).toBe('failed');
    expect(reporter.outcomes.get('s0t0i0')?.message).toMatch(
      new RegExp(
        `^Could not prepare the workspace: commit ${missing} \\(master\\) is not in `,
      ),
    );
    expect(reporter.outcomes.get('s0t0i1')?.status).toBe('skipped');

    const other = new RecordingReporter();
    await executor().execute(
      request(
        { url: '/nonexistent/repo.git', sha: repo.sha },
        plan([[[sh('echo a')]]]),
      ),
      other,
    );
    expect(other.outcomes.get('s0t0i0')?.message).toMatch(
      /^Could not prepare the workspace: git clone of \/nonexistent\/repo\.git failed: .*does not exist/,
    );
  });

  it('fails unknown actions and missing tools naming the config key', async () => {
    const reporter = new RecordingReporter();
    await executor().execute(
      request(
        repo,
        plan([
          [
            [{ action: 'action-containers/nope:1.0' }],
            [
              {
                action: 'action-containers/techdocs:latest',
                args: ['generate'],
              },
            ],
            [
              node22('--version'),
              { action: 'action-containers/node24:latest', args: ['ci'] },
            ],
          ],
        ]),
      ),
      reporter,
    );
    expect(reporter.outcomes.get('s0t0i0')).toEqual({
      status: 'failed',
      message:
        'Action "action-containers/nope" has no local implementation: set pipelines.local.actions["action-containers/nope"] in app-config.yaml to the command that runs it.',
    });
    expect(reporter.outcomes.get('s0t1i0')?.message).toMatch(
      /^Action "action-containers\/techdocs" needs the tool "techdocs-cli", which is not installed on this machine .*set pipelines\.local\.actions\["action-containers\/techdocs"\] in app-config\.yaml/,
    );
    expect(reporter.outcomes.get('s0t2i0')?.status).toBe('succeeded');
    expect(reporter.outcomes.get('s0t2i1')?.message).toMatch(
      /^Action "action-containers\/node24" needs Node\.js 24, which is not installed on this machine .*pipelines\.local\.actions\["action-containers\/node24"\]/,
    );
  });

  it('fails steps clearly when bubblewrap is not installed', async () => {
    const path_ = process.env.PATH;
    process.env.PATH = '/nonexistent';
    let withoutBwrap;
    try {
      withoutBwrap = executor();
    } finally {
      process.env.PATH = path_;
    }
    const reporter = new RecordingReporter();
    const result = await withoutBwrap.execute(
      request(repo, plan([[[sh('echo hi')]]])),
      reporter,
    );
    expect(result.status).toBe('failed');
    expect(reporter.outcomes.get('s0t0i0')).toEqual({
      status: 'failed',
      message:
        'Steps run in a bubblewrap sandbox, but bwrap is not installed on this machine: install the Debian package "bubblewrap" (scripts/system-deps.sh does).',
    });
  });

  it('runs Maven with the JDK its image names', async () => {
    const reporter = new RecordingReporter();
    await executor().execute(
      request(
        repo,
        plan([
          [[{ action: 'action-containers/mvn-java17:latest', args: ['-v'] }]],
        ]),
      ),
      reporter,
    );
    expect(reporter.outcomes.get('s0t0i0')).toEqual({
      status: 'succeeded',
      exitCode: 0,
    });
    expect(reporter.log_('s0t0i0')).toMatch(
      /^\$ \/usr\/bin\/mvn --batch-mode -v\n/,
    );
    expect(reporter.log_('s0t0i0')).toMatch(/Apache Maven 3\./);
    expect(reporter.log_('s0t0i0')).toMatch(/Java version: 17\./);
  });

  it('runs an in-process step action with the run, args, env and workspace', async () => {
    const seen: StepActionContext[] = [];
    const deployer: StepAction = {
      image: 'action-containers/deploy',
      description: 'deploys with the test deployer',
      async run(ctx) {
        seen.push(ctx);
        await ctx.log('deploying\n');
        return {
          status: 'succeeded',
          outputs: {
            DEPLOYED: fs.existsSync(path.join(ctx.workspace, 'package.json'))
              ? 'yes'
              : 'no',
          },
        };
      },
    };
    const reporter = new RecordingReporter();
    await executor({ stepActions: [deployer] }).execute(
      request(
        repo,
        plan([
          [
            [
              sh('echo IMAGE_DIGEST=sha256:abc >> "$PIPELINE_OUTPUTS"'),
              {
                action: 'action-containers/deploy:latest',
                args: ['deploy demo'],
                entrypoint: '/bin/bash',
              },
              sh('echo "deployed=$DEPLOYED"'),
            ],
          ],
        ]),
      ),
      reporter,
    );
    expect(seen).toHaveLength(1);
    expect(seen[0].args).toEqual(['deploy demo']);
    expect(seen[0].env).toMatchObject({
      COMMIT_SHA: repo.sha,
      COMPONENT: 'demo',
      IMAGE_DIGEST: 'sha256:abc',
    });
    expect(seen[0].run).not.toHaveProperty('steps');
    expect(reporter.log_('s0t0i1')).toBe(
      'action-containers/deploy: deploys with the test deployer\ndeploying\n',
    );
    expect(reporter.log_('s0t0i2')).toContain('deployed=yes');
  });

  it('reads JUnit from reports/, and logs (not crashes on) a bad report', async () => {
    const junit =
      '<testsuites><testsuite name="suite"><testcase name="ok"/><testcase name="bad"><failure message="boom"/></testcase></testsuite></testsuites>';
    const reporter = new RecordingReporter();
    await executor().execute(
      request(
        repo,
        plan([
          [
            [
              sh(
                `mkdir -p reports && printf '%s' '${junit}' > reports/junit-unit.xml`,
              ),
              sh('echo "<testsuites><testcase" > "$JUNIT_REPORT"'),
              sh('ln -s /etc/passwd reports/junit-link.xml'),
              sh('echo nothing new'),
            ],
          ],
        ]),
      ),
      reporter,
    );
    expect(reporter.outcomes.get('s0t0i0')).toEqual({
      status: 'succeeded',
      exitCode: 0,
      tests: {
        passed: 1,
        failed: 1,
        skipped: 0,
        failures: [{ suite: 'suite', name: 'bad', message: 'boom' }],
      },
    });
    expect(reporter.outcomes.get('s0t0i1')).toEqual({
      status: 'succeeded',
      exitCode: 0,
    });
    expect(reporter.log_('s0t0i1')).toContain(
      '[junit] .pipelines/junit/s0t0i1.xml ignored: not valid JUnit XML',
    );
    expect(reporter.log_('s0t0i2')).toContain(
      '[junit] reports/junit-link.xml ignored: reports/junit-link.xml points outside the workspace',
    );
    // Reports of earlier steps are not counted again.
    expect(reporter.outcomes.get('s0t0i3')).toEqual({
      status: 'succeeded',
      exitCode: 0,
    });
  });
});
