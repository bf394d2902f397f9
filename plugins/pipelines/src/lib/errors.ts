import { ResponseError } from '@backstage/errors';

/**
 * A failure in words for an alert: the backend's own message for HTTP
 * errors (a ResponseError's message only names the status).
 */
export function describeError(error: unknown): string {
  if (error instanceof ResponseError) {
    return `${error.body.error.message} (${error.statusCode})`;
  }
  return error instanceof Error ? error.message : String(error);
}
