import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import { usePermission } from '@backstage/plugin-permission-react';
import Button from '@material-ui/core/Button';
import Menu from '@material-ui/core/Menu';
import MenuItem from '@material-ui/core/MenuItem';
import { pipelinesRunTriggerPermission } from '@gitops/plugin-pipelines-common';
import { pipelinesApiRef } from '../../api';
import { describeError } from '../../lib/errors';

/** A manual run of one of the pipelines, for those allowed to trigger. */
export function StartRunButton(props: {
  entity: CompoundEntityRef;
  entityRef: string;
  pipelines: string[];
}) {
  const { entity, entityRef, pipelines } = props;
  const api = useApi(pipelinesApiRef);
  const alertApi = useApi(alertApiRef);
  const navigate = useNavigate();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [busy, setBusy] = useState(false);
  const { allowed } = usePermission({
    permission: pipelinesRunTriggerPermission,
    resourceRef: entityRef,
  });
  if (!allowed || pipelines.length === 0) {
    return null;
  }
  const start = async (pipeline: string) => {
    setAnchor(null);
    setBusy(true);
    try {
      const run = await api.startRun(entity, { pipeline });
      navigate(`runs/${encodeURIComponent(run.id)}`);
    } catch (error) {
      alertApi.post({
        message: `Could not start ${pipeline}: ${describeError(error)}`,
        severity: 'error',
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button
        variant="outlined"
        color="primary"
        disabled={busy}
        aria-haspopup="menu"
        onClick={e => setAnchor(e.currentTarget)}
      >
        Run pipeline
      </Button>
      <Menu anchorEl={anchor} open={!!anchor} onClose={() => setAnchor(null)}>
        {pipelines.map(pipeline => (
          <MenuItem key={pipeline} onClick={() => start(pipeline)}>
            {pipeline}
          </MenuItem>
        ))}
      </Menu>
    </>
  );
}
