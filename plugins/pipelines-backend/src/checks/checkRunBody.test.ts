import type { RunDetail, RunSummary } from '@gitops/plugin-pipelines-common';
import {
  checkRunConclusion,
  checkRunState,
  MAX_SUMMARY_LENGTH,
} from './checkRunBody';

const run = (extra: Partial<RunSummary>): RunSummary => ({
  id: 'r1',
  entityRef: 'component:default/shop',
  pipeline: 'Master build',
  status: 'queued',
  trigger: { kind: 'push', ref: 'master', sha: 'a'.repeat(40) },
  executor: 'local',
  createdAt: '2026-12-02T10:00:00.000Z',
  ...extra,
});

const stagesWithFailedStep = (message: string): RunDetail['stages'] => [
  {
    name: 'Build',
    status: 'failed',
    tasks: [
      {
        name: 'npm',
        status: 'failed',
        steps: [
          {
            id: 's1',
            index: 0,
            action: 'node',
            args: ['test'],
            status: 'failed',
            message,
            logBytes: 0,
          },
        ],
      },
    ],
  },
];

describe('checkRunConclusion', () => {
  it.each([
    ['queued', undefined],
    ['running', undefined],
    ['succeeded', 'success'],
    ['failed', 'failure'],
    ['cancelled', 'cancelled'],
    ['interrupted', 'failure'],
  ] as const)('%s → %p', (status, conclusion) => {
    expect(checkRunConclusion(status)).toBe(conclusion);
  });

  it('says timed_out when the failed step was killed at its time limit', () => {
    expect(
      checkRunConclusion('failed', {
        stages: stagesWithFailedStep(
          'Timed out after 30 min: the step and every process it started were killed.',
        ),
      }),
    ).toBe('timed_out');
    expect(
      checkRunConclusion('failed', {
        stages: stagesWithFailedStep('exited with code 1'),
      }),
    ).toBe('failure');
  });
});

describe('checkRunState', () => {
  it('completes a succeeded run with its test counts', () => {
    expect(
      checkRunState(
        run({
          status: 'succeeded',
          startedAt: '2026-12-02T10:00:01.500Z',
          finishedAt: '2026-12-02T10:00:41.000Z',
          durationMs: 39_500,
          tests: { passed: 12, failed: 0, skipped: 2 },
        }),
      ),
    ).toEqual({
      status: 'completed',
      conclusion: 'success',
      started_at: '2026-12-02T10:00:01Z',
      completed_at: '2026-12-02T10:00:41Z',
      output: {
        title: 'Succeeded: 12 tests passed, 2 skipped',
        summary: [
          'Pipeline **Master build** of `component:default/shop` on `master` succeeded in 40 s.',
          '',
          '| Passed | Failed | Skipped |',
          '| ---: | ---: | ---: |',
          '| 12 | 0 | 2 |',
        ].join('\n'),
      },
    });
  });

  it('says why a run failed before any step', () => {
    const state = checkRunState(
      run({
        status: 'failed',
        finishedAt: '2026-12-02T10:00:02Z',
        message:
          'build-info.yaml is not valid at aaaaaaa: template.type is missing',
      }),
      { stages: [] },
    );
    expect(state.conclusion).toBe('failure');
    expect(state.output.title).toBe('Failed');
    expect(state.output.summary).toContain(
      'build-info.yaml is not valid at aaaaaaa: template.type is missing',
    );
  });

  it('shows test names and messages as text, not markup', () => {
    const state = checkRunState(run({ status: 'failed' }), {
      stages: [],
      tests: {
        passed: 0,
        failed: 1,
        skipped: 0,
        failures: [
          { name: 'a `b` <img src=x>', message: '**bold** [link](x)' },
        ],
      },
    });
    expect(state.output.summary).toContain(
      "- `a 'b' <img src=x>`: \\*\\*bold\\*\\* \\[link\\](x)",
    );
  });

  it("lists at most 50 failing tests and stays under GitHub's summary limit", () => {
    const failures = Array.from({ length: 2000 }, (_, i) => ({
      name: `test ${i} ${'x'.repeat(400)}`,
      message: 'y'.repeat(1000),
    }));
    const state = checkRunState(run({ status: 'failed' }), {
      stages: [],
      tests: { passed: 0, failed: 2000, skipped: 0, failures },
    });
    expect(state.output.summary.length).toBeLessThanOrEqual(MAX_SUMMARY_LENGTH);
    expect(state.output.summary).toContain('- … and 1950 more');
    expect(state.output.summary).not.toContain('test 50 ');
  });
});
