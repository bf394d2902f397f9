import type { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  type GithubCredentialsProvider,
  type GithubIntegration,
  ScmIntegrations,
} from '@backstage/integration';
import {
  isFinalStatus,
  type RunStatus,
  type RunSummary,
} from '@gitops/plugin-pipelines-common';
import type { RunStore } from '../database/RunStore';
import { checkRunState, type CheckRunCreateBody } from './checkRunBody';
import { parseGithubRepository } from './githubRepository';
import {
  DEFAULT_RETRY_POLICY,
  GithubRestClient,
  type RetryPolicy,
} from './GithubRestClient';

/** What the check runs read of a run besides its summary. */
export type CheckRunsRunSource = Pick<RunStore, 'getRunRecord' | 'getRun'>;

/** A check run, as GitHub answers (the fields read here). */
interface CheckRunResponse {
  id: number;
  external_id?: string | null;
}

interface Target {
  client: GithubRestClient;
  owner: string;
  repo: string;
}

interface Tracked {
  /** The newest status heard of; what the queue works towards. */
  latest: RunSummary;
  /** The status last reported (or given up on); nothing to do while equal. */
  done?: RunStatus;
  /** null: not on a configured GitHub host, nothing to report. */
  target?: Target | null;
  checkRunId?: number;
  working: boolean;
}

const RANK: Record<RunStatus, number> = {
  queued: 0,
  running: 1,
  succeeded: 2,
  failed: 2,
  cancelled: 2,
  interrupted: 2,
};

/** Finished runs remembered, so that a late, stale change is not reported. */
const FINISHED_REMEMBERED = 10_000;
/** Unfinished runs remembered (with their check run id). */
const RUNS_REMEMBERED = 10_000;

/**
 * Reports each run's status to its commit as a GitHub check run: created
 * when the run is first heard of (`queued` or `in_progress`), updated as it
 * changes, completed with a conclusion and the test counts and failing
 * tests when it finishes. Runs of repositories that are not on a host of
 * `integrations.github` (the local hosting) are left alone: their status is
 * stored and shown in the CI/CD tab.
 *
 * {@link GithubCheckRuns.onChange} returns at once: the calls of a run go
 * one after the other on its own queue, changes that arrive meanwhile are
 * merged into the newest, and failures are logged (never with the token),
 * after retries for server errors and rate limits. The check run's id is
 * kept in memory; after a restart (or on another replica) it is found again
 * among the commit's check runs by its `external_id`, the run id.
 *
 * Creating check runs needs a GitHub App installation token with the
 * `checks: write` permission: GitHub answers 403 to personal access tokens.
 */
export class GithubCheckRuns {
  readonly #tracked = new Map<string, Tracked>();
  readonly #finished = new Set<string>();
  readonly #clients = new Map<string, GithubRestClient>();
  readonly #working = new Set<Promise<void>>();
  readonly #warnedHosts = new Set<string>();

  static fromConfig(
    config: Config,
    options: {
      logger: LoggerService;
      runs: CheckRunsRunSource;
      /** @internal for tests */
      retry?: RetryPolicy;
      /** @internal for tests */
      sleep?: (ms: number) => Promise<void>;
    },
  ): GithubCheckRuns {
    const integrations = ScmIntegrations.fromConfig(config);
    return new GithubCheckRuns({
      logger: options.logger,
      runs: options.runs,
      appBaseUrl: config.getOptionalString('app.baseUrl'),
      integrationFor: host => integrations.github.byHost(host),
      credentials:
        DefaultGithubCredentialsProvider.fromIntegrations(integrations),
      retry: options.retry ?? DEFAULT_RETRY_POLICY,
      // A retry waiting does not hold the process when it stops.
      sleep:
        options.sleep ??
        (ms => new Promise(resolve => setTimeout(resolve, ms).unref())),
    });
  }

  private constructor(
    private readonly options: {
      logger: LoggerService;
      runs: CheckRunsRunSource;
      appBaseUrl?: string;
      integrationFor: (host: string) => GithubIntegration | undefined;
      credentials: GithubCredentialsProvider;
      retry: RetryPolicy;
      sleep: (ms: number) => Promise<void>;
    },
  ) {}

  /**
   * Takes a run's change (a `RunListener`); returns at once. Step changes
   * reach GitHub only when the run's status changed.
   */
  onChange(run: RunSummary): void {
    if (this.#finished.has(run.id)) return;
    let tracked = this.#tracked.get(run.id);
    if (!tracked) {
      tracked = { latest: run, working: false };
      this.#tracked.set(run.id, tracked);
      this.#forgetIdleBeyond(RUNS_REMEMBERED);
    } else if (RANK[run.status] < RANK[tracked.latest.status]) {
      // Read before a newer change and delivered after it.
      return;
    } else if (!isFinalStatus(tracked.latest.status)) {
      tracked.latest = run;
    }
    if (tracked.working || tracked.done === tracked.latest.status) return;
    tracked.working = true;
    const work = this.#work(tracked)
      .catch(error =>
        this.options.logger.error(`pipelines: check runs: ${String(error)}`),
      )
      .finally(() => this.#working.delete(work));
    this.#working.add(work);
  }

  /**
   * Runs finished elsewhere (another replica) never finish here: the oldest
   * idle ones are forgotten (their check run is found again if needed).
   */
  #forgetIdleBeyond(limit: number) {
    for (const [id, tracked] of this.#tracked) {
      if (this.#tracked.size <= limit) return;
      if (!tracked.working) this.#tracked.delete(id);
    }
  }

  /** Resolves when every queued call has been made (or given up on). */
  async drain(): Promise<void> {
    while (this.#working.size) {
      await Promise.allSettled([...this.#working]);
    }
  }

  async #work(tracked: Tracked): Promise<void> {
    while (tracked.done !== tracked.latest.status) {
      const run = tracked.latest;
      try {
        await this.#report(tracked, run);
      } catch (error) {
        this.options.logger.warn(
          `pipelines: the check run of run ${run.id} (${
            run.entityRef
          }) was not updated to "${run.status}": ${
            error instanceof Error ? error.message : String(error)
          }`,
        );
      }
      tracked.done = run.status;
    }
    tracked.working = false;
    if (tracked.done && isFinalStatus(tracked.done)) {
      this.#tracked.delete(tracked.latest.id);
      this.#finished.add(tracked.latest.id);
      if (this.#finished.size > FINISHED_REMEMBERED) {
        this.#finished.delete(this.#finished.values().next().value!);
      }
    }
  }

  async #report(tracked: Tracked, run: RunSummary): Promise<void> {
    if (tracked.target === undefined) {
      const record = await this.options.runs.getRunRecord(run.id);
      tracked.target = await this.#targetFor(record?.cloneUrl);
    }
    const target = tracked.target;
    if (!target) return;
    const { client, owner, repo } = target;
    const base = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(
      repo,
    )}`;
    const detail = isFinalStatus(run.status)
      ? await this.options.runs.getRun(run.id)
      : undefined;
    const state = checkRunState(run, detail);

    tracked.checkRunId ??= await this.#find(client, base, run);
    if (tracked.checkRunId === undefined) {
      const detailsUrl = this.#detailsUrl(run);
      const body: CheckRunCreateBody = {
        name: run.pipeline,
        head_sha: commitOf(run),
        external_id: run.id,
        ...(detailsUrl ? { details_url: detailsUrl } : {}),
        ...state,
      };
      const created = await client.request<CheckRunResponse>(
        'POST',
        `${base}/check-runs`,
        body,
      );
      tracked.checkRunId = created.id;
      return;
    }
    await client.request<CheckRunResponse>(
      'PATCH',
      `${base}/check-runs/${tracked.checkRunId}`,
      state,
    );
  }

  /** The check run of this run made before (another replica, before a restart). */
  async #find(
    client: GithubRestClient,
    base: string,
    run: RunSummary,
  ): Promise<number | undefined> {
    const query = new URLSearchParams({
      check_name: run.pipeline,
      // `latest` would hide the check runs of earlier runs of the commit.
      filter: 'all',
      per_page: '100',
    });
    const page = await client.request<{ check_runs?: CheckRunResponse[] }>(
      'GET',
      `${base}/commits/${encodeURIComponent(
        commitOf(run),
      )}/check-runs?${query}`,
    );
    return page?.check_runs?.find(c => c.external_id === run.id)?.id;
  }

  async #targetFor(cloneUrl: string | undefined): Promise<Target | null> {
    const parsed = parseGithubRepository(cloneUrl);
    if (!parsed) return null;
    const integration = this.options.integrationFor(parsed.host);
    if (!integration) return null;
    const { host, apiBaseUrl } = integration.config;
    const url = `https://${host}/${parsed.owner}/${parsed.repo}`;
    const credentials = await this.options.credentials.getCredentials({ url });
    if (!credentials.headers?.Authorization && !credentials.token) {
      if (!this.#warnedHosts.has(host)) {
        this.#warnedHosts.add(host);
        this.options.logger.warn(
          `pipelines: runs of ${host} get no check runs: integrations.github has no credentials for ${host} (a GitHub App with the "checks: write" permission is needed)`,
        );
      }
      return null;
    }
    if (!apiBaseUrl) return null;
    const key = `${host}/${parsed.owner}/${parsed.repo}`;
    let client = this.#clients.get(key);
    if (!client) {
      client = new GithubRestClient({
        apiBaseUrl,
        headers: async () => {
          const c = await this.options.credentials.getCredentials({ url });
          return (
            c.headers ?? (c.token ? { Authorization: `Bearer ${c.token}` } : {})
          );
        },
        retry: this.options.retry,
        sleep: this.options.sleep,
      });
      this.#clients.set(key, client);
    }
    return { client, owner: parsed.owner, repo: parsed.repo };
  }

  /** The run's page in the CI/CD tab. */
  #detailsUrl(run: RunSummary): string | undefined {
    const appBaseUrl = this.options.appBaseUrl?.replace(/\/+$/, '');
    if (!appBaseUrl) return undefined;
    const entity = parseEntityRef(run.entityRef);
    const segments = [
      'catalog',
      entity.namespace.toLocaleLowerCase('en-US'),
      entity.kind.toLocaleLowerCase('en-US'),
      entity.name,
      'ci-cd',
      'runs',
      run.id,
    ];
    return `${appBaseUrl}/${segments.map(encodeURIComponent).join('/')}`;
  }
}

/**
 * The commit a check run is attached to: the commit built. For a pull
 * request that is GitHub's test merge commit when it had one; the pull
 * request's page shows the checks of its head commit only, which the run's
 * trigger does not record yet.
 */
function commitOf(summary: RunSummary): string {
  // A pull request's checks show on its head commit, not the merge commit.
  return summary.trigger.headSha ?? summary.trigger.sha;
}
