import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Button from '@material-ui/core/Button';
import Box from '@material-ui/core/Box';
import {
  isFinalStatus,
  pipelinesRunTriggerPermission,
  type RunDetail,
} from '@gitops/plugin-pipelines-common';
import { pipelinesApiRef } from '../../api';
import { describeError } from '../../lib/errors';
import { firstFailedStep } from '../../lib/runTree';

/**
 * Re-run, re-run from the failed step and cancel, shown only to those the
 * permission policy lets trigger the entity's runs (its owners and the
 * platform group in the suite's policy).
 */
export function RunActions(props: {
  run: RunDetail;
  entityRef: string;
  onChanged(): void;
}) {
  const { run, entityRef, onChanged } = props;
  const api = useApi(pipelinesApiRef);
  const alertApi = useApi(alertApiRef);
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const { allowed, loading } = usePermission({
    permission: pipelinesRunTriggerPermission,
    resourceRef: entityRef,
  });

  if (loading || !allowed) {
    return null;
  }

  const act = async (what: string, action: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await action();
    } catch (error) {
      alertApi.post({
        message: `Could not ${what}: ${describeError(error)}`,
        severity: 'error',
      });
    } finally {
      setBusy(false);
    }
  };

  const rerun = (fromFailed: boolean) =>
    act(fromFailed ? 're-run the failed step' : 're-run', async () => {
      const next = await api.rerun(run.id, { fromFailed });
      navigate(`../${encodeURIComponent(next.id)}`, { relative: 'path' });
    });

  const running = !isFinalStatus(run.status);
  const failed =
    run.status === 'failed' || run.status === 'interrupted'
      ? firstFailedStep(run)
      : undefined;

  return (
    <Box display="flex" style={{ gap: 8 }}>
      {running ? (
        <Button
          variant="outlined"
          color="secondary"
          disabled={busy}
          onClick={() =>
            act('cancel the run', async () => {
              await api.cancel(run.id);
              onChanged();
            })
          }
        >
          Cancel
        </Button>
      ) : (
        <>
          <Button
            variant="outlined"
            color="primary"
            disabled={busy}
            onClick={() => rerun(false)}
          >
            Re-run
          </Button>
          {failed && (
            <Button
              variant="contained"
              color="primary"
              disabled={busy}
              onClick={() => rerun(true)}
            >
              Re-run failed
            </Button>
          )}
        </>
      )}
    </Box>
  );
}
