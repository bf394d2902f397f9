import { XMLParser } from 'fast-xml-parser';
import type { TestReport } from '@gitops/plugin-pipelines-common';

/** A JUnit XML file read into counts and failing tests, or why it could not be. */
export type JUnitParseResult =
  | { ok: true; report: TestReport }
  | { ok: false; problem: string };

const MAX_MESSAGE = 2000;

const parser = new XMLParser({
  ignoreAttributes: false,
  // Node's reporter writes a `failure` attribute beside the `<failure>` element.
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  processEntities: true,
  parseTagValue: false,
  parseAttributeValue: false,
  // Every element as a list, so one test and many look alike.
  isArray: (_name, _jpath, _isLeaf, isAttribute) => !isAttribute,
});

type Node = Record<string, unknown>;

function children(node: Node, name: string): Node[] {
  const value = node[name];
  if (!Array.isArray(value)) return [];
  return value.map(v =>
    typeof v === 'object' && v !== null ? (v as Node) : { '#text': String(v) },
  );
}

function attr(node: Node, name: string): string | undefined {
  const value = node[`@_${name}`];
  return typeof value === 'string' ? value : undefined;
}

function text(node: Node): string | undefined {
  const value = node['#text'];
  if (Array.isArray(value)) return value.map(String).join('');
  return typeof value === 'string' ? value : undefined;
}

function clip(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  const t = s.trim();
  if (!t) return undefined;
  return t.length > MAX_MESSAGE ? `${t.slice(0, MAX_MESSAGE)}…` : t;
}

/**
 * Parses JUnit XML as written by Node's test runner (`--test-reporter=junit`,
 * test cases directly under `<testsuites>` or nested in suites), Maven's
 * Surefire and most other tools: `<testcase>` anywhere, failed when it holds
 * `<failure>` or `<error>`, skipped with `<skipped>`. Never throws.
 */
export function parseJUnit(xml: string): JUnitParseResult {
  let doc: Node;
  try {
    doc = parser.parse(xml, true) as Node;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, problem: message.split('\n')[0] };
  }
  const roots = [...children(doc, 'testsuites'), ...children(doc, 'testsuite')];
  if (roots.length === 0) {
    return {
      ok: false,
      problem: 'no <testsuites> or <testsuite> element at the top',
    };
  }
  const report: TestReport = { passed: 0, failed: 0, skipped: 0, failures: [] };
  const visit = (node: Node, suite: string | undefined) => {
    for (const testcase of children(node, 'testcase')) {
      const failure = [
        ...children(testcase, 'failure'),
        ...children(testcase, 'error'),
      ][0];
      const name = attr(testcase, 'name') ?? '(unnamed test)';
      if (failure) {
        report.failed += 1;
        const message = clip(attr(failure, 'message') ?? text(failure));
        const suiteName = suite ?? attr(testcase, 'classname');
        report.failures.push({
          ...(suiteName ? { suite: suiteName } : {}),
          name,
          ...(message ? { message } : {}),
        });
      } else if (children(testcase, 'skipped').length > 0) {
        report.skipped += 1;
      } else {
        report.passed += 1;
      }
    }
    for (const child of children(node, 'testsuite')) {
      visit(child, attr(child, 'name') ?? suite);
    }
  };
  for (const root of children(doc, 'testsuites')) visit(root, undefined);
  for (const root of children(doc, 'testsuite')) {
    visit({ testsuite: [root] }, undefined);
  }
  return { ok: true, report };
}

/** Sums reports (a step may leave several files). */
export function mergeReports(reports: TestReport[]): TestReport | undefined {
  if (reports.length === 0) return undefined;
  return reports.reduce<TestReport>(
    (sum, r) => ({
      passed: sum.passed + r.passed,
      failed: sum.failed + r.failed,
      skipped: sum.skipped + r.skipped,
      failures: [...sum.failures, ...r.failures],
    }),
    { passed: 0, failed: 0, skipped: 0, failures: [] },
  );
}
