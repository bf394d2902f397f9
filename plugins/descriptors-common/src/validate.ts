import type { ZodType } from 'zod';
import { parseYaml, ParsedYamlDocument } from './parseYaml';
import type { DescriptorSource } from './descriptorSet';
import {
  DataPath,
  DescriptorProblem,
  formatDataPath,
  sortProblems,
} from './problems';

/**
 * A validated document: its typed value and the document it came from, so
 * later stages (generators) can still point at positions.
 *
 * @public
 */
export type ValidateResult<T> =
  | { ok: true; value: T; document?: ParsedYamlDocument }
  | { ok: false; problems: DescriptorProblem[] };

/**
 * A problem a generator finds in data that passed its schema (a reference to
 * a stage that does not exist, say), located by data path only. The caller
 * that still has the document turns it into a {@link DescriptorProblem}.
 *
 * @public
 */
export interface GeneratorIssue {
  readonly path: DataPath;
  readonly message: string;
}

/**
 * Locates generator issues in the document they came from; without a
 * document, they are reported at the top of `file`.
 *
 * @public
 */
export function locateIssues(
  file: string,
  document: ParsedYamlDocument | undefined,
  issues: ReadonlyArray<GeneratorIssue>,
): DescriptorProblem[] {
  return issues.map(issue =>
    document
      ? document.problemAt(issue.path, issue.message)
      : {
          file,
          line: 1,
          column: 1,
          path: formatDataPath(issue.path),
          message: issue.message,
        },
  );
}

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
  if (result.success) return { ok: true, value: result.data, document: doc };
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
        {
          file: source.path,
          line: 1,
          column: 1,
          path: '',
          message: options.emptyMessage ?? 'the file is empty',
        },
      ],
    };
  }
  const result = validateDocument(doc, schema);
  return result.ok
    ? result
    : { ok: false, problems: sortProblems(result.problems) };
}
