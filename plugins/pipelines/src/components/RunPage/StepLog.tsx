import {
  LogViewer,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { RunStep } from '@gitops/plugin-pipelines-common';
import { isFinalStatus } from '@gitops/plugin-pipelines-common';
import { useStepLog } from '../../hooks/useStepLog';
import { stepLabel } from '../../lib/runTree';

/**
 * A step's log in Backstage's LogViewer (ANSI colours, search, copy), with
 * a download of what was loaded; followed live while the step runs.
 */
export function StepLog(props: { runId: string; step: RunStep }) {
  const { runId, step } = props;
  const live = !isFinalStatus(step.status);
  const notStarted = step.status === 'pending' || step.status === 'queued';
  const log = useStepLog(runId, notStarted ? undefined : step.id, live);

  const download = () => {
    const blob = new Blob([log.text], { type: 'text/plain' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `${runId}-${step.index}-${step.action.replace(
      /[^\w.-]+/g,
      '_',
    )}.log`;
    a.click();
    URL.revokeObjectURL(url);
  };

  return (
    <section aria-label={`Log of ${stepLabel(step)}`}>
      <Typography variant="subtitle2" component="h3" gutterBottom>
        Log: {stepLabel(step)}
        {live && !notStarted ? ' (following)' : ''}
        {log.truncated ? ' (truncated at the output cap)' : ''}
      </Typography>
      {notStarted && (
        <Typography color="textSecondary">
          This step has not started yet.
        </Typography>
      )}
      {!notStarted && log.error && <ResponseErrorPanel error={log.error} />}
      {!notStarted && log.loading && <Progress />}
      {!notStarted && !log.loading && (
        <Box height={480}>
          <LogViewer
            text={log.text || (log.complete ? '(no output)' : '')}
            onDownloadLog={download}
          />
        </Box>
      )}
    </section>
  );
}
