import { useMemo } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Link from '@material-ui/core/Link';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { compareStrings } from '@gitops/descriptors-common';
import type { RunSummary } from '@gitops/plugin-pipelines-common';
import { pipelinesApiRef } from '../../api';
import { useRunSignals } from '../../hooks/useRunSignals';
import { isPipelinesAvailable } from '../../lib/availability';
import {
  firstLine,
  formatDuration,
  formatTimestamp,
  shortSha,
} from '../../lib/format';
import { RunStatus } from '../RunStatus';

/** Runs read to find each pipeline's latest. */
const LATEST_RUNS_WINDOW = 50;

/**
 * The latest run of each of the entity's pipelines, for the overview tab.
 *
 * @public
 */
export function LatestRunCard(props: {
  /** Where the CI/CD tab is, relative to the overview; `ci-cd` by default. */
  tabPath?: string;
}) {
  const tabPath = props.tabPath ?? 'ci-cd';
  const { entity } = useEntity();
  const api = useApi(pipelinesApiRef);
  const compound = useMemo(() => getCompoundEntityRef(entity), [entity]);
  const { version } = useRunSignals(stringifyEntityRef(entity), true);
  const available = isPipelinesAvailable(entity);
  const { value, loading, error } = useAsync(
    async () =>
      available
        ? api.listRuns(compound, { limit: LATEST_RUNS_WINDOW })
        : undefined,
    [api, compound, available, version],
  );

  const latest = useMemo(() => latestPerPipeline(value?.items ?? []), [value]);

  return (
    <InfoCard
      title="Latest builds"
      deepLink={{ title: 'All runs', link: tabPath }}
    >
      {!available && (
        <Typography color="textSecondary">
          No build-info.yaml: this component declares no build.
        </Typography>
      )}
      {error && <ResponseErrorPanel error={error} />}
      {loading && !value && <Progress />}
      {value && latest.length === 0 && (
        <Typography color="textSecondary">No runs yet.</Typography>
      )}
      {latest.length > 0 && (
        <Table size="small" aria-label="Latest builds">
          <TableBody>
            {latest.map(run => (
              <TableRow key={run.pipeline}>
                <TableCell>
                  <Link
                    component={RouterLink}
                    to={`${tabPath}/runs/${encodeURIComponent(run.id)}`}
                  >
                    {run.pipeline}
                  </Link>
                </TableCell>
                <TableCell>
                  <RunStatus status={run.status} />
                </TableCell>
                <TableCell>
                  <code>{shortSha(run.trigger.sha)}</code>{' '}
                  {firstLine(run.trigger.message)}
                  <Typography
                    variant="caption"
                    display="block"
                    color="textSecondary"
                  >
                    {run.trigger.ref} ·{' '}
                    {formatTimestamp(run.startedAt ?? run.createdAt)} ·{' '}
                    {formatDuration(run.durationMs)}
                  </Typography>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}

/** The newest run of each pipeline, from runs listed newest first. */
function latestPerPipeline(runs: RunSummary[]): RunSummary[] {
  const seen = new Map<string, RunSummary>();
  for (const run of runs) {
    if (!seen.has(run.pipeline)) {
      seen.set(run.pipeline, run);
    }
  }
  return [...seen.values()].sort((a, b) =>
    compareStrings(a.pipeline, b.pipeline),
  );
}
