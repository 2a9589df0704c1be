import { findPrometheus } from './PrometheusServer';
import { prometheusBinaryForTests } from './testSupport';

describe('finding the Prometheus binary', () => {
  it('uses PROMETHEUS_PATH when set, and only it', () => {
    expect(
      findPrometheus({ PROMETHEUS_PATH: '/nonexistent/prometheus' }),
    ).toBeUndefined();
    expect(findPrometheus({ PROMETHEUS_PATH: process.execPath })).toBe(
      process.execPath,
    );
  });

  it('skips with a message, or fails when PD_REQUIRE_PROMETHEUS=true', () => {
    const write = jest
      .spyOn(process.stderr, 'write')
      .mockImplementation(() => true);
    const env = { PROMETHEUS_PATH: '/nonexistent/prometheus' };
    expect(prometheusBinaryForTests(env)).toBeUndefined();
    expect(String(write.mock.calls[0][0])).toMatch(
      /Skipping .* PROMETHEUS_PATH=\/nonexistent\/prometheus is not executable.*apt|Skipping .*"prometheus" package/,
    );
    write.mockRestore();
    expect(() =>
      prometheusBinaryForTests({ ...env, PD_REQUIRE_PROMETHEUS: 'true' }),
    ).toThrow(/PD_REQUIRE_PROMETHEUS=true but no Prometheus server binary/);
  });
});
