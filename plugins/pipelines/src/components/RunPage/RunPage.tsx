import { useEffect, useMemo, useState } from 'react';
import { Link as RouterLink, useParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import { isFinalStatus, type RunDetail } from '@gitops/plugin-pipelines-common';
import { pipelinesApiRef } from '../../api';
import { useRunSignals } from '../../hooks/useRunSignals';
import {
  elapsedMs,
  firstLine,
  formatDuration,
  formatTimestamp,
  shortSha,
} from '../../lib/format';
import { allSteps, defaultStep, firstFailedStep } from '../../lib/runTree';
import { BuildInfoProblems } from '../EmptyState';
import { RunStatus } from '../RunStatus';
import { RunActions } from './RunActions';
import { StepLog } from './StepLog';
import { StepTree } from './StepTree';
import { TestResults } from './TestResults';

/**
 * One run: its header, the stage → task → step tree, the selected step's
 * log (the failed step's when the page opens), the test results and the
 * trigger buttons. Status changes arrive as signals, with polling as a
 * fallback.
 *
 * @public
 */
export function RunPage(props: { runId?: string }) {
  const params = useParams();
  const runId = props.runId ?? params.runId ?? '';
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(pipelinesApiRef);
  const [live, setLive] = useState(true);
  const { version, lastSignal } = useRunSignals(entityRef, live);
  const relevantVersion = useRelevantVersion(version, lastSignal?.runId, runId);

  const {
    value: run,
    loading,
    error,
    retry,
  } = useAsyncRetry(() => api.getRun(runId), [api, runId, relevantVersion]);
  useEffect(() => {
    if (run) {
      setLive(!isFinalStatus(run.status));
    }
  }, [run]);

  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  if (!run) {
    return loading ? <Progress /> : null;
  }
  return <RunView run={run} entityRef={entityRef} onChanged={retry} />;
}

/** Reload only for signals about this run (or poll ticks, which carry none). */
function useRelevantVersion(
  version: number,
  signalRunId: string | undefined,
  runId: string,
): number {
  const [relevant, setRelevant] = useState(0);
  useEffect(() => {
    if (signalRunId === undefined || signalRunId === runId) {
      setRelevant(version);
    }
  }, [version, signalRunId, runId]);
  return relevant;
}

function RunView(props: {
  run: RunDetail;
  entityRef: string;
  onChanged(): void;
}) {
  const { run, entityRef, onChanged } = props;
  const steps = useMemo(() => allSteps(run), [run]);
  const failed = firstFailedStep(run);
  const [selected, setSelected] = useState<string | undefined>(
    () => defaultStep(run)?.step.id,
  );
  // Follow the run: while nothing was picked by hand, show the step that
  // matters now (the failed one, else the running one).
  const [picked, setPicked] = useState(false);
  useEffect(() => {
    if (!picked) {
      setSelected(defaultStep(run)?.step.id);
    }
  }, [run, picked]);
  const selectedStep = steps.find(s => s.step.id === selected)?.step;

  const jumpToFailed = () => {
    if (!failed) {
      return;
    }
    setPicked(true);
    setSelected(failed.step.id);
    document
      .getElementById(`step-${failed.step.id}`)
      ?.scrollIntoView?.({ block: 'center' });
  };

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard
          title={
            <Box display="flex" alignItems="center" style={{ gap: 12 }}>
              <span>
                {run.pipeline} · {run.trigger.ref}
              </span>
              <RunStatus status={run.status} />
            </Box>
          }
          subheader={
            <Link component={RouterLink} to="../.." relative="path">
              All runs
            </Link>
          }
          action={
            <RunActions run={run} entityRef={entityRef} onChanged={onChanged} />
          }
        >
          <Typography variant="body1">
            <code title={run.trigger.sha}>{shortSha(run.trigger.sha)}</code>{' '}
            {firstLine(run.trigger.message)}
            {run.trigger.author ? ` — ${run.trigger.author.name}` : ''}
          </Typography>
          <Typography variant="body2" color="textSecondary">
            {run.trigger.kind.replace('_', ' ')}
            {run.trigger.actor ? ` by ${run.trigger.actor}` : ''} · started{' '}
            {formatTimestamp(run.startedAt ?? run.createdAt)} · took{' '}
            {formatDuration(
              run.durationMs ?? elapsedMs(run.startedAt, run.finishedAt),
            )}{' '}
            · {run.executor} executor
            {run.origin ? ` · template ${run.origin.template}` : ''}
          </Typography>
          {run.message && (
            <Typography variant="body2" color="error">
              {run.message}
            </Typography>
          )}
        </InfoCard>
      </Grid>
      {run.problems && run.problems.length > 0 && (
        <Grid item xs={12}>
          <BuildInfoProblems problems={run.problems} />
        </Grid>
      )}
      <Grid item xs={12} md={4}>
        <InfoCard
          title="Steps"
          action={
            failed ? (
              <Button size="small" color="secondary" onClick={jumpToFailed}>
                Jump to the failed step
              </Button>
            ) : undefined
          }
        >
          {steps.length === 0 ? (
            <Typography color="textSecondary">No steps were run.</Typography>
          ) : (
            <StepTree
              stages={run.stages}
              selectedStepId={selected}
              onSelect={id => {
                setPicked(true);
                setSelected(id);
              }}
            />
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={8}>
        <InfoCard title="Log">
          {selectedStep ? (
            <StepLog key={selectedStep.id} runId={run.id} step={selectedStep} />
          ) : (
            <Typography color="textSecondary">Select a step.</Typography>
          )}
        </InfoCard>
      </Grid>
      {run.tests && (
        <Grid item xs={12}>
          <TestResults tests={run.tests} />
        </Grid>
      )}
    </Grid>
  );
}
