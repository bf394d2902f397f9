import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import ListSubheader from '@material-ui/core/ListSubheader';
import Typography from '@material-ui/core/Typography';
import type { RunStage } from '@gitops/plugin-pipelines-common';
import { elapsedMs, formatDuration } from '../../lib/format';
import { stepLabel } from '../../lib/runTree';
import { RunStatus } from '../RunStatus';

/**
 * The run's stages, their tasks and the tasks' steps, each step with its
 * status and duration; a step is selected to show its log.
 */
export function StepTree(props: {
  stages: RunStage[];
  selectedStepId?: string;
  onSelect(stepId: string): void;
}) {
  const { stages, selectedStepId, onSelect } = props;
  return (
    <nav aria-label="Steps">
      {stages.map(stage => (
        <section key={stage.name} aria-label={`Stage ${stage.name}`}>
          <Typography variant="subtitle1" component="h3">
            {stage.name} <RunStatus status={stage.status} />
          </Typography>
          {stage.tasks.map(task => (
            <List
              key={task.name}
              dense
              aria-label={`Task ${task.name}`}
              subheader={
                <ListSubheader disableSticky>
                  {task.name} <RunStatus status={task.status} />
                </ListSubheader>
              }
            >
              {task.steps.map(step => (
                <ListItem
                  key={step.id}
                  button
                  id={`step-${step.id}`}
                  selected={step.id === selectedStepId}
                  aria-current={step.id === selectedStepId ? 'step' : undefined}
                  onClick={() => onSelect(step.id)}
                >
                  <ListItemText
                    primary={stepLabel(step)}
                    secondary={
                      <>
                        <RunStatus status={step.status} />{' '}
                        {formatDuration(
                          elapsedMs(step.startedAt, step.finishedAt),
                        )}
                        {step.exitCode !== undefined && step.exitCode !== 0
                          ? ` · exit code ${step.exitCode}`
                          : ''}
                        {step.message ? ` · ${step.message}` : ''}
                      </>
                    }
                    secondaryTypographyProps={{ component: 'div' } as any}
                  />
                </ListItem>
              ))}
            </List>
          ))}
        </section>
      ))}
    </nav>
  );
}
