import {
  RESOURCE_TYPE_SCAFFOLDER_TASK,
  taskCancelPermission,
  taskReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  createScaffolderTaskConditionalDecision,
  scaffolderTaskConditions,
} from '@backstage/plugin-scaffolder-backend/alpha';
import {
  PolicyDecision,
  ResourcePermission,
  isPermission,
} from '@backstage/plugin-permission-common';
import { GitopsPolicySubject } from '../subject';
import { ALLOW, GitopsPolicyRule } from './types';

/**
 * Allowed for the platform group; for everyone else a conditional decision
 * the scaffolder evaluates: allowed on the tasks the user created
 * (`IS_TASK_OWNER`). The scaffolder also turns it into a filter, so a task
 * list shows only the user's own tasks.
 *
 * @public
 */
export function taskCreatorDecision(
  permission: ResourcePermission<typeof RESOURCE_TYPE_SCAFFOLDER_TASK>,
  subject: GitopsPolicySubject,
): PolicyDecision {
  if (subject.isPlatform) {
    return ALLOW;
  }
  return createScaffolderTaskConditionalDecision(
    permission,
    scaffolderTaskConditions.isTaskOwner({
      createdBy: [subject.userEntityRef],
    }),
  );
}

/**
 * Reading a scaffolder task (its page, logs, event stream, the task list)
 * and cancelling it: for its creator and the platform group, through
 * {@link taskCreatorDecision}. The task's parameters and logs may hold what
 * its creator typed; cancelling someone else's run is sabotage.
 *
 * @public
 */
export const taskCreatorRule: GitopsPolicyRule = ({ permission }, subject) => {
  if (
    isPermission(permission, taskReadPermission) ||
    isPermission(permission, taskCancelPermission)
  ) {
    return taskCreatorDecision(permission, subject);
  }
  return undefined;
};
