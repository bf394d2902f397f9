import { ChangeEvent, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { Link as RouterLink } from 'react-router-dom';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import Link from '@material-ui/core/Link';
import MenuItem from '@material-ui/core/MenuItem';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import type {
  RunStatus as RunStatusValue,
  RunSummary,
} from '@gitops/plugin-pipelines-common';
import { pipelinesApiRef } from '../../api';
import {
  firstLine,
  formatDuration,
  formatTimestamp,
  shortSha,
} from '../../lib/format';
import { RunStatus } from '../RunStatus';

const STATUSES: RunStatusValue[] = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
  'interrupted',
];

const TRIGGERS: Record<RunSummary['trigger']['kind'], string> = {
  push: 'push',
  pull_request: 'pull request',
  manual: 'manual',
  rerun: 're-run',
};

/**
 * An entity's runs, newest first, filtered and paginated by the backend.
 *
 * @public
 */
export function RunsTable(props: {
  entity: CompoundEntityRef;
  /** Pipelines offered by the pipeline filter. */
  pipelines?: string[];
  /** Changes whenever runs may have changed (signals, polling). */
  version?: number;
  /** Where a run's page is, relative to this table. */
  runLink?: (run: RunSummary) => string;
}) {
  const { entity, pipelines = [], version = 0 } = props;
  const runLink = props.runLink ?? ((run: RunSummary) => `runs/${run.id}`);
  const api = useApi(pipelinesApiRef);
  const [pipeline, setPipeline] = useState('');
  const [status, setStatus] = useState<RunStatusValue | ''>('');
  const [ref, setRef] = useState('');
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(20);

  const { value, loading, error } = useAsync(
    () =>
      api.listRuns(entity, {
        pipeline: pipeline || undefined,
        status: status || undefined,
        ref: ref.trim() || undefined,
        offset: page * pageSize,
        limit: pageSize,
      }),
    [
      api,
      entity.kind,
      entity.namespace,
      entity.name,
      pipeline,
      status,
      ref,
      page,
      pageSize,
      version,
    ],
  );

  const filter =
    <T,>(set: (v: T) => void) =>
    (event: ChangeEvent<{ value: unknown }>) => {
      set(event.target.value as T);
      setPage(0);
    };

  return (
    <InfoCard title="Runs" noPadding>
      <Box display="flex" style={{ gap: 16 }} px={2} pt={1}>
        <TextField
          select
          label="Pipeline"
          value={pipeline}
          onChange={filter(setPipeline)}
          style={{ minWidth: 160 }}
          SelectProps={{
            SelectDisplayProps: { 'aria-label': 'Pipeline' } as any,
          }}
        >
          <MenuItem value="">All</MenuItem>
          {pipelines.map(name => (
            <MenuItem key={name} value={name}>
              {name}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          label="Status"
          value={status}
          onChange={filter(setStatus)}
          style={{ minWidth: 140 }}
          SelectProps={{
            SelectDisplayProps: { 'aria-label': 'Status' } as any,
          }}
        >
          <MenuItem value="">All</MenuItem>
          {STATUSES.map(s => (
            <MenuItem key={s} value={s}>
              {s}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          label="Ref"
          value={ref}
          placeholder="master"
          onChange={filter(setRef)}
          inputProps={{ 'aria-label': 'Ref' }}
        />
      </Box>
      {error ? (
        <Box p={2}>
          <ResponseErrorPanel error={error} />
        </Box>
      ) : (
        <>
          {loading && <Progress />}
          <Table size="small" aria-label="Runs">
            <TableHead>
              <TableRow>
                <TableCell>Status</TableCell>
                <TableCell>Pipeline</TableCell>
                <TableCell>Ref</TableCell>
                <TableCell>Commit</TableCell>
                <TableCell>Trigger</TableCell>
                <TableCell>Started</TableCell>
                <TableCell>Duration</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {value?.items.map(run => (
                <TableRow key={run.id}>
                  <TableCell>
                    <Link component={RouterLink} to={runLink(run)}>
                      <RunStatus status={run.status} />
                    </Link>
                  </TableCell>
                  <TableCell>
                    <Link component={RouterLink} to={runLink(run)}>
                      {run.pipeline}
                    </Link>
                  </TableCell>
                  <TableCell>{run.trigger.ref}</TableCell>
                  <TableCell>
                    <Typography variant="body2">
                      <code title={run.trigger.sha}>
                        {shortSha(run.trigger.sha)}
                      </code>{' '}
                      {firstLine(run.trigger.message)}
                    </Typography>
                    {run.trigger.author && (
                      <Typography variant="caption" color="textSecondary">
                        {run.trigger.author.name}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell>
                    {TRIGGERS[run.trigger.kind] ?? run.trigger.kind}
                    {run.trigger.actor ? ` by ${run.trigger.actor}` : ''}
                  </TableCell>
                  <TableCell>
                    {formatTimestamp(run.startedAt ?? run.createdAt)}
                  </TableCell>
                  <TableCell>{formatDuration(run.durationMs)}</TableCell>
                </TableRow>
              ))}
              {value && value.items.length === 0 && (
                <TableRow>
                  <TableCell colSpan={7}>
                    <Typography color="textSecondary">
                      No runs
                      {pipeline || status || ref
                        ? ' match these filters'
                        : ' yet'}
                      .
                    </Typography>
                  </TableCell>
                </TableRow>
              )}
            </TableBody>
          </Table>
          <TablePagination
            component="div"
            count={value?.totalCount ?? 0}
            page={page}
            rowsPerPage={pageSize}
            rowsPerPageOptions={[10, 20, 50, 100]}
            onPageChange={(_e, p) => setPage(p)}
            onRowsPerPageChange={e => {
              setPageSize(Number(e.target.value));
              setPage(0);
            }}
          />
        </>
      )}
    </InfoCard>
  );
}
