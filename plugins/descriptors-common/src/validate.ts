import type { ZodType } from 'zod';
import type { ParsedYamlDocument } from './parseYaml';
import type { DescriptorProblem } from './problems';

/** @public */
export type ValidateResult<T> =
  | { ok: true; value: T }
  | { ok: false; problems: DescriptorProblem[] };

/**
 * Checks a parsed document against a zod schema and turns every issue into a
 * problem at the position of the offending node (for an unknown key, the key
 * itself).
 *
 * @public
 */
export function validateDocument<T>(
  doc: ParsedYamlDocument,
  schema: ZodType<T>,
): ValidateResult<T> {
  const result = schema.safeParse(doc.data);
  if (result.success) return { ok: true, value: result.data };
  const problems: DescriptorProblem[] = [];
  for (const issue of result.error.issues) {
    const path = issue.path.filter(
      (p): p is string | number => typeof p !== 'symbol',
    );
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        problems.push(doc.problemAt([...path, key], `unknown key "${key}"`));
      }
    } else {
      problems.push(doc.problemAt(path, issue.message));
    }
  }
  return { ok: false, problems };
}
