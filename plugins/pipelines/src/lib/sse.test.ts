import { ServerSentEventParser } from './sse';

describe('ServerSentEventParser', () => {
  it('returns events as the chunks complete them, whatever the split', () => {
    const parser = new ServerSentEventParser();
    expect(parser.push('event: log\nda')).toEqual([]);
    expect(parser.push('ta: {"a":1}\n')).toEqual([]);
    expect(parser.push('\r\n: keep-alive\n\nevent: end\r')).toEqual([
      { event: 'log', data: '{"a":1}' },
    ]);
    expect(parser.push('\ndata: done\n\n')).toEqual([
      { event: 'end', data: 'done' },
    ]);
  });

  it('joins data lines and names unnamed events "message"', () => {
    const parser = new ServerSentEventParser();
    expect(parser.push('id: 7\ndata: one\ndata:two\n\n')).toEqual([
      { event: 'message', data: 'one\ntwo', id: '7' },
    ]);
  });
});
