import { jsonStringOf, logEvent } from './sse';

describe('jsonStringOf', () => {
  it.each([
    ['plain text', 'hello world'],
    ['lines and tabs', 'a\nb\r\n\tc\f\b'],
    ['quotes and backslashes', 'say "hi" \\ C:\\path'],
    ['other control characters', '\u0000\u0001\u001b[31mred\u001b[0m\u007f'],
    ['non-ASCII', 'grüße 日本 🚀 \u2028\u2029'],
    ['empty', ''],
  ])('gives what JSON.stringify gives for %s', (_name, text) => {
    const bytes = Buffer.from(text, 'utf8');
    expect(jsonStringOf(bytes).toString('utf8')).toBe(JSON.stringify(text));
    expect(JSON.parse(jsonStringOf(bytes).toString('utf8'))).toBe(text);
  });

  it('replaces bytes that are not UTF-8, as the stored log reads do', () => {
    const bytes = Buffer.from([0x61, 0xff, 0xfe, 0x62]);
    expect(JSON.parse(jsonStringOf(bytes).toString('utf8'))).toBe(
      bytes.toString('utf8'),
    );
  });

  it('puts a prefix and a suffix around the literal, either path', () => {
    for (const bytes of [Buffer.from('a\nb'), Buffer.from([0xff])]) {
      const out = jsonStringOf(bytes, '{"t":', '}').toString('utf8');
      expect(JSON.parse(out)).toEqual({ t: bytes.toString('utf8') });
    }
  });
});

describe('logEvent', () => {
  it('is one server-sent event whose data parses to the range', () => {
    const event = logEvent(
      {
        stepId: 's0t0i0',
        offset: 5,
        nextOffset: 17,
        complete: false,
        truncated: true,
      },
      Buffer.from('line "one"\nx'),
    ).toString('utf8');
    expect(event.startsWith('event: log\ndata: ')).toBe(true);
    expect(event.endsWith('\n\n')).toBe(true);
    // One data line: the text's newline is escaped.
    expect(event.split('\n')).toHaveLength(4);
    expect(JSON.parse(event.slice('event: log\ndata: '.length))).toEqual({
      stepId: 's0t0i0',
      offset: 5,
      text: 'line "one"\nx',
      nextOffset: 17,
      complete: false,
      truncated: true,
    });
  });
});
