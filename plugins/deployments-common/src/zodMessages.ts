import { describeValue } from '@gitops/descriptors-common';

/**
 * zod error options whose messages name what was expected and what was
 * found: `setWeight must be a whole number from 0 to 100, not "20"`. Only
 * this package's schemas word their messages this way, so it stays here.
 */
export function expected(what: string, shape: string) {
  return {
    error: (issue: { input?: unknown }) =>
      issue.input === undefined
        ? `${what} is required`
        : `${what} must be ${shape}, not ${describeValue(issue.input)}`,
  };
}
