import { useMemo } from 'react';
import { Route, Routes } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { isError } from '@backstage/errors';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import { pipelinesApiRef } from '../../api';
import { useRunSignals } from '../../hooks/useRunSignals';
import {
  declaredPipelines,
  isPipelinesAvailable,
} from '../../lib/availability';
import { DurationTrend } from '../DurationTrend';
import { BuildInfoEmptyState, BuildInfoProblems } from '../EmptyState';
import { ExpandedPipelineView } from '../ExpandedPipeline';
import { RunPage } from '../RunPage';
import { RunsTable } from '../RunsTable';
import { StartRunButton } from './StartRunButton';

/**
 * The CI/CD tab: the runs of the entity's pipelines, their trend and the
 * expanded pipeline, and each run's page under `runs/:runId`.
 *
 * @public
 */
export function PipelinesContent() {
  return (
    <Routes>
      <Route path="/" element={<PipelinesOverview />} />
      <Route path="/runs/:runId" element={<RunPage />} />
    </Routes>
  );
}

function PipelinesOverview() {
  const { entity } = useEntity();
  if (!isPipelinesAvailable(entity)) {
    return <BuildInfoEmptyState />;
  }
  return <PipelinesDashboard />;
}

function PipelinesDashboard() {
  const { entity } = useEntity();
  const api = useApi(pipelinesApiRef);
  const entityRef = stringifyEntityRef(entity);
  const compound = useMemo(() => getCompoundEntityRef(entity), [entity]);
  const { version } = useRunSignals(entityRef, true);
  const expansion = useAsync(
    () => api.getExpandedPipeline(compound),
    [api, compound],
  );

  if (expansion.loading) {
    return <Progress />;
  }
  const error = expansion.error;
  if (error && isNotFound(error)) {
    return <BuildInfoEmptyState />;
  }
  const value = expansion.value;
  const pipelines = [
    ...new Set([
      ...(value?.pipelines ?? [])
        .map(p => p.pipeline)
        .filter((p): p is string => typeof p === 'string'),
      ...declaredPipelines(entity),
    ]),
  ].sort();

  return (
    <Grid container spacing={3}>
      {error && (
        <Grid item xs={12}>
          <ResponseErrorPanel error={error} />
        </Grid>
      )}
      {value && value.problems.length > 0 && (
        <Grid item xs={12}>
          <BuildInfoProblems problems={value.problems} />
        </Grid>
      )}
      <Grid item xs={12}>
        <Box display="flex" justifyContent="flex-end">
          <StartRunButton
            entity={compound}
            entityRef={entityRef}
            pipelines={pipelines}
          />
        </Box>
      </Grid>
      <Grid item xs={12}>
        <RunsTable entity={compound} pipelines={pipelines} version={version} />
      </Grid>
      <Grid item xs={12}>
        <DurationTrend entity={compound} version={version} />
      </Grid>
      {value && (value.yaml || value.origin) && (
        <Grid item xs={12}>
          <ExpandedPipelineView expansion={value} />
        </Grid>
      )}
    </Grid>
  );
}

function isNotFound(error: Error): boolean {
  if (!isError(error)) {
    return false;
  }
  return (
    error.name === 'NotFoundError' ||
    (error as { statusCode?: number }).statusCode === 404 ||
    (error as { response?: { status?: number } }).response?.status === 404
  );
}
