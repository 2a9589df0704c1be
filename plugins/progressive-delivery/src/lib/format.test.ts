import {
  formatDuration,
  formatThresholdRange,
  shortImage,
  shortRevision,
} from './format';

describe('format', () => {
  it.each([
    [0, '0 s'],
    [45_000, '45 s'],
    [180_000, '3 min'],
    [150_000, '3 min'],
    [4_800_000, '1 h 20 min'],
    [7_200_000, '2 h'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('shortens Flux revisions and leaves other strings alone', () => {
    expect(
      shortRevision('main@sha1:4f2e9c1a7b3d5e6f8091a2b3c4d5e6f708192a3b'),
    ).toBe('main@4f2e9c1');
    expect(shortRevision('sha256:ec8dbfe61777b650')).toBe('ec8dbfe');
    expect(shortRevision('6.7.1')).toBe('6.7.1');
    // The legacy `<ref>/<commit>` form flux push artifact still writes as the OCI source revision.
    expect(
      shortRevision('6.1.8/b3b00fe35424a45d373bf4c7214178bc36fd7872'),
    ).toBe('6.1.8@b3b00fe');
  });

  it('shortens image references to name and tag', () => {
    expect(shortImage('ghcr.io/stefanprodan/podinfo:6.7.1')).toBe(
      'podinfo:6.7.1',
    );
    expect(shortImage('nginx@sha256:abc')).toBe('nginx');
  });

  it('writes threshold ranges', () => {
    expect(formatThresholdRange({ min: 99 })).toBe('≥ 99');
    expect(formatThresholdRange({ max: 500 })).toBe('≤ 500');
    expect(formatThresholdRange({ min: 1, max: 2 })).toBe('1 – 2');
    expect(formatThresholdRange(undefined)).toBe('—');
  });
});
