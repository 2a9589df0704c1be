import v8 from 'node:v8';
import {
  compile,
  each,
  KEEP,
  MAX_SHARED_VALUES,
  shared,
  STRING_MAP,
} from './projectionShape';

// V8's own test of whether two objects have one hidden class.
v8.setFlagsFromString('--allow-natives-syntax');
// eslint-disable-next-line no-new-func
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (
  a: unknown,
  b: unknown,
) => boolean;

/** Fills the transitions of the `{}` literal's hidden class, as a long-running backend does. */
function fillLiteralTransitions(): object[] {
  const dictionaries: object[] = [];
  for (let i = 0; i < 3000; i++) {
    const dictionary: Record<string, number> = {};
    dictionary[`first-key-${i}-${Math.random()}`] = i;
    dictionaries.push(dictionary);
  }
  return dictionaries;
}

describe('compile', () => {
  const project = compile({
    kind: KEEP,
    metadata: { name: KEEP, labels: STRING_MAP },
    spec: { hosts: each(KEEP), route: each({ host: KEEP, weight: KEEP }) },
  });
  const object = (name: string) => ({
    kind: 'VirtualService',
    metadata: { name, labels: { app: name, team: 'a' }, uid: name },
    spec: { hosts: [name], route: [{ host: name, weight: 10, x: 1 }] },
  });

  it('builds plain objects', () => {
    const projected = project(object('a')) as Record<string, any>;
    expect(projected).toStrictEqual({
      kind: 'VirtualService',
      metadata: { name: 'a', labels: { app: 'a', team: 'a' } },
      spec: { hosts: ['a'], route: [{ host: 'a', weight: 10 }] },
    });
    expect(Object.getPrototypeOf(projected)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(projected.metadata.labels)).toBe(
      Object.prototype,
    );
    expect(projected.constructor).toBe(Object);
  });

  it('gives records of one shape, and string maps of the same keys, one hidden class even when the literal has none left to share', () => {
    const keep = fillLiteralTransitions();
    // Keys this process never saw before the literal's transitions were full.
    const unseen = (key: string) => `${key}-${keep.length}-${Math.random()}`;
    const [kind, metadata, labels, route, host] = [
      unseen('kind'),
      unseen('metadata'),
      unseen('label'),
      unseen('route'),
      unseen('host'),
    ];
    const projectUnseen = compile({
      [kind]: KEEP,
      [metadata]: { [labels]: STRING_MAP },
      [route]: each({ [host]: KEEP }),
    });
    const unseenObject = (name: string) => ({
      [kind]: 'VirtualService',
      [metadata]: { [labels]: { [labels]: name } },
      [route]: [{ [host]: name }],
    });
    const literal = () => {
      const o: Record<string, unknown> = {};
      o[kind] = 1;
      return o;
    };
    // What the shapes avoid: literals with a new first key no longer share.
    expect(haveSameMap(literal(), literal())).toBe(false);

    const [a, b] = [
      projectUnseen(unseenObject('a')),
      projectUnseen(unseenObject('b')),
    ] as Array<Record<string, any>>;
    expect(a).toStrictEqual(unseenObject('a'));
    expect(haveSameMap(a, b)).toBe(true);
    expect(haveSameMap(a[metadata], b[metadata])).toBe(true);
    expect(haveSameMap(a[metadata][labels], b[metadata][labels])).toBe(true);
    expect(haveSameMap(a[route][0], b[route][0])).toBe(true);
  });

  describe('shared parts', () => {
    const projectShared = compile({
      metadata: { name: KEEP },
      spec: {
        analysis: shared({ interval: KEEP, metrics: each({ name: KEEP }) }),
        resources: shared(KEEP),
      },
    });
    const canary = (name: string, interval: string, cpu = '100m') =>
      projectShared({
        metadata: { name },
        spec: {
          analysis: { interval, metrics: [{ name: 'ok', extra: name }] },
          resources: { requests: { cpu } },
        },
      }) as any;

    it('makes identical parts of different objects one frozen object, and different parts their own', () => {
      const [a, b, c] = [
        canary('a', '1m'),
        canary('b', '1m'),
        canary('c', '2m', '200m'),
      ];
      expect(b.spec.analysis).toBe(a.spec.analysis);
      expect(b.spec.resources).toBe(a.spec.resources);
      expect(c.spec.analysis).not.toBe(a.spec.analysis);
      expect(c.spec.resources).toEqual({ requests: { cpu: '200m' } });
      expect(a.spec.analysis).toStrictEqual({
        interval: '1m',
        metrics: [{ name: 'ok' }],
      });
      // The objects around the parts are their own, and open.
      expect(b).not.toBe(a);
      expect(Object.isFrozen(a)).toBe(false);
      expect(Object.isFrozen(a.spec.analysis.metrics[0])).toBe(true);
      expect(() => {
        a.spec.analysis.metrics.push({ name: 'more' });
      }).toThrow(TypeError);
    });

    it('remembers a bounded number of distinct values, the most recently seen', () => {
      const first = canary('a', 'first');
      for (let i = 0; i < MAX_SHARED_VALUES; i++) {
        canary('x', `distinct-${i}`);
        // Seen again and again: stays.
        expect(canary('b', 'first').spec.analysis).toBe(first.spec.analysis);
      }
      for (let i = 0; i <= MAX_SHARED_VALUES; i++) {
        canary('x', `other-${i}`);
      }
      const again = canary('c', 'first');
      expect(again.spec.analysis).toEqual(first.spec.analysis);
      expect(again.spec.analysis).not.toBe(first.spec.analysis);
    });
  });
});
