import useAsync from 'react-use/esm/useAsync';
import {
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { pipelinesApiRef } from '../../api';
import { formatDuration } from '../../lib/format';
import { pipelineTrends, type PipelineTrend } from '../../lib/trend';

/** How many of the latest runs the trend covers. */
export const TREND_RUNS = 100;

/**
 * The build duration of each pipeline over its latest runs, with the
 * success rate.
 *
 * @public
 */
export function DurationTrend(props: {
  entity: CompoundEntityRef;
  version?: number;
}) {
  const { entity, version = 0 } = props;
  const api = useApi(pipelinesApiRef);
  const { value, loading, error } = useAsync(
    () => api.listRuns(entity, { limit: TREND_RUNS }),
    [api, entity.kind, entity.namespace, entity.name, version],
  );

  return (
    <InfoCard title="Build duration" subheader={`The last ${TREND_RUNS} runs`}>
      {error && <ResponseErrorPanel error={error} />}
      {loading && !value && <Progress />}
      {value && value.items.length === 0 && (
        <Typography color="textSecondary">No runs yet.</Typography>
      )}
      <Grid container spacing={2}>
        {value &&
          pipelineTrends(value.items).map(trend => (
            <Grid item xs={12} md={6} key={trend.pipeline}>
              <TrendChart trend={trend} />
            </Grid>
          ))}
      </Grid>
    </InfoCard>
  );
}

function TrendChart(props: { trend: PipelineTrend }) {
  const { trend } = props;
  const rate =
    trend.successRate === undefined
      ? 'no finished runs'
      : `${Math.round(trend.successRate * 100)}% succeeded (${
          trend.succeeded
        } of ${trend.counted})`;
  return (
    <figure aria-label={`Duration of ${trend.pipeline}`} style={{ margin: 0 }}>
      <Typography variant="subtitle2" component="figcaption">
        {trend.pipeline}: {rate}
      </Typography>
      <ResponsiveContainer width="100%" height={180}>
        <LineChart data={trend.points}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="at"
            tickFormatter={(at: string) => new Date(at).toLocaleDateString()}
            minTickGap={24}
          />
          <YAxis unit=" min" width={64} />
          <Tooltip
            labelFormatter={(at: unknown) =>
              new Date(String(at)).toLocaleString()
            }
            formatter={(minutes: unknown, _name: unknown, item: any) => [
              `${formatDuration(Number(minutes) * 60000)} (${
                item?.payload?.status
              })`,
              'duration',
            ]}
          />
          <Line
            type="monotone"
            dataKey="durationMinutes"
            stroke="#1f77b4"
            isAnimationActive={false}
            dot={(dot: any) => (
              <circle
                key={dot.payload.runId}
                cx={dot.cx}
                cy={dot.cy}
                r={3}
                fill={
                  dot.payload.status === 'succeeded' ? '#2e7d32' : '#c62828'
                }
              />
            )}
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
