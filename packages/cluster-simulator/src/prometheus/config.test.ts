import { parse } from 'yaml';
import { SCRAPE_JOB, prometheusConfig } from './config';

describe('prometheusConfig', () => {
  it('scrapes exactly one cluster over HTTPS with its CA', () => {
    const config = parse(
      prometheusConfig({
        url: 'https://127.0.0.1:6443',
        cluster: 'prod-eu-1',
        caFile: '/repo/.cluster-simulator/ca.crt',
        scrapeInterval: '5s',
      }),
    );
    expect(config).toEqual({
      global: { scrape_interval: '5s', evaluation_interval: '5s' },
      scrape_configs: [
        {
          job_name: SCRAPE_JOB,
          scheme: 'https',
          metrics_path: '/metrics',
          scrape_interval: '5s',
          scrape_timeout: '5s',
          tls_config: { ca_file: '/repo/.cluster-simulator/ca.crt' },
          static_configs: [
            { targets: ['127.0.0.1:6443'], labels: { cluster: 'prod-eu-1' } },
          ],
        },
      ],
    });
  });

  it('scrapes plain HTTP without TLS settings, every 15 s by default', () => {
    const config = parse(prometheusConfig({ url: 'http://127.0.0.1:41234/' }));
    expect(config.global.scrape_interval).toBe('15s');
    const [job] = config.scrape_configs;
    expect(job.scheme).toBe('http');
    expect(job.metrics_path).toBe('/metrics');
    expect(job.tls_config).toBeUndefined();
    expect(job.static_configs).toEqual([{ targets: ['127.0.0.1:41234'] }]);
  });

  it('refuses what Prometheus would refuse later', () => {
    expect(() =>
      prometheusConfig({ url: 'http://127.0.0.1:1', scrapeInterval: '5' }),
    ).toThrow(/not a duration/);
    expect(() => prometheusConfig({ url: 'ftp://127.0.0.1:1' })).toThrow(
      /not an http/,
    );
  });
});
