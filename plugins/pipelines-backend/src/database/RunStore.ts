import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { randomUUID } from 'node:crypto';
import type {
  PipelineDefinition,
  PipelineOrigin,
  RunDetail,
  RunPage,
  RunStage,
  RunStatus,
  RunStep,
  RunSummary,
  RunTrigger,
  StepStatus,
  TestReport,
} from '@gitops/plugin-pipelines-common';
import type { DescriptorProblem } from '@gitops/descriptors-common';
import type { Step } from '@gitops/plugin-pipelines-common';
import type { PlannedStep, StepOutcome } from '@gitops/plugin-pipelines-node';
import { Knex, TABLES } from './migrations';

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);
/** zlib's fastest level: logs are repetitive, and the event loop waits. */
const GZIP_OPTIONS = { level: zlib.constants.Z_BEST_SPEED };
/** Chunks smaller than this are stored as printed (not worth a trip to zlib). */
const MIN_COMPRESSED_CHUNK = 4096;

/** A run to create, with its plan. */
export interface NewRun {
  entityRef: string;
  pipeline: string;
  /**
   * What makes the run unique with the entity and pipeline: the delivery id
   * of a webhook, or a fresh id for manual runs and re-runs.
   */
  triggerKey: string;
  trigger: RunTrigger;
  cloneUrl?: string;
  executor: string;
  definition?: PipelineDefinition;
  origin?: PipelineOrigin;
  /** A run that cannot start (invalid build-info.yaml) is created failed. */
  problems?: DescriptorProblem[];
  message?: string;
  status?: 'queued' | 'failed';
  /** Steps kept from the run re-run from its failed step: step key → outputs. */
  reuse?: Map<string, Record<string, string>>;
}

/** A claimed run, everything the orchestrator needs. */
export interface ClaimedRun {
  id: string;
  entityRef: string;
  pipeline: string;
  trigger: RunTrigger;
  cloneUrl?: string;
  definition: PipelineDefinition;
  steps: PlannedStep[];
}

interface RunRow {
  id: string;
  entity_ref: string;
  pipeline: string;
  status: RunStatus;
  trigger_key: string;
  trigger_kind: string;
  trigger: string;
  ref: string;
  sha: string;
  clone_url: string | null;
  executor: string;
  definition: string | null;
  origin: string | null;
  problems: string | null;
  message: string | null;
  tests: string | null;
  rerun_of: string | null;
  cancel_requested: boolean | number;
  claimed_by: string | null;
  heartbeat_at: number | string | null;
  created_at: number | string;
  started_at: number | string | null;
  finished_at: number | string | null;
}

interface StepRow {
  id: string;
  run_id: string;
  stage_index: number;
  stage_name: string;
  task_index: number;
  task_name: string;
  step_index: number;
  action: string;
  args: string;
  entrypoint: string | null;
  env: string | null;
  status: StepStatus;
  exit_code: number | null;
  message: string | null;
  tests: string | null;
  outputs: string | null;
  log_bytes: number | string;
  truncated: boolean | number;
  reused: boolean | number;
  started_at: number | string | null;
  finished_at: number | string | null;
}

/** Filters of the runs list. */
export interface RunFilter {
  pipeline?: string;
  ref?: string;
  sha?: string;
  status?: RunStatus;
}

const json = <T>(text: string | null | undefined): T | undefined =>
  text === null || text === undefined ? undefined : (JSON.parse(text) as T);
const num = (v: number | string | null | undefined): number | undefined =>
  v === null || v === undefined ? undefined : Number(v);
const iso = (v: number | string | null | undefined): string | undefined => {
  const n = num(v);
  return n === undefined ? undefined : new Date(n).toISOString();
};

/** The key of a step inside its pipeline, the same in a run and its re-run. */
export const stepKey = (s: {
  stage: number;
  task: number;
  index: number;
}): string => `${s.stage}/${s.task}/${s.index}`;

/** Aggregates of statuses for the tree: the worst or the most current. */
function aggregate(statuses: StepStatus[]): StepStatus {
  const order: StepStatus[] = [
    'running',
    'failed',
    'interrupted',
    'cancelled',
    'queued',
    'pending',
    'succeeded',
    'skipped',
  ];
  for (const s of order)
    if (statuses.includes(s)) {
      // A task with some steps done and others pending is still running.
      if (
        (s === 'pending' || s === 'queued') &&
        statuses.some(x => x === 'succeeded')
      ) {
        return 'running';
      }
      return s;
    }
  return 'pending';
}

/** Sums the step reports of a run. */
export function sumTests(reports: TestReport[]): TestReport | undefined {
  if (reports.length === 0) return undefined;
  return {
    passed: reports.reduce((a, r) => a + r.passed, 0),
    failed: reports.reduce((a, r) => a + r.failed, 0),
    skipped: reports.reduce((a, r) => a + r.skipped, 0),
    failures: reports.flatMap(r => r.failures),
  };
}

/**
 * The pipelines store: deliveries, runs, steps and log chunks, in the
 * plugin's database (SQLite by default, PostgreSQL in production). Every
 * claim is a conditional update in the database, so any number of backend
 * replicas can share it without running anything twice.
 */
export class RunStore {
  constructor(
    private readonly knex: Knex,
    private readonly now: () => number = Date.now,
  ) {}

  // --- deliveries -------------------------------------------------------

  /** Records an event; false when its delivery id was seen before. */
  async recordDelivery(options: {
    deliveryId: string;
    topic: string;
    payload: unknown;
  }): Promise<boolean> {
    const inserted = await this.knex(TABLES.deliveries)
      .insert({
        delivery_id: options.deliveryId,
        topic: options.topic,
        payload: JSON.stringify(options.payload),
        state: 'pending',
        received_at: this.now(),
      })
      .onConflict('delivery_id')
      .ignore()
      .returning('delivery_id');
    return inserted.length > 0;
  }

  /**
   * Claims pending deliveries (and those claimed by a replica that stopped
   * more than `staleMs` ago) for this instance.
   */
  async claimDeliveries(
    instance: string,
    limit: number,
    staleMs = 60_000,
  ): Promise<Array<{ deliveryId: string; topic: string; payload: unknown }>> {
    const now = this.now();
    const candidates = await this.knex(TABLES.deliveries)
      .where({ state: 'pending' })
      .andWhere(q =>
        q.whereNull('claimed_by').orWhere('claimed_at', '<', now - staleMs),
      )
      .orderBy('received_at')
      .limit(limit)
      .select('delivery_id', 'topic', 'payload', 'claimed_by', 'claimed_at');
    const claimed = [];
    for (const c of candidates) {
      const updated = await this.knex(TABLES.deliveries)
        .where({ delivery_id: c.delivery_id, state: 'pending' })
        .andWhere(q =>
          c.claimed_by === null
            ? q.whereNull('claimed_by')
            : q.where({ claimed_by: c.claimed_by, claimed_at: c.claimed_at }),
        )
        .update({
          claimed_by: instance,
          claimed_at: now,
          attempts: this.knex.raw('attempts + 1'),
        });
      if (updated === 1) {
        claimed.push({
          deliveryId: c.delivery_id as string,
          topic: c.topic as string,
          payload: JSON.parse(c.payload as string),
        });
      }
    }
    return claimed;
  }

  async finishDelivery(deliveryId: string, error?: string): Promise<void> {
    await this.knex(TABLES.deliveries)
      .where({ delivery_id: deliveryId })
      .update({
        state: error ? 'failed' : 'done',
        error: error ?? null,
        processed_at: this.now(),
      });
  }

  /**
   * A delivery that could not be handled (the catalog or the source was
   * unreachable): released for another attempt, or failed after
   * `maxAttempts`, with the reason kept.
   */
  async releaseDelivery(
    deliveryId: string,
    error: string,
    maxAttempts: number,
  ): Promise<void> {
    const row = await this.knex(TABLES.deliveries)
      .where({ delivery_id: deliveryId })
      .first('attempts');
    if (Number(row?.attempts ?? 0) >= maxAttempts) {
      await this.finishDelivery(deliveryId, error);
      return;
    }
    await this.knex(TABLES.deliveries)
      .where({ delivery_id: deliveryId })
      .update({ claimed_by: null, claimed_at: null, error });
  }

  async deliveryState(
    deliveryId: string,
  ): Promise<{ state: string; error?: string } | undefined> {
    const row = await this.knex(TABLES.deliveries)
      .where({ delivery_id: deliveryId })
      .first('state', 'error');
    return row
      ? { state: row.state, error: row.error ?? undefined }
      : undefined;
  }

  // --- runs ---------------------------------------------------------------

  /**
   * Creates a run with its steps, or returns the run already created for
   * the same trigger, entity and pipeline (the unique constraint decides,
   * so concurrent replicas create one).
   */
  async createRun(run: NewRun): Promise<{ run: RunSummary; created: boolean }> {
    const id = randomUUID();
    const now = this.now();
    const status = run.status ?? 'queued';
    const created = await this.knex.transaction(async tx => {
      const inserted = await tx(TABLES.runs)
        .insert({
          id,
          entity_ref: run.entityRef,
          pipeline: run.pipeline,
          status,
          trigger_key: run.triggerKey,
          trigger_kind: run.trigger.kind,
          trigger: JSON.stringify(run.trigger),
          ref: run.trigger.ref,
          sha: run.trigger.sha,
          clone_url: run.cloneUrl ?? null,
          executor: run.executor,
          definition: run.definition ? JSON.stringify(run.definition) : null,
          origin: run.origin ? JSON.stringify(run.origin) : null,
          problems: run.problems ? JSON.stringify(run.problems) : null,
          message: run.message ?? null,
          rerun_of: run.trigger.rerunOf ?? null,
          cancel_requested: false,
          created_at: now,
          finished_at: status === 'failed' ? now : null,
        })
        .onConflict(['trigger_key', 'entity_ref', 'pipeline'])
        .ignore()
        .returning('id');
      if (inserted.length === 0) return false;
      if (run.definition) {
        const rows = planSteps(run.definition).map(p => {
          const reused = run.reuse?.get(stepKey(p));
          return {
            id: randomUUID(),
            run_id: id,
            stage_index: p.stage,
            stage_name: run.definition!.stages[p.stage].stage,
            task_index: p.task,
            task_name: run.definition!.stages[p.stage].tasks[p.task].task,
            step_index: p.index,
            action: p.step.action,
            args: JSON.stringify(p.step.args ?? []),
            entrypoint: p.step.entrypoint ?? null,
            env: p.step.env ? JSON.stringify(p.step.env) : null,
            status: status === 'failed' ? 'skipped' : 'pending',
            outputs: reused ? JSON.stringify(reused) : null,
            reused: Boolean(reused),
          };
        });
        // SQLite caps the variables of one statement.
        for (let i = 0; i < rows.length; i += 50) {
          await tx(TABLES.steps).insert(rows.slice(i, i + 50));
        }
      }
      return true;
    });
    if (created) return { run: (await this.getRunSummary(id))!, created };
    const existing = await this.knex<RunRow>(TABLES.runs)
      .where({
        trigger_key: run.triggerKey,
        entity_ref: run.entityRef,
        pipeline: run.pipeline,
      })
      .first();
    return { run: toSummary(existing!), created: false };
  }

  async listRuns(
    entityRef: string,
    filter: RunFilter,
    page: { offset: number; limit: number },
  ): Promise<RunPage> {
    const base = () => {
      const q = this.knex<RunRow>(TABLES.runs).where({ entity_ref: entityRef });
      if (filter.pipeline) q.andWhere({ pipeline: filter.pipeline });
      if (filter.ref) q.andWhere({ ref: filter.ref });
      if (filter.status) q.andWhere({ status: filter.status });
      if (filter.sha) q.andWhere('sha', 'like', `${filter.sha}%`);
      return q;
    };
    const [{ count }] = await base().count({ count: '*' });
    const rows = await base()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .offset(page.offset)
      .limit(page.limit);
    return { items: rows.map(toSummary), totalCount: Number(count) };
  }

  async getRunSummary(id: string): Promise<RunSummary | undefined> {
    const row = await this.knex<RunRow>(TABLES.runs).where({ id }).first();
    return row ? toSummary(row) : undefined;
  }

  async getRun(id: string): Promise<RunDetail | undefined> {
    const row = await this.knex<RunRow>(TABLES.runs).where({ id }).first();
    if (!row) return undefined;
    const steps = await this.knex<StepRow>(TABLES.steps)
      .where({ run_id: id })
      .orderBy(['stage_index', 'task_index', 'step_index']);
    const stages: RunStage[] = [];
    for (const s of steps) {
      const stage = (stages[s.stage_index] ??= {
        name: s.stage_name,
        status: 'pending',
        tasks: [],
      });
      const task = (stage.tasks[s.task_index] ??= {
        name: s.task_name,
        status: 'pending',
        steps: [],
      });
      task.steps.push(toStep(s));
    }
    for (const stage of stages) {
      for (const task of stage.tasks) {
        task.status = aggregate(task.steps.map(s => s.status));
      }
      stage.status = aggregate(stage.tasks.map(t => t.status));
    }
    // The detail's tests carry the failures as well as the counts.
    const { tests: _counts, ...summary } = toSummary(row);
    const tests = sumTests(
      steps.map(s => json<TestReport>(s.tests)).filter(Boolean) as TestReport[],
    );
    return {
      ...summary,
      stages,
      ...(row.definition ? { definition: json(row.definition) } : {}),
      ...(row.origin ? { origin: json(row.origin) } : {}),
      ...(row.problems ? { problems: json(row.problems) } : {}),
      ...(tests ? { tests } : {}),
    };
  }

  /** The plan of a run, for a re-run from its failed step. */
  async stepsOf(runId: string): Promise<
    Array<{
      id: string;
      key: string;
      stage: number;
      status: StepStatus;
      outputs?: Record<string, string>;
    }>
  > {
    const rows = await this.knex<StepRow>(TABLES.steps)
      .where({ run_id: runId })
      .orderBy(['stage_index', 'task_index', 'step_index']);
    return rows.map(r => ({
      id: r.id,
      key: stepKey({
        stage: r.stage_index,
        task: r.task_index,
        index: r.step_index,
      }),
      stage: r.stage_index,
      status: r.status,
      outputs: json(r.outputs),
    }));
  }

  async getRunRecord(id: string): Promise<
    | {
        summary: RunSummary;
        definition?: PipelineDefinition;
        origin?: PipelineOrigin;
        cloneUrl?: string;
      }
    | undefined
  > {
    const row = await this.knex<RunRow>(TABLES.runs).where({ id }).first();
    if (!row) return undefined;
    return {
      summary: toSummary(row),
      definition: json(row.definition),
      origin: json(row.origin),
      cloneUrl: row.clone_url ?? undefined,
    };
  }

  /**
   * Claims the oldest queued run for this instance: a conditional update,
   * so of several replicas exactly one gets it.
   */
  async claimQueuedRun(instance: string): Promise<ClaimedRun | undefined> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const candidate = await this.knex<RunRow>(TABLES.runs)
        .where({ status: 'queued' })
        .orderBy('created_at')
        .first('id');
      if (!candidate) return undefined;
      const now = this.now();
      const updated = await this.knex(TABLES.runs)
        .where({ id: candidate.id, status: 'queued' })
        .update({
          status: 'running',
          claimed_by: instance,
          heartbeat_at: now,
          started_at: now,
        });
      if (updated !== 1) continue;
      const row = (await this.knex<RunRow>(TABLES.runs)
        .where({ id: candidate.id })
        .first())!;
      const steps = await this.knex<StepRow>(TABLES.steps)
        .where({ run_id: row.id })
        .orderBy(['stage_index', 'task_index', 'step_index']);
      return {
        id: row.id,
        entityRef: row.entity_ref,
        pipeline: row.pipeline,
        trigger: JSON.parse(row.trigger),
        cloneUrl: row.clone_url ?? undefined,
        definition: JSON.parse(row.definition!),
        steps: steps.map(s => ({
          id: s.id,
          stage: s.stage_index,
          task: s.task_index,
          index: s.step_index,
          step: stepOf(s),
          ...(s.reused
            ? { reuse: { outputs: s.outputs ? JSON.parse(s.outputs) : {} } }
            : {}),
        })),
      };
    }
    return undefined;
  }

  /**
   * Keeps this instance's runs alive; returns the ids among them whose
   * cancellation was requested (by any replica).
   */
  async heartbeat(instance: string, runIds: string[]): Promise<string[]> {
    if (runIds.length === 0) return [];
    await this.knex(TABLES.runs)
      .whereIn('id', runIds)
      .andWhere({ claimed_by: instance, status: 'running' })
      .update({ heartbeat_at: this.now() });
    const rows = await this.knex(TABLES.runs)
      .whereIn('id', runIds)
      .andWhere({ cancel_requested: true })
      .select('id');
    return rows.map(r => r.id as string);
  }

  /**
   * Marks as interrupted the runs whose backend stopped beating (crash,
   * kill): the run, its running step and its pending steps. Their logs up
   * to the crash stay. Returns the runs marked.
   */
  async reapInterrupted(staleMs: number): Promise<RunSummary[]> {
    const now = this.now();
    const stale = await this.knex<RunRow>(TABLES.runs)
      .where({ status: 'running' })
      .andWhere('heartbeat_at', '<', now - staleMs)
      .select('id', 'heartbeat_at');
    const reaped: RunSummary[] = [];
    for (const row of stale) {
      const updated = await this.knex(TABLES.runs)
        .where({
          id: row.id,
          status: 'running',
          heartbeat_at: row.heartbeat_at,
        })
        .update({
          status: 'interrupted',
          finished_at: now,
          message:
            'the backend running this build stopped before it finished; re-run it',
        });
      if (updated !== 1) continue;
      await this.knex(TABLES.steps)
        .where({ run_id: row.id, status: 'running' })
        .update({
          status: 'interrupted',
          finished_at: now,
          message: 'the backend stopped while this step ran',
        });
      await this.knex(TABLES.steps)
        .where({ run_id: row.id, status: 'pending' })
        .update({
          status: 'skipped',
          message: 'not run: the build was interrupted',
        });
      reaped.push((await this.getRunSummary(row.id))!);
    }
    return reaped;
  }

  /** Asks for a run to stop. A queued run is cancelled at once. */
  async requestCancel(id: string): Promise<RunSummary | undefined> {
    const now = this.now();
    const queued = await this.knex(TABLES.runs)
      .where({ id, status: 'queued' })
      .update({
        status: 'cancelled',
        cancel_requested: true,
        finished_at: now,
        message: 'cancelled before it started',
      });
    if (queued === 1) {
      await this.knex(TABLES.steps)
        .where({ run_id: id, status: 'pending' })
        .update({
          status: 'skipped',
          message: 'not run: the build was cancelled',
        });
    } else {
      await this.knex(TABLES.runs)
        .where({ id, status: 'running' })
        .update({ cancel_requested: true });
    }
    return this.getRunSummary(id);
  }

  async finishRun(
    id: string,
    status: 'succeeded' | 'failed' | 'cancelled',
    message?: string,
  ): Promise<RunSummary> {
    const reports = (
      await this.knex<StepRow>(TABLES.steps)
        .where({ run_id: id })
        .whereNotNull('tests')
        .select('tests')
    ).map(r => JSON.parse(r.tests!) as TestReport);
    const tests = sumTests(reports);
    await this.knex(TABLES.runs)
      .where({ id, status: 'running' })
      .update({
        status,
        finished_at: this.now(),
        message: message ?? null,
        tests: tests
          ? JSON.stringify({
              passed: tests.passed,
              failed: tests.failed,
              skipped: tests.skipped,
            })
          : null,
      });
    // Steps never reached are skipped.
    await this.knex(TABLES.steps)
      .where({ run_id: id })
      .whereIn('status', ['pending', 'running'])
      .update({
        status: 'skipped',
        message:
          status === 'cancelled'
            ? 'not run: the build was cancelled'
            : 'not run: an earlier step failed',
      });
    return (await this.getRunSummary(id))!;
  }

  // --- steps and logs ---------------------------------------------------

  async stepStarted(stepId: string): Promise<void> {
    await this.knex(TABLES.steps)
      .where({ id: stepId })
      .update({ status: 'running', started_at: this.now() });
  }

  /**
   * One update: outputs kept unless given, started_at kept if set, and the
   * log's final length when the writer stored its last chunk `lengthLater`.
   */
  async stepFinished(
    stepId: string,
    outcome: StepOutcome,
    log?: { bytes: number; truncated: boolean },
  ): Promise<void> {
    const now = this.now();
    await this.knex(TABLES.steps)
      .where({ id: stepId })
      .update({
        ...(log
          ? {
              log_bytes: log.bytes,
              ...(log.truncated ? { truncated: true } : {}),
            }
          : {}),
        status: outcome.status,
        exit_code: outcome.exitCode ?? null,
        message: outcome.message ?? null,
        tests: outcome.tests ? JSON.stringify(outcome.tests) : null,
        outputs: outcome.outputs
          ? JSON.stringify(outcome.outputs)
          : this.knex.ref('outputs'),
        started_at: this.knex.raw('COALESCE(??, ?)', ['started_at', now]),
        finished_at: now,
      });
  }

  /** Appends a chunk at the step's current end; returns the new length. */
  async appendLog(
    stepId: string,
    data: Buffer,
    options: { truncated?: boolean } = {},
  ): Promise<number> {
    const row = await this.knex<StepRow>(TABLES.steps)
      .where({ id: stepId })
      .first('log_bytes');
    const offset = Number(row?.log_bytes ?? 0);
    await this.appendLogAt(stepId, offset, data, options);
    return offset + data.length;
  }

  /**
   * Stores a chunk at a known offset (the step's only writer keeps count):
   * one insert and one update, no read. With `lengthLater`, only the
   * insert: the step's last chunk, whose length {@link RunStore.stepFinished}
   * records with the outcome (one statement fewer per step).
   */
  async appendLogAt(
    stepId: string,
    offset: number,
    data: Buffer,
    options: { truncated?: boolean; lengthLater?: boolean } = {},
  ): Promise<void> {
    // Compressed off the event loop (zlib's thread pool) before the
    // transaction; kept as printed when that does not make it smaller.
    const packed =
      data.length >= MIN_COMPRESSED_CHUNK
        ? await gzip(data, GZIP_OPTIONS)
        : data;
    const compressed = packed.length < data.length;
    const chunk = {
      step_id: stepId,
      offset,
      length: data.length,
      data: compressed ? packed : data,
      encoding: compressed ? 'gzip' : null,
    };
    if (options.lengthLater) {
      if (data.length > 0) await this.knex(TABLES.logs).insert(chunk);
      return;
    }
    await this.knex.transaction(async tx => {
      if (data.length > 0) await tx(TABLES.logs).insert(chunk);
      await tx(TABLES.steps)
        .where({ id: stepId })
        .update({
          log_bytes: offset + data.length,
          ...(options.truncated ? { truncated: true } : {}),
        });
    });
  }

  /** A byte range of a step's log, aligned to UTF-8 characters. */
  async readLog(
    runId: string,
    stepId: string,
    offset: number,
    limit: number,
  ): Promise<(LogRangeFields & { text: string }) | undefined> {
    const range = await this.readLogBytes(runId, stepId, offset, limit);
    if (!range) return undefined;
    const { bytes, ...rest } = range;
    return { ...rest, text: bytes.toString('utf8') };
  }

  /** {@link RunStore.readLog} as bytes, for writers that never need a string. */
  async readLogBytes(
    runId: string,
    stepId: string,
    offset: number,
    limit: number,
  ): Promise<(LogRangeFields & { bytes: Buffer }) | undefined> {
    const step = await this.knex<StepRow>(TABLES.steps)
      .where({ id: stepId, run_id: runId })
      .first('status', 'log_bytes', 'truncated');
    if (!step) return undefined;
    const chunks = await this.knex(TABLES.logs)
      .where({ step_id: stepId })
      .andWhere(this.knex.raw('?? + ?? > ?', ['offset', 'length', offset]))
      .andWhere('offset', '<', offset + limit)
      .orderBy('offset')
      .select('offset', 'data', 'encoding');
    const parts: Buffer[] = [];
    for (const c of chunks) {
      const start = Math.max(0, offset - Number(c.offset));
      const bytes =
        c.encoding === 'gzip'
          ? await gunzip(Buffer.from(c.data))
          : Buffer.from(c.data);
      parts.push(bytes.subarray(start));
    }
    let bytes = (parts.length === 1 ? parts[0] : Buffer.concat(parts)).subarray(
      0,
      limit,
    );
    // Never cut a UTF-8 character in two: stop before an incomplete one.
    bytes = bytes.subarray(0, utf8Boundary(bytes));
    const total = Number(step.log_bytes);
    const nextOffset = offset + bytes.length;
    const finished = !['pending', 'running', 'queued'].includes(step.status);
    return {
      offset,
      bytes,
      nextOffset,
      complete: finished && nextOffset >= total,
      truncated: Boolean(step.truncated),
    };
  }

  // --- retention ----------------------------------------------------------

  /**
   * Deletes the logs of runs finished before `logsBefore` and the runs
   * (with steps and logs) finished before `runsBefore`.
   */
  async applyRetention(options: {
    logsBefore?: number;
    runsBefore?: number;
  }): Promise<{ logsDeleted: number; runsDeleted: number }> {
    let logsDeleted = 0;
    let runsDeleted = 0;
    const stepsOfRunsFinishedBefore = (t: number) =>
      this.knex(TABLES.steps)
        .select('id')
        .whereIn(
          'run_id',
          this.knex(TABLES.runs).select('id').where('finished_at', '<', t),
        );
    if (options.logsBefore !== undefined) {
      logsDeleted = await this.knex(TABLES.logs)
        .whereIn('step_id', stepsOfRunsFinishedBefore(options.logsBefore))
        .delete();
    }
    if (options.runsBefore !== undefined) {
      const t = options.runsBefore;
      await this.knex(TABLES.logs)
        .whereIn('step_id', stepsOfRunsFinishedBefore(t))
        .delete();
      await this.knex(TABLES.steps)
        .whereIn(
          'run_id',
          this.knex(TABLES.runs).select('id').where('finished_at', '<', t),
        )
        .delete();
      runsDeleted = await this.knex(TABLES.runs)
        .where('finished_at', '<', t)
        .delete();
      await this.knex(TABLES.deliveries)
        .whereNot({ state: 'pending' })
        .andWhere('received_at', '<', t)
        .delete();
    }
    return { logsDeleted, runsDeleted };
  }
}

/** The steps of a definition in stage, task, step order. */
export function planSteps(
  definition: PipelineDefinition,
): Array<{ stage: number; task: number; index: number; step: Step }> {
  return definition.stages.flatMap((stage, si) =>
    stage.tasks.flatMap((task, ti) =>
      task.steps.map((step, k) => ({ stage: si, task: ti, index: k, step })),
    ),
  );
}

/** Where a range of a step's log lies, and whether the log is over. */
export interface LogRangeFields {
  offset: number;
  nextOffset: number;
  /** The step has finished and nothing follows the range. */
  complete: boolean;
  truncated: boolean;
}

/** The length of `bytes` without an incomplete UTF-8 character at its end. */
export function utf8Boundary(bytes: Buffer): number {
  // Look back at most 3 bytes for the start of a multi-byte character.
  for (let i = bytes.length - 1; i >= Math.max(0, bytes.length - 4); i--) {
    const b = bytes[i];
    if ((b & 0xc0) === 0x80) continue; // continuation byte
    // The length of the character this byte starts.
    let need = 1;
    if (b >= 0xf0) need = 4;
    else if (b >= 0xe0) need = 3;
    else if (b >= 0xc0) need = 2;
    return bytes.length - i >= need ? bytes.length : i;
  }
  return bytes.length;
}

function stepOf(s: StepRow): Step {
  return {
    action: s.action,
    args: JSON.parse(s.args),
    ...(s.entrypoint ? { entrypoint: s.entrypoint } : {}),
    ...(s.env ? { env: JSON.parse(s.env) } : {}),
  };
}

function toStep(s: StepRow): RunStep {
  return {
    id: s.id,
    index: s.step_index,
    action: s.action,
    args: JSON.parse(s.args),
    ...(s.entrypoint ? { entrypoint: s.entrypoint } : {}),
    status: s.status,
    ...(s.started_at !== null ? { startedAt: iso(s.started_at) } : {}),
    ...(s.finished_at !== null ? { finishedAt: iso(s.finished_at) } : {}),
    ...(s.exit_code !== null ? { exitCode: s.exit_code } : {}),
    ...(s.message !== null ? { message: s.message } : {}),
    logBytes: Number(s.log_bytes),
    ...(s.tests ? { tests: JSON.parse(s.tests) } : {}),
  };
}

function toSummary(row: RunRow): RunSummary {
  const started = num(row.started_at);
  const finished = num(row.finished_at);
  return {
    id: row.id,
    entityRef: row.entity_ref,
    pipeline: row.pipeline,
    status: row.status,
    trigger: JSON.parse(row.trigger),
    executor: row.executor,
    createdAt: iso(row.created_at)!,
    ...(started !== undefined ? { startedAt: iso(started) } : {}),
    ...(finished !== undefined ? { finishedAt: iso(finished) } : {}),
    ...(started !== undefined && finished !== undefined
      ? { durationMs: finished - started }
      : {}),
    ...(row.tests ? { tests: JSON.parse(row.tests) } : {}),
    ...(row.message ? { message: row.message } : {}),
  };
}
