import { markerTime, splitSseFrames } from './propagation';

describe('splitSseFrames', () => {
  it('keeps an incomplete frame for the next chunk', () => {
    expect(
      splitSseFrames('event: state\ndata: {"a":1}\n\n: heartbeat\n\nevent: st'),
    ).toEqual({
      frames: ['event: state\ndata: {"a":1}', ': heartbeat'],
      rest: 'event: st',
    });
    expect(splitSseFrames('')).toEqual({ frames: [], rest: '' });
  });
});

describe('markerTime', () => {
  it('is a distinct Kubernetes-style timestamp per sample', () => {
    expect(markerTime(0)).toBe('2030-01-01T00:00:00Z');
    expect(markerTime(61)).toBe('2030-01-01T00:01:01Z');
  });
});
