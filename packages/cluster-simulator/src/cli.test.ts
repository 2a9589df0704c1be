import path from 'node:path';
import { parseCli } from './cli';

describe('parseCli', () => {
  it('runs no Prometheus unless asked to', () => {
    expect(parseCli(['--scenario', 'demo']).prometheus).toBeUndefined();
  });

  it('puts each Prometheus beside the kubeconfig unless told otherwise', () => {
    const options = parseCli([
      '--kubeconfig',
      '/tmp/sim/kubeconfig',
      '--prometheus-port',
      '9090',
    ]);
    expect(options.prometheus).toEqual({
      firstPort: 9090,
      dir: path.resolve('/tmp/sim/prometheus'),
      scrapeInterval: '15s',
    });
    expect(
      parseCli([
        '--prometheus-port',
        '19090',
        '--prometheus-dir',
        '/tmp/p',
        '--scrape-interval',
        '5s',
      ]).prometheus,
    ).toEqual({ firstPort: 19090, dir: '/tmp/p', scrapeInterval: '5s' });
  });
});
