import { summary } from '../__testUtils__/fixtures';
import { pipelineTrends } from './trend';

describe('pipelineTrends', () => {
  it('draws finished runs oldest first and counts the success rate per pipeline', () => {
    const trends = pipelineTrends([
      summary({
        id: 'r5',
        pipeline: 'master',
        status: 'running',
        durationMs: undefined,
        startedAt: '2026-12-05T00:00:00Z',
      }),
      summary({
        id: 'r4',
        pipeline: 'master',
        status: 'cancelled',
        durationMs: 30_000,
        startedAt: '2026-12-04T00:00:00Z',
      }),
      summary({
        id: 'r3',
        pipeline: 'review',
        status: 'succeeded',
        durationMs: 60_000,
        startedAt: '2026-12-03T00:00:00Z',
      }),
      summary({
        id: 'r2',
        pipeline: 'master',
        status: 'failed',
        durationMs: 120_000,
        startedAt: '2026-12-02T00:00:00Z',
      }),
      summary({
        id: 'r1',
        pipeline: 'master',
        status: 'succeeded',
        durationMs: 90_000,
        startedAt: '2026-12-01T00:00:00Z',
      }),
    ]);
    expect(trends.map(t => t.pipeline)).toEqual(['master', 'review']);
    const [master, review] = trends;
    expect(master.points.map(p => [p.runId, p.durationMinutes])).toEqual([
      ['r1', 1.5],
      ['r2', 2],
      ['r4', 0.5],
    ]);
    // The cancelled run is drawn but not counted; the running one is neither.
    expect(master).toMatchObject({
      succeeded: 1,
      counted: 2,
      successRate: 0.5,
    });
    expect(review).toMatchObject({ succeeded: 1, counted: 1, successRate: 1 });
  });

  it('has no success rate before a run finished', () => {
    const [trend] = pipelineTrends([summary({ status: 'queued' })]);
    expect(trend.successRate).toBeUndefined();
    expect(trend.points).toEqual([]);
  });
});
