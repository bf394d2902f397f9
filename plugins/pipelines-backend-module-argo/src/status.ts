/**
 * The parts of an Argo Workflows `Workflow` status the executor reads, in
 * the controller's own field names (`io.argoproj.workflow.v1alpha1`
 * `WorkflowStatus` and `NodeStatus`).
 */

/** `NodeStatus.phase` (a node that has not started has no phase yet). */
export type ArgoNodePhase =
  | 'Pending'
  | 'Running'
  | 'Succeeded'
  | 'Skipped'
  | 'Failed'
  | 'Error'
  | 'Omitted';

export interface ArgoNodeStatus {
  id: string;
  /** Unique in the tree, e.g. `<workflow>.build-maven.step-1`; pod names hash it. */
  name: string;
  displayName?: string;
  /** `Pod` for a container step; `DAG`, `Steps`, `Retry`, `Skipped`, ... otherwise. */
  type: string;
  templateName?: string;
  phase?: ArgoNodePhase;
  message?: string;
  startedAt?: string | null;
  finishedAt?: string | null;
  /** The container's exit code, as a string (`"1"`). */
  outputs?: { exitCode?: string };
}

export interface ArgoWorkflowObject {
  metadata?: {
    name?: string;
    namespace?: string;
    annotations?: Record<string, string>;
  };
  status?: {
    phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Error';
    message?: string;
    nodes?: Record<string, ArgoNodeStatus>;
  };
}

/** Phases after which a node does not change any more. */
export function isNodeDone(phase: ArgoNodePhase | undefined): boolean {
  return (
    phase === 'Succeeded' ||
    phase === 'Failed' ||
    phase === 'Error' ||
    phase === 'Skipped' ||
    phase === 'Omitted'
  );
}

/** Phases after which the Workflow does not change any more. */
export function isWorkflowDone(workflow: ArgoWorkflowObject): boolean {
  const phase = workflow.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Error';
}
