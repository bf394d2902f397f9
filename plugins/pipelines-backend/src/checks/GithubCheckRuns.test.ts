import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { operations } from '@octokit/openapi-types';
import type {
  RunDetail,
  RunStatus,
  RunSummary,
} from '@gitops/plugin-pipelines-common';
import { FakeGithub } from './__testUtils__/fakeGithub';
import type { CheckRunCreateBody, CheckRunState } from './checkRunBody';
import { type CheckRunsRunSource, GithubCheckRuns } from './GithubCheckRuns';

const TOKEN = 'ghs_fakeInstallationToken123';
const SHA = 'a'.repeat(40);
const GITHUB_CLONE_URL = 'https://github.com/acme/shop.git';

// What is sent must be a body of GitHub's documented operations.
type CreateOperationBody =
  operations['checks/create']['requestBody']['content']['application/json'];
type UpdateOperationBody =
  operations['checks/update']['requestBody']['content']['application/json'];
const fitsCreate = (body: CheckRunCreateBody): CreateOperationBody => body;
const fitsUpdate = (body: CheckRunState): UpdateOperationBody => body;

function summary(
  id: string,
  status: RunStatus,
  extra: Partial<RunSummary> = {},
): RunSummary {
  return {
    id,
    entityRef: 'component:default/shop',
    pipeline: 'Master build',
    status,
    trigger: { kind: 'push', ref: 'master', sha: SHA },
    executor: 'local',
    createdAt: '2026-12-02T10:00:00.000Z',
    ...(status !== 'queued' ? { startedAt: '2026-12-02T10:00:05.123Z' } : {}),
    ...extra,
  };
}

const failedWithTests = (id: string) =>
  summary(id, 'failed', {
    finishedAt: '2026-12-02T10:02:10.000Z',
    durationMs: 125_000,
    tests: { passed: 10, failed: 2, skipped: 1 },
  });

/** A stand-in for the run store: the clone URL and the detail of each run. */
class Runs implements CheckRunsRunSource {
  readonly cloneUrls = new Map<string, string | undefined>();
  readonly details = new Map<string, Pick<RunDetail, 'tests'>>();

  async getRunRecord(id: string) {
    return {
      summary: summary(id, 'queued'),
      cloneUrl: this.cloneUrls.get(id),
    };
  }

  async getRun(id: string): Promise<RunDetail | undefined> {
    const { tests: _counts, ...run } = summary(id, 'failed');
    return { ...run, stages: [], ...this.details.get(id) };
  }
}

describe('GithubCheckRuns', () => {
  let github: FakeGithub;
  let apiBaseUrl: string;
  let logger: ReturnType<typeof mockServices.logger.mock>;
  let runs: Runs;
  let sleeps: number[];

  beforeEach(async () => {
    github = new FakeGithub(TOKEN);
    apiBaseUrl = await github.start();
    logger = mockServices.logger.mock();
    runs = new Runs();
    sleeps = [];
  });
  afterEach(() => github.stop());

  function create(
    integration: Record<string, unknown> = { token: TOKEN },
  ): GithubCheckRuns {
    return GithubCheckRuns.fromConfig(
      new ConfigReader({
        app: { baseUrl: 'https://backstage.example.com/' },
        integrations: {
          github: [{ host: 'github.com', apiBaseUrl, ...integration }],
        },
      }),
      {
        logger,
        runs,
        retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 5000 },
        sleep: async ms => {
          sleeps.push(ms);
        },
      },
    );
  }

  const calls = () => github.requests.map(r => `${r.method} ${r.path}`);

  it('creates a check run on the commit and updates it through the run', async () => {
    runs.cloneUrls.set('r1', GITHUB_CLONE_URL);
    runs.details.set('r1', {
      tests: {
        passed: 10,
        failed: 2,
        skipped: 1,
        failures: [
          {
            suite: 'cart',
            name: 'adds an item',
            message: 'expected 2\nreceived 3',
          },
          { name: 'renders <Checkout/>', message: 'timeout' },
        ],
      },
    });
    const checks = create();

    checks.onChange(summary('r1', 'queued'));
    await checks.drain();
    checks.onChange(summary('r1', 'running'));
    await checks.drain();
    // Step changes report the run as it is: nothing new for GitHub.
    checks.onChange(summary('r1', 'running'));
    checks.onChange(summary('r1', 'running'));
    await checks.drain();
    checks.onChange(failedWithTests('r1'));
    await checks.drain();

    expect(calls()).toEqual([
      `GET /repos/acme/shop/commits/${SHA}/check-runs`,
      'POST /repos/acme/shop/check-runs',
      'PATCH /repos/acme/shop/check-runs/4000',
      'PATCH /repos/acme/shop/check-runs/4000',
    ]);
    const [lookup, created, running, finished] = github.requests;
    expect(lookup.query).toEqual({
      check_name: 'Master build',
      filter: 'all',
      per_page: '100',
    });
    for (const request of github.requests) {
      expect(request.authorization).toMatch(
        new RegExp(`^(token|Bearer) ${TOKEN}$`),
      );
      expect(request.accept).toBe('application/vnd.github+json');
    }
    expect(fitsCreate(created.body)).toEqual({
      name: 'Master build',
      head_sha: SHA,
      external_id: 'r1',
      details_url:
        'https://backstage.example.com/catalog/default/component/shop/ci-cd/runs/r1',
      status: 'queued',
      output: {
        title: 'Queued',
        summary:
          'Pipeline **Master build** of `component:default/shop` on `master` is queued.',
      },
    });
    expect(fitsUpdate(running.body)).toEqual({
      status: 'in_progress',
      started_at: '2026-12-02T10:00:05Z',
      output: {
        title: 'Running',
        summary:
          'Pipeline **Master build** of `component:default/shop` on `master` is running.',
      },
    });
    expect(finished.body).toEqual({
      status: 'completed',
      conclusion: 'failure',
      started_at: '2026-12-02T10:00:05Z',
      completed_at: '2026-12-02T10:02:10Z',
      output: {
        title: 'Failed: 2 of 13 tests failed',
        summary: [
          'Pipeline **Master build** of `component:default/shop` on `master` failed in 2 min 5 s.',
          '',
          '| Passed | Failed | Skipped |',
          '| ---: | ---: | ---: |',
          '| 10 | 2 | 1 |',
          '',
          '### Failing tests',
          '',
          '- `cart › adds an item`: expected 2',
          '- `renders <Checkout/>`: timeout',
        ].join('\n'),
      },
    });
    expect(github.invalid).toEqual([]);
    expect(github.checkRuns).toEqual([
      expect.objectContaining({
        id: 4000,
        external_id: 'r1',
        status: 'completed',
        conclusion: 'failure',
      }),
    ]);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('keeps one check run per run when changes come faster than GitHub answers', async () => {
    runs.cloneUrls.set('r1', GITHUB_CLONE_URL);
    const checks = create();

    checks.onChange(summary('r1', 'queued'));
    for (let i = 0; i < 20; i++) checks.onChange(summary('r1', 'running'));
    checks.onChange(failedWithTests('r1'));
    // Read before the run finished, delivered after: not reported.
    checks.onChange(summary('r1', 'running'));
    await checks.drain();
    checks.onChange(summary('r1', 'running'));
    await checks.drain();

    expect(github.checkRuns).toHaveLength(1);
    expect(github.checkRuns[0]).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
    });
    expect(calls().filter(c => c.startsWith('POST'))).toHaveLength(1);
    // queued is created, the running changes merge into the newest (failed)
    expect(github.requests.at(-1)?.body).toMatchObject({
      conclusion: 'failure',
    });
    expect(github.requests.length).toBeLessThanOrEqual(4);
  });

  it('gives each run of the same commit its own check run', async () => {
    runs.cloneUrls.set('r1', GITHUB_CLONE_URL);
    runs.cloneUrls.set('r2', GITHUB_CLONE_URL);
    const checks = create();
    checks.onChange(summary('r1', 'running'));
    checks.onChange(summary('r2', 'running'));
    await checks.drain();

    expect(github.checkRuns.map(c => c.external_id).sort()).toEqual([
      'r1',
      'r2',
    ]);
  });

  it('finds the check run again after a restart, among older runs of the commit', async () => {
    runs.cloneUrls.set('r1', GITHUB_CLONE_URL);
    runs.cloneUrls.set('r2', GITHUB_CLONE_URL);
    const before = create();
    before.onChange(summary('r1', 'running'));
    await before.drain();
    before.onChange(summary('r2', 'running'));
    await before.drain();

    const after = create();
    after.onChange(
      summary('r1', 'interrupted', { finishedAt: '2026-12-02T10:05:00Z' }),
    );
    await after.drain();

    expect(github.checkRuns).toHaveLength(2);
    expect(github.requests.at(-1)).toMatchObject({
      method: 'PATCH',
      path: `/repos/acme/shop/check-runs/${github.checkRuns[0].id}`,
      body: {
        status: 'completed',
        conclusion: 'failure',
        output: {
          title: 'Interrupted',
          summary: expect.stringContaining(
            'was interrupted: the backend running it stopped',
          ),
        },
      },
    });
    expect(github.checkRuns[1]).toMatchObject({
      external_id: 'r2',
      status: 'in_progress',
    });
  });

  it('retries a server error, then goes on', async () => {
    runs.cloneUrls.set('r1', GITHUB_CLONE_URL);
    github.answerNext({ status: 500, body: { message: 'Server Error' } });
    const checks = create();

    checks.onChange(summary('r1', 'running'));
    await checks.drain();

    expect(calls()).toEqual([
      `GET /repos/acme/shop/commits/${SHA}/check-runs`,
      `GET /repos/acme/shop/commits/${SHA}/check-runs`,
      'POST /repos/acme/shop/check-runs',
    ]);
    expect(sleeps).toEqual([10]);
    expect(github.checkRuns).toHaveLength(1);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('waits as long as a secondary rate limit says', async () => {
    runs.cloneUrls.set('r1', GITHUB_CLONE_URL);
    github.answerNext(
      { status: 200, body: { total_count: 0, check_runs: [] } },
      {
        status: 403,
        headers: { 'retry-after': '3' },
        body: { message: 'You have exceeded a secondary rate limit.' },
      },
    );
    const checks = create();

    checks.onChange(summary('r1', 'queued'));
    await checks.drain();

    expect(sleeps).toEqual([3000]);
    expect(calls().filter(c => c.startsWith('POST'))).toHaveLength(2);
    expect(github.checkRuns).toHaveLength(1);
  });

  it('gives up after its attempts, logs, and reports the next change', async () => {
    runs.cloneUrls.set('r1', GITHUB_CLONE_URL);
    github.answerNext(
      { status: 502, body: 'Bad gateway' },
      { status: 502, body: 'Bad gateway' },
      { status: 502, body: 'Bad gateway' },
    );
    const checks = create();

    checks.onChange(summary('r1', 'queued'));
    await checks.drain();
    expect(sleeps).toEqual([10, 20]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        `the check run of run r1 (component:default/shop) was not updated to "queued": GET /repos/acme/shop/commits/${SHA}/check-runs answered 502`,
      ),
    );

    checks.onChange(summary('r1', 'running'));
    await checks.drain();
    expect(github.checkRuns).toEqual([
      expect.objectContaining({ external_id: 'r1', status: 'in_progress' }),
    ]);
  });

  it('logs a refusal without the token, and does not throw', async () => {
    runs.cloneUrls.set('r1', GITHUB_CLONE_URL);
    github.answerNext({
      status: 403,
      body: {
        message: `Resource not accessible by integration (sent Bearer ${TOKEN})`,
        documentation_url:
          'https://docs.github.com/rest/checks/runs#create-a-check-run',
      },
    });
    const checks = create();

    expect(() => checks.onChange(summary('r1', 'queued'))).not.toThrow();
    await checks.drain();

    expect(calls()).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    const message = String(logger.warn.mock.calls[0][0]);
    expect(message).toContain(
      'answered 403: Resource not accessible by integration',
    );
    expect(message).not.toContain(TOKEN);
    expect(
      JSON.stringify([
        logger.info.mock.calls,
        logger.error.mock.calls,
        logger.debug.mock.calls,
      ]),
    ).not.toContain(TOKEN);
  });

  it.each([
    [
      'the local hosting',
      'http://localhost:7007/api/githost/git/acme/shop.git',
    ],
    [
      'a host that is not in integrations.github',
      'https://gitlab.example.com/acme/shop.git',
    ],
    ['a run without a clone URL', undefined],
  ])('leaves runs of %s alone', async (_what, cloneUrl) => {
    runs.cloneUrls.set('r1', cloneUrl);
    const checks = create();

    checks.onChange(summary('r1', 'queued'));
    checks.onChange(summary('r1', 'running'));
    checks.onChange(failedWithTests('r1'));
    await checks.drain();

    expect(github.requests).toEqual([]);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('says once that a GitHub host without credentials gets no check runs', async () => {
    runs.cloneUrls.set('r1', GITHUB_CLONE_URL);
    runs.cloneUrls.set('r2', GITHUB_CLONE_URL);
    const checks = create({});

    checks.onChange(summary('r1', 'running'));
    checks.onChange(summary('r2', 'running'));
    await checks.drain();

    expect(github.requests).toEqual([]);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'integrations.github has no credentials for github.com',
      ),
    );
  });
});
