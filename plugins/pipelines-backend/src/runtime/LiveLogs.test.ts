import { LiveLogs } from './LiveLogs';

describe('LiveLogs', () => {
  const text = (r: ReturnType<LiveLogs['read']>) =>
    r.kind === 'data' ? r.bytes.toString('utf8') : r.kind;

  it('serves a running step from memory and sends followers to the store once it ends', () => {
    const live = new LiveLogs(1024);
    live.open('s');
    expect(live.read('s', 0, 100)).toEqual({ kind: 'caught-up' });
    live.append('s', 0, Buffer.from('hello '));
    live.append('s', 6, Buffer.from('world\n'));
    expect(live.read('s', 0, 100)).toEqual({
      kind: 'data',
      bytes: Buffer.from('hello world\n'),
      nextOffset: 12,
      truncated: false,
    });
    expect(text(live.read('s', 3, 4))).toBe('lo w');
    expect(live.read('s', 12, 100)).toEqual({ kind: 'caught-up' });
    live.close('s');
    expect(live.read('s', 12, 100)).toEqual({ kind: 'store' });
    // A step it never saw (another replica's) is the store's.
    expect(live.read('other', 0, 100)).toEqual({ kind: 'store' });
  });

  it('keeps a bounded window: a follower further behind reads the store', () => {
    const live = new LiveLogs(10);
    live.open('s');
    for (let i = 0; i < 10; i++)
      live.append('s', i * 4, Buffer.from(`${i}${i}${i}\n`));
    // 40 bytes written; the last chunks covering the window are held.
    expect(live.read('s', 0, 100)).toEqual({ kind: 'store' });
    expect(text(live.read('s', 28, 100))).toBe('777\n888\n999\n');
    expect(text(live.read('s', 36, 100))).toBe('999\n');
  });

  it('ignores output at an offset that does not continue the log, and of steps not started or ended', () => {
    const live = new LiveLogs();
    live.open('s');
    live.append('s', 0, Buffer.from('abc'));
    live.append('s', 10, Buffer.from('gap'));
    expect(text(live.read('s', 0, 100))).toBe('abc');
    live.append('never-started', 0, Buffer.from('x'));
    expect(live.read('never-started', 0, 100)).toEqual({ kind: 'store' });
    live.close('s');
    live.append('s', 3, Buffer.from('late'));
    expect(live.read('s', 0, 100)).toEqual({ kind: 'store' });
  });

  it('never cuts a UTF-8 character in two', () => {
    const live = new LiveLogs();
    live.open('s');
    const bytes = Buffer.from('añb');
    live.append('s', 0, bytes.subarray(0, 2));
    expect(text(live.read('s', 0, 100))).toBe('a');
    expect(live.read('s', 0, 100)).toMatchObject({ nextOffset: 1 });
    expect(live.read('s', 1, 100)).toEqual({ kind: 'caught-up' });
    live.append('s', 2, bytes.subarray(2));
    expect(text(live.read('s', 1, 100))).toBe('ñb');
    expect(live.read('s', 1, 100)).toMatchObject({ nextOffset: 4 });
  });

  it('reports the cap once the step was truncated', () => {
    const live = new LiveLogs();
    live.open('s');
    live.append('s', 0, Buffer.from('x'));
    live.markTruncated('s');
    expect(live.read('s', 0, 10)).toMatchObject({ truncated: true });
  });

  it('wakes a waiting follower on new output and on the end, else after the poll time', async () => {
    const live = new LiveLogs();
    live.open('s');
    let woke = false;
    const waiting = live.wait('s', 0, 60_000).then(() => {
      woke = true;
    });
    await Promise.resolve();
    expect(woke).toBe(false);
    live.append('s', 0, Buffer.from('x'));
    await waiting;
    expect(woke).toBe(true);

    const atEnd = live.wait('s', 1, 60_000);
    live.close('s');
    await atEnd;

    const started = Date.now();
    await live.wait('unknown', 0, 20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });
});
