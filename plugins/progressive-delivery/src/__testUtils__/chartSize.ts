/**
 * jsdom lays nothing out, so recharts' ResponsiveContainer would measure 0 × 0 and draw no chart.
 * For the tests of a describe block, a ResizeObserver that reports every observed element at a
 * fixed size (a chart cell on a laptop screen), as the browser's does once laid out.
 */
export function mockChartSize(width = 480, height = 170): void {
  const global = globalThis as { ResizeObserver?: unknown };
  let original: unknown;
  class FixedSizeObserver {
    constructor(private readonly callback: ResizeObserverCallback) {}
    observe(target: Element) {
      this.callback(
        [{ target, contentRect: { width, height } } as ResizeObserverEntry],
        this as unknown as ResizeObserver,
      );
    }
    unobserve() {}
    disconnect() {}
  }
  beforeAll(() => {
    original = global.ResizeObserver;
    global.ResizeObserver = FixedSizeObserver;
  });
  afterAll(() => {
    global.ResizeObserver = original;
  });
}
