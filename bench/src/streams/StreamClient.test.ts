import { StreamClient } from './StreamClient';

describe('StreamClient.receive', () => {
  it('times each awaited marker on arrival, counts bytes and is ready after the first state', async () => {
    const seen: Array<[string, number]> = [];
    const client = new StreamClient(
      'http://x/events',
      'token-123456',
      (m, at) => seen.push([m, at]),
    );
    let ready = false;
    client.ready.then(() => {
      ready = true;
    });
    let sent = 0;
    const bytes = (s: string) => {
      sent += s.length;
      return new TextEncoder().encode(s);
    };
    client.receive(bytes(': heartbeat\n\n'), 1);
    await Promise.resolve();
    expect(ready).toBe(false);
    client.receive(
      bytes('event: state\ndata: {"t":"2031-01-01T00:00:00Z"}\n\n'),
      2,
    );
    await Promise.resolve();
    expect(ready).toBe(true);
    client.scanner.expect('2031-01-01T00:00:07Z');
    client.receive(bytes('event: state\ndata: {"t":"2031-01-01T0'), 3);
    client.receive(bytes('0:00:07Z"}\n\n'), 4);
    expect(seen).toEqual([['2031-01-01T00:00:07Z', 4]]);
    expect(client.bytes).toBe(sent);
  });
});
