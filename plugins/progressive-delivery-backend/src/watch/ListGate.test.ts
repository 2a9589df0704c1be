import { ListGate } from './ListGate';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>(r => {
    resolve = r;
  });
  return { promise, resolve };
}

const tick = () => new Promise(r => setImmediate(r));

describe('ListGate', () => {
  it('runs at most `concurrency` lists, then the waiting ones by priority', async () => {
    const gate = new ListGate(2);
    const started: string[] = [];
    const done = new Map<string, ReturnType<typeof deferred>>();
    const list = (name: string, priority: number) => {
      const d = deferred();
      done.set(name, d);
      return gate.run(priority, async () => {
        started.push(name);
        await d.promise;
        return name;
      });
    };
    const results = [
      list('Deployment', 1),
      list('Service', 2),
      list('Gateway', 20),
      list('HTTPRoute', 19),
      list('Canary', 0),
    ];
    await tick();
    expect(started).toEqual(['Deployment', 'Service']);
    done.get('Service')!.resolve();
    await tick();
    expect(started).toEqual(['Deployment', 'Service', 'Canary']);
    done.get('Deployment')!.resolve();
    done.get('Canary')!.resolve();
    await tick();
    expect(started).toEqual([
      'Deployment',
      'Service',
      'Canary',
      'HTTPRoute',
      'Gateway',
    ]);
    done.get('HTTPRoute')!.resolve();
    done.get('Gateway')!.resolve();
    await expect(Promise.all(results)).resolves.toEqual([
      'Deployment',
      'Service',
      'Gateway',
      'HTTPRoute',
      'Canary',
    ]);
  });

  it('frees the slot of a list that failed', async () => {
    const gate = new ListGate(1);
    await expect(
      gate.run(0, async () => {
        throw new Error('401 Unauthorized');
      }),
    ).rejects.toThrow('401 Unauthorized');
    await expect(gate.run(0, async () => 'next')).resolves.toBe('next');
  });

  it('refuses a concurrency that is not a whole number of at least 1', () => {
    expect(() => new ListGate(0)).toThrow(
      'list concurrency must be a whole number of at least 1, not 0',
    );
  });
});
