import { latin1, MarkerScanner } from './markerScanner';

const frame = (json: string) => `event: state\ndata: ${json}\n\n`;

describe('MarkerScanner', () => {
  it('finds an expected marker once, and only markers it was told to expect', () => {
    const scanner = new MarkerScanner();
    scanner.expect('2031-01-01T00:00:05Z');
    expect(
      scanner.feed(frame('{"lastTransitionTime":"2031-01-01T00:00:04Z"}')),
    ).toEqual([]);
    expect(scanner.waiting).toBe(1);
    expect(
      scanner.feed(frame('{"lastTransitionTime":"2031-01-01T00:00:05Z"}')),
    ).toEqual(['2031-01-01T00:00:05Z']);
    expect(scanner.waiting).toBe(0);
    // Later states keep the value; it was delivered already.
    expect(
      scanner.feed(frame('{"lastTransitionTime":"2031-01-01T00:00:05Z"}')),
    ).toEqual([]);
    expect(scanner.stateFrames).toBe(3);
  });

  it('finds a marker and an event line split across chunks, counting each once', () => {
    const scanner = new MarkerScanner();
    scanner.expect('2031-01-01T00:01:00Z');
    const text = `: heartbeat\n\n${frame(
      '{"a":"2031-01-01T00:01:00Z"}',
    )}${frame('{}')}`;
    const found: string[] = [];
    // Every chunk size, so every split point of the marker and of "event: state" is tried.
    for (let size = 1; size <= text.length; size++) {
      const s = new MarkerScanner();
      s.expect('2031-01-01T00:01:00Z');
      const seen: string[] = [];
      for (let i = 0; i < text.length; i += size) {
        seen.push(...s.feed(text.slice(i, i + size)));
      }
      expect([size, seen, s.stateFrames]).toEqual([
        size,
        ['2031-01-01T00:01:00Z'],
        2,
      ]);
      found.push(...seen);
    }
    expect(found).toHaveLength(text.length);
    expect(scanner.feed('')).toEqual([]);
  });

  it('finds several markers in one chunk', () => {
    const scanner = new MarkerScanner();
    scanner.expect('m-1');
    scanner.expect('m-2');
    scanner.expect('m-3');
    expect(scanner.feed(frame('["m-2","m-1"]')).sort()).toEqual(['m-1', 'm-2']);
    expect(scanner.waiting).toBe(1);
  });

  it('refuses markers longer than what it keeps between chunks', () => {
    expect(() => new MarkerScanner().expect('x'.repeat(64))).toThrow(
      'is too long (64 characters, at most 63)',
    );
  });
});

describe('latin1', () => {
  it('keeps ASCII and maps other bytes to single characters', () => {
    const bytes = new TextEncoder().encode('ab "2031" é');
    expect(latin1(bytes.subarray(3, 9))).toBe('"2031"');
    expect(latin1(bytes)).toHaveLength(bytes.byteLength);
  });
});
