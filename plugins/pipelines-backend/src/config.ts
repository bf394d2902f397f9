import type { Config } from '@backstage/config';
import { DEFAULT_LOG_LIMITS, LogLimits } from './runtime/StoreReporter';
import { DEFAULT_WORKER_TIMINGS, WorkerTimings } from './runtime/RunWorker';

/** The plugin's settings, defaults applied (see config.d.ts). */
export interface PipelinesSettings {
  executor: string;
  maxConcurrentRuns: number;
  logs: LogLimits;
  worker: WorkerTimings;
  retention: { runsDays: number; logsDays: number };
}

const positive = (config: Config, key: string, fallback: number): number => {
  const value = config.getOptionalNumber(key);
  if (value === undefined) return fallback;
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new Error(`${key} must be a positive number, got ${value}`);
  }
  return value;
};

/** Reads `pipelines.*` (the local executor reads `pipelines.local`). */
export function readPipelinesConfig(root: Config): PipelinesSettings {
  const section = root.getOptionalConfig('pipelines');
  const num = (key: string, fallback: number) =>
    section ? positive(section, key, fallback) : fallback;
  const logsDays = num('retention.logsDays', 30);
  const runsDays = num('retention.runsDays', 180);
  if (logsDays > runsDays) {
    throw new Error(
      `pipelines.retention.logsDays (${logsDays}) must not exceed pipelines.retention.runsDays (${runsDays})`,
    );
  }
  return {
    executor: section?.getOptionalString('executor') ?? 'local',
    maxConcurrentRuns: Math.floor(num('maxConcurrentRuns', 2)),
    logs: {
      ...DEFAULT_LOG_LIMITS,
      maxBytesPerStep: Math.floor(
        num('logs.maxBytesPerStep', DEFAULT_LOG_LIMITS.maxBytesPerStep),
      ),
    },
    worker: {
      pollMs:
        num('worker.pollSeconds', DEFAULT_WORKER_TIMINGS.pollMs / 1000) * 1000,
      heartbeatMs:
        num(
          'worker.heartbeatSeconds',
          DEFAULT_WORKER_TIMINGS.heartbeatMs / 1000,
        ) * 1000,
      staleMs:
        num('worker.staleSeconds', DEFAULT_WORKER_TIMINGS.staleMs / 1000) *
        1000,
    },
    retention: { logsDays, runsDays },
  };
}
