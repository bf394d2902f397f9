import type { ZodType } from 'zod';
import { parseYaml, ParsedYamlDocument } from './parseYaml';
import type { DescriptorSource } from './descriptorSet';
import { DescriptorProblem, sortProblems } from './problems';
import { Descriptor, fileProblem } from './result';

/**
 * A validated document: its typed value with the file and document it came
 * from (a {@link Descriptor}), so later stages (generators) can still point
 * at positions; or every problem.
 *
 * @public
 */
export type ValidateResult<T> =
  | ({ readonly ok: true } & Descriptor<T>)
  | { readonly ok: false; readonly problems: DescriptorProblem[] };

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
  if (result.success)
    return { ok: true, value: result.data, file: doc.file, document: doc };
  const problems: DescriptorProblem[] = [];
  for (const issue of result.error.issues) {
    const path = issue.path.filter(
      (p): p is string | number => typeof p !== 'symbol',
    );
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        problems.push(
          doc.problemAt([...path, key], `unknown key "${key}"`, { at: 'key' }),
        );
      }
    } else if (issue.code === 'invalid_key') {
      // A record key that fails its schema: say why, at the key.
      const reason = issue.issues.map(i => i.message).join('; ');
      problems.push(
        doc.problemAt(path, `invalid key "${String(path.at(-1))}": ${reason}`, {
          at: 'key',
        }),
      );
    } else if (issue.code === 'custom' && issue.params?.at === 'key') {
      problems.push(doc.problemAt(path, issue.message, { at: 'key' }));
    } else {
      problems.push(doc.problemAt(path, issue.message));
    }
  }
  return { ok: false, problems };
}

/**
 * Parses a single-document descriptor and validates it against its schema:
 * the one way every descriptor language reads its file. An empty file (or
 * one holding only comments) is a problem of its own. Callers that already
 * parsed the file (see `parseDescriptorSet`) pass its `documents` so it is
 * not parsed again.
 *
 * @public
 */
export function parseDescriptor<T>(
  source: DescriptorSource,
  schema: ZodType<T>,
  options: {
    emptyMessage?: string;
    documents?: ReadonlyArray<ParsedYamlDocument>;
  } = {},
): ValidateResult<T> {
  let documents = options.documents;
  if (!documents) {
    const parsed = parseYaml(source.path, source.text, { maxDocuments: 1 });
    if (!parsed.ok)
      return { ok: false, problems: sortProblems(parsed.problems) };
    documents = parsed.documents;
  }
  const doc = documents[0];
  if (!doc || doc.data === null || doc.data === undefined) {
    return {
      ok: false,
      problems: [
        fileProblem(source.path, options.emptyMessage ?? 'the file is empty'),
      ],
    };
  }
  const result = validateDocument(doc, schema);
  return result.ok
    ? result
    : { ok: false, problems: sortProblems(result.problems) };
}
