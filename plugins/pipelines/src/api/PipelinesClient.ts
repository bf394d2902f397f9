import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  LogRange,
  RunDetail,
  RunPage,
  RunSummary,
} from '@gitops/plugin-pipelines-common';
import { ServerSentEventParser } from '../lib/sse';
import type {
  ExpandedPipeline,
  FollowLogHandlers,
  ListRunsRequest,
  LogSubscription,
  PipelinesApi,
} from './PipelinesApi';

/**
 * {@link PipelinesApi} over HTTP: the pipelines backend found through the
 * discovery API, called with the fetch API (which signs requests in).
 *
 * @public
 */
export class PipelinesClient implements PipelinesApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async listRuns(
    entity: CompoundEntityRef,
    request: ListRunsRequest = {},
  ): Promise<RunPage> {
    return this.json(`${entityPath(entity)}/runs`, {
      query: {
        pipeline: request.pipeline,
        ref: request.ref,
        sha: request.sha,
        status: request.status,
        offset: request.offset,
        limit: request.limit,
      },
    });
  }

  async getRun(runId: string): Promise<RunDetail> {
    return this.json(`/runs/${encodeURIComponent(runId)}`);
  }

  async startRun(
    entity: CompoundEntityRef,
    request: { pipeline: string; ref?: string },
  ): Promise<RunSummary> {
    return this.json(`${entityPath(entity)}/runs`, {
      method: 'POST',
      body: request,
    });
  }

  async rerun(
    runId: string,
    options: { fromFailed?: boolean } = {},
  ): Promise<RunSummary> {
    return this.json(`/runs/${encodeURIComponent(runId)}/rerun`, {
      method: 'POST',
      body: options.fromFailed ? { fromFailed: true } : {},
    });
  }

  async cancel(runId: string): Promise<RunSummary> {
    return this.json(`/runs/${encodeURIComponent(runId)}/cancel`, {
      method: 'POST',
    });
  }

  async getStepLog(
    runId: string,
    stepId: string,
    range: { offset?: number; limit?: number } = {},
  ): Promise<LogRange> {
    return this.json(stepLogPath(runId, stepId), {
      query: { offset: range.offset, limit: range.limit },
    });
  }

  followStepLog(
    runId: string,
    stepId: string,
    offset: number,
    handlers: FollowLogHandlers,
  ): LogSubscription {
    const controller = new AbortController();
    let closed = false;
    const follow = async () => {
      const url = await this.url(`${stepLogPath(runId, stepId)}/follow`, {
        offset,
      });
      const response = await this.fetchApi.fetch(url, {
        headers: { accept: 'text/event-stream' },
        signal: controller.signal,
      });
      if (!response.ok) {
        throw await ResponseError.fromResponse(response);
      }
      const parser = new ServerSentEventParser();
      const deliver = (chunk: string) => {
        for (const event of parser.push(chunk)) {
          if (closed) {
            return;
          }
          if (event.event === 'log') {
            handlers.onLog(JSON.parse(event.data) as LogRange);
          } else if (event.event === 'end') {
            closed = true;
            handlers.onEnd?.();
          }
        }
      };
      const reader = response.body?.getReader();
      if (!reader) {
        // No streaming body (older browsers, test environments): the whole
        // stream arrives when the step has finished.
        deliver(await response.text());
      } else {
        const decoder = new TextDecoder();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) {
            break;
          }
          deliver(decoder.decode(value, { stream: true }));
        }
        deliver(decoder.decode());
      }
      if (!closed) {
        // The stream ended without `end`: the caller resumes or polls.
        throw new Error('The log stream ended before the step finished');
      }
    };
    follow().catch(error => {
      if (!closed) {
        closed = true;
        handlers.onError?.(
          error instanceof Error ? error : new Error(String(error)),
        );
      }
    });
    return {
      close() {
        closed = true;
        controller.abort();
      },
    };
  }

  async getExpandedPipeline(
    entity: CompoundEntityRef,
    options: { ref?: string } = {},
  ): Promise<ExpandedPipeline> {
    return this.json(`${entityPath(entity)}/pipeline`, {
      query: { ref: options.ref },
    });
  }

  private async url(
    path: string,
    query: Record<string, string | number | undefined> = {},
  ): Promise<string> {
    const baseUrl = await this.discoveryApi.getBaseUrl('pipelines');
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') {
        params.set(key, String(value));
      }
    }
    const search = params.toString();
    return `${baseUrl}${path}${search ? `?${search}` : ''}`;
  }

  private async json<T>(
    path: string,
    options: {
      method?: 'GET' | 'POST';
      query?: Record<string, string | number | undefined>;
      body?: unknown;
    } = {},
  ): Promise<T> {
    const response = await this.fetchApi.fetch(
      await this.url(path, options.query),
      {
        method: options.method ?? 'GET',
        headers:
          options.body !== undefined
            ? { 'content-type': 'application/json' }
            : undefined,
        body:
          options.body !== undefined ? JSON.stringify(options.body) : undefined,
      },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}

function entityPath(entity: CompoundEntityRef): string {
  // Kind and namespace are case-insensitive; entity refs spell them lower-case.
  return `/entities/${[
    entity.kind.toLocaleLowerCase('en-US'),
    entity.namespace.toLocaleLowerCase('en-US'),
    entity.name,
  ]
    .map(part => encodeURIComponent(part))
    .join('/')}`;
}

function stepLogPath(runId: string, stepId: string): string {
  return `/runs/${encodeURIComponent(runId)}/steps/${encodeURIComponent(
    stepId,
  )}/log`;
}
