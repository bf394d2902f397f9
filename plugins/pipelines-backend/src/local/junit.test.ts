import { mergeReports, parseJUnit } from './junit';

describe('parseJUnit', () => {
  it("reads Node's junit reporter: top-level tests, suites, failures and skips", () => {
    // As written by `node --test --test-reporter=junit` (Node 22).
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<testsuites>
	<testcase name="greets by name" time="0.01" classname="test" failure="Expected values to be strictly equal:'Hi' !== 'Hello'">
		<failure type="testCodeFailure" message="Expected values to be strictly equal:'Hi' !== 'Hello'">
[Error [ERR_TEST_FAILURE]: Expected values to be strictly equal:
      at TestContext.&lt;anonymous> (/workspace/a.test.js:2:37)
]
		</failure>
	</testcase>
	<testcase name="ok" time="0.0003" classname="test"/>
	<testcase name="later" time="0.0002" classname="test">
		<skipped type="skipped" message="not yet"/>
	</testcase>
	<testsuite name="server" time="0.1" disabled="0" errors="0" tests="2" failures="1" skipped="0" hostname="h">
		<testcase name="answers /healthz" time="0.01" classname="test"/>
		<testcase name="answers /api/greeting" time="0.01" classname="test" failure="boom">
			<failure type="testCodeFailure" message="boom">stack</failure>
		</testcase>
	</testsuite>
	<!-- tests 5 -->
</testsuites>`;
    expect(parseJUnit(xml)).toEqual({
      ok: true,
      report: {
        passed: 2,
        failed: 2,
        skipped: 1,
        failures: [
          {
            suite: 'test',
            name: 'greets by name',
            message: "Expected values to be strictly equal:'Hi' !== 'Hello'",
          },
          { suite: 'server', name: 'answers /api/greeting', message: 'boom' },
        ],
      },
    });
  });

  it("reads Maven Surefire's single <testsuite>, errors and text-only failures", () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="com.example.GreeterServiceTest" tests="3" failures="1" errors="1" skipped="0">
  <testcase name="greets" classname="com.example.GreeterServiceTest" time="0.01"/>
  <testcase name="fails" classname="com.example.GreeterServiceTest" time="0.01">
    <failure type="org.opentest4j.AssertionFailedError">expected: &lt;1&gt; but was: &lt;2&gt;</failure>
  </testcase>
  <testcase name="throws" classname="com.example.GreeterServiceTest" time="0.01">
    <error message="NPE" type="java.lang.NullPointerException"/>
  </testcase>
</testsuite>`;
    expect(parseJUnit(xml)).toEqual({
      ok: true,
      report: {
        passed: 1,
        failed: 2,
        skipped: 0,
        failures: [
          {
            suite: 'com.example.GreeterServiceTest',
            name: 'fails',
            message: 'expected: <1> but was: <2>',
          },
          {
            suite: 'com.example.GreeterServiceTest',
            name: 'throws',
            message: 'NPE',
          },
        ],
      },
    });
  });

  it('answers bad XML with a problem, never an exception', () => {
    const bad = parseJUnit('<testsuites><testcase name="x">');
    expect(bad.ok).toBe(false);
    expect(parseJUnit('not xml at all').ok).toBe(false);
    expect(parseJUnit('<html><body/></html>')).toEqual({
      ok: false,
      problem: 'no <testsuites> or <testsuite> element at the top',
    });
    expect(parseJUnit('')).toMatchObject({ ok: false });
  });

  it('clips long failure messages', () => {
    const long = 'x'.repeat(5000);
    const parsed = parseJUnit(
      `<testsuites><testcase name="t"><failure message="${long}"/></testcase></testsuites>`,
    );
    expect(parsed.ok && parsed.report.failures[0].message).toHaveLength(2001);
  });
});

describe('mergeReports', () => {
  it('sums counts and keeps every failure; nothing to merge is undefined', () => {
    expect(mergeReports([])).toBeUndefined();
    expect(
      mergeReports([
        { passed: 1, failed: 1, skipped: 0, failures: [{ name: 'a' }] },
        { passed: 2, failed: 1, skipped: 3, failures: [{ name: 'b' }] },
      ]),
    ).toEqual({
      passed: 3,
      failed: 2,
      skipped: 3,
      failures: [{ name: 'a' }, { name: 'b' }],
    });
  });
});
