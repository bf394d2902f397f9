import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import type { StepStatus } from '@gitops/plugin-pipelines-common';

/**
 * A run's or a step's status as a coloured dot and its word.
 *
 * @public
 */
export function RunStatus(props: { status: StepStatus }) {
  const { status } = props;
  switch (status) {
    case 'succeeded':
      return <StatusOK>succeeded</StatusOK>;
    case 'failed':
      return <StatusError>failed</StatusError>;
    case 'running':
      return <StatusRunning>running</StatusRunning>;
    case 'queued':
    case 'pending':
      return <StatusPending>{status}</StatusPending>;
    case 'interrupted':
      return <StatusWarning>interrupted</StatusWarning>;
    case 'cancelled':
    case 'skipped':
      return <StatusAborted>{status}</StatusAborted>;
    default:
      return <StatusPending>{status}</StatusPending>;
  }
}
