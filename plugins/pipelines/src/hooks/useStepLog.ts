import { useApi } from '@backstage/core-plugin-api';
import { useEffect, useState } from 'react';
import type { LogRange } from '@gitops/plugin-pipelines-common';
import { pipelinesApiRef } from '../api';

/** The most of a log the page holds; the rest is in the download. */
export const MAX_LOG_CHARS = 16 * 1024 * 1024;
const POLL_MS = 3_000;

/** A step's log as far as it is known, and whether more may come. */
export interface StepLogState {
  text: string;
  loading: boolean;
  /** The step finished and the whole log was read. */
  complete: boolean;
  truncated: boolean;
  error?: Error;
}

/**
 * Reads a step's log from the start, then, while the step runs, follows it
 * (server-sent events), falling back to polling ranges if the stream fails.
 * `live` is whether the step may still write.
 */
export function useStepLog(
  runId: string,
  stepId: string | undefined,
  live: boolean,
): StepLogState {
  const api = useApi(pipelinesApiRef);
  const [state, setState] = useState<StepLogState>({
    text: '',
    loading: true,
    complete: false,
    truncated: false,
  });

  useEffect(() => {
    if (!stepId) {
      setState({ text: '', loading: false, complete: true, truncated: false });
      return undefined;
    }
    let stopped = false;
    let offset = 0;
    let text = '';
    let truncated = false;
    let subscription: { close(): void } | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const append = (range: LogRange) => {
      // Ranges arrive in order; one that does not continue the text is a
      // repeat after a reconnect.
      if (range.offset !== offset) {
        return;
      }
      text = (text + range.text).slice(-MAX_LOG_CHARS);
      offset = range.nextOffset;
      truncated = truncated || range.truncated;
    };
    const publish = (complete: boolean, error?: Error) => {
      if (!stopped) {
        setState({ text, loading: false, complete, truncated, error });
      }
    };

    const readAvailable = async (): Promise<boolean> => {
      for (;;) {
        const before = offset;
        const range = await api.getStepLog(runId, stepId, { offset });
        append(range);
        if (range.text === '' || offset === before) {
          return range.complete;
        }
        if (stopped) {
          return false;
        }
      }
    };

    const poll = async () => {
      try {
        const complete = await readAvailable();
        publish(complete);
        if (!complete && !stopped) {
          timer = setTimeout(poll, POLL_MS);
        }
      } catch (error) {
        publish(false, error as Error);
      }
    };

    const start = async () => {
      setState({ text: '', loading: true, complete: false, truncated: false });
      try {
        const complete = await readAvailable();
        publish(complete);
        if (complete || !live || stopped) {
          return;
        }
        subscription = api.followStepLog(runId, stepId, offset, {
          onLog(range) {
            append(range);
            publish(false);
          },
          onEnd() {
            publish(true);
          },
          onError() {
            if (!stopped) {
              timer = setTimeout(poll, POLL_MS);
            }
          },
        });
      } catch (error) {
        publish(false, error as Error);
      }
    };

    start();
    return () => {
      stopped = true;
      subscription?.close();
      if (timer) {
        clearTimeout(timer);
      }
    };
  }, [api, runId, stepId, live]);

  return state;
}
