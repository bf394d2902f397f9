import { useSignal } from '@backstage/plugin-signals-react';
import {
  runSignalChannel,
  type RunSignal,
} from '@gitops/plugin-pipelines-common';
import { useEffect, useState } from 'react';

/** How often to reload without signals, and as a safety net with them. */
export const POLL_INTERVAL_MS = { withoutSignals: 5_000, withSignals: 30_000 };

/**
 * Run status changes of an entity, pushed by the backend on the entity's
 * signal channel. `version` grows with each signal (and each poll tick while
 * `live`), so effects that depend on it reload.
 */
export function useRunSignals(
  entityRef: string,
  live: boolean,
): { version: number; lastSignal: RunSignal | null } {
  const { lastSignal, isSignalsAvailable } = useSignal(
    runSignalChannel(entityRef),
  );
  const [version, setVersion] = useState(0);

  useEffect(() => {
    if (lastSignal) {
      setVersion(v => v + 1);
    }
  }, [lastSignal]);

  useEffect(() => {
    if (!live) {
      return undefined;
    }
    const timer = setInterval(
      () => setVersion(v => v + 1),
      isSignalsAvailable
        ? POLL_INTERVAL_MS.withSignals
        : POLL_INTERVAL_MS.withoutSignals,
    );
    return () => clearInterval(timer);
  }, [live, isSignalsAvailable]);

  return { version, lastSignal: lastSignal as unknown as RunSignal | null };
}
