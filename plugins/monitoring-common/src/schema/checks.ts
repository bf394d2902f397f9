/**
 * Zod building blocks of the monitoring-info.yaml schema, each giving the
 * message a service developer reads ("threshold must be a number, got
 * "10"").
 */

import { describeValue } from '@gitops/descriptors-common';
import { z } from 'zod';
import { MONITORING_LIMITS } from './limits';

export const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Zod params giving "`name` must be `expected`, got `value`". */
export const must = (name: string, expected: string) => ({
  error: (issue: { input?: unknown }) =>
    issue.input === undefined
      ? `${name} is required`
      : `${name} must be ${expected}, got ${describeValue(issue.input)}`,
});

/** One of a fixed set of words, naming them all when the value is not one. */
export const oneOf = <T extends string>(
  name: string,
  values: readonly [T, ...T[]],
) =>
  z.enum(values, {
    error: issue =>
      issue.input === undefined
        ? `${name} is required`
        : `unknown ${name} ${describeValue(
            issue.input,
          )}: expected one of ${values.join(', ')}`,
  });

/** A list that names the first item over the limit, not the whole list. */
export const list = <T extends z.ZodType>(
  item: T,
  name: string,
  max: number,
  noun: string,
) =>
  z.array(item, must(name, 'a list')).check(
    z.superRefine(
      (value: unknown[], ctx) => {
        if (value.length > max) {
          ctx.addIssue({
            code: 'custom',
            path: [max],
            message: `${name} holds ${value.length} ${noun}, more than the limit of ${max}`,
          });
        }
      },
      { when: () => true },
    ),
  );

// eslint-disable-next-line no-control-regex
export const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Text shown to people: titles end up in alert annotations, which Prometheus
 * expands as Go templates, so `{{` is refused rather than escaped.
 */
export const text = (name: string) =>
  z
    .string(must(name, 'a string'))
    .min(1, `${name} must not be empty`)
    .max(
      MONITORING_LIMITS.textLength,
      `${name} is longer than ${MONITORING_LIMITS.textLength} characters`,
    )
    .refine(
      v => !CONTROL.test(v) && !v.includes('{{') && !v.includes('}}'),
      `${name} must not hold control characters, "{{" or "}}"`,
    );
