import http from 'node:http';
import { AddressInfo } from 'node:net';
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

describe('StreamClient over HTTP', () => {
  let server: http.Server;
  let url: string;
  let endAfterFirst = false;
  const authorizations: Array<string | undefined> = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      authorizations.push(req.headers.authorization);
      if (req.url === '/missing') {
        res.writeHead(404);
        res.end('no such entity');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write('event: state\ndata: {"t":"2031-01-01T00:00:00Z"}\n\n');
      if (endAfterFirst) {
        res.end();
      }
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise(resolve => server.close(resolve)));

  const connections = () =>
    new Promise<number>(resolve =>
      server.getConnections((_error, count) => resolve(count)),
    );
  const until = async (check: () => Promise<boolean> | boolean) => {
    for (let i = 0; i < 100 && !(await check()); i++) {
      await new Promise(resolve => setTimeout(resolve, 10));
    }
  };

  it('reads the stream with the token, and close() closes its connection', async () => {
    const client = new StreamClient(`${url}/events`, 'token-1', () => {});
    await client.open();
    await client.ready;
    expect(authorizations.at(-1)).toBe('Bearer token-1');
    expect(await connections()).toBe(1);
    client.close();
    await until(async () => (await connections()) === 0);
    expect(await connections()).toBe(0);
    expect(client.endedEarly).toBe(false);
  });

  it('tells a stream the backend ended from one it closed', async () => {
    endAfterFirst = true;
    const client = new StreamClient(`${url}/events`, 'token-2', () => {});
    await client.open();
    await until(() => client.endedEarly);
    expect(client.endedEarly).toBe(true);
    endAfterFirst = false;
  });

  it('rejects an answer other than 200 with its status and body', async () => {
    const client = new StreamClient(`${url}/missing`, 'token-3', () => {});
    await expect(client.open()).rejects.toThrow(/answered 404: no such entity/);
  });
});
