import { compareStrings } from '@gitops/descriptors-common';
import type { RunStatus, RunSummary } from '@gitops/plugin-pipelines-common';

/** One finished run on a pipeline's trend. */
export interface TrendPoint {
  runId: string;
  /** When it started (or was created), ISO. */
  at: string;
  durationMinutes: number;
  status: RunStatus;
}

/** A pipeline's finished runs, oldest first, and how many passed. */
export interface PipelineTrend {
  pipeline: string;
  points: TrendPoint[];
  /** Succeeded among the finished runs that count (cancelled ones do not). */
  successRate: number | undefined;
  succeeded: number;
  counted: number;
}

/**
 * The duration trend of each pipeline over the given runs (newest first, as
 * the API lists them). Queued and running runs have no duration yet and are
 * left out; cancelled runs are shown but not counted in the success rate,
 * since nobody learnt whether they would have passed.
 */
export function pipelineTrends(runs: RunSummary[]): PipelineTrend[] {
  const byPipeline = new Map<string, RunSummary[]>();
  for (const run of runs) {
    const list = byPipeline.get(run.pipeline) ?? [];
    list.push(run);
    byPipeline.set(run.pipeline, list);
  }
  return [...byPipeline.entries()]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([pipeline, list]) => {
      const finished = list
        .filter(run => run.status !== 'queued' && run.status !== 'running')
        .sort((a, b) => runTime(a).localeCompare(runTime(b)));
      const counted = finished.filter(run => run.status !== 'cancelled');
      const succeeded = counted.filter(
        run => run.status === 'succeeded',
      ).length;
      return {
        pipeline,
        points: finished
          .filter(run => run.durationMs !== undefined)
          .map(run => ({
            runId: run.id,
            at: runTime(run),
            durationMinutes:
              Math.round(((run.durationMs ?? 0) / 60000) * 100) / 100,
            status: run.status,
          })),
        successRate: counted.length ? succeeded / counted.length : undefined,
        succeeded,
        counted: counted.length,
      };
    });
}

function runTime(run: RunSummary): string {
  return run.startedAt ?? run.createdAt;
}
