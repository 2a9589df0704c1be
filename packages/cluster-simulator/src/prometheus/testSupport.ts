import { findPrometheus } from './PrometheusServer';

/**
 * The Prometheus binary for tests that need a real Prometheus, or
 * `undefined` (after saying so on stderr) when there is none and the tests
 * should be skipped. With `PD_REQUIRE_PROMETHEUS=true` (set by `.ci/run`) a
 * missing binary throws instead, so CI fails rather than skip.
 */
export function prometheusBinaryForTests(
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const binary = findPrometheus(env);
  if (binary) return binary;
  const message = `no Prometheus server binary (${
    env.PROMETHEUS_PATH
      ? `PROMETHEUS_PATH=${env.PROMETHEUS_PATH} is not executable`
      : '/usr/bin/prometheus is missing and none is on PATH'
  }): install Debian's "prometheus" package (scripts/pd.sh test does when run as root) or set PROMETHEUS_PATH`;
  if (env.PD_REQUIRE_PROMETHEUS === 'true') {
    throw new Error(`PD_REQUIRE_PROMETHEUS=true but ${message}`);
  }
  process.stderr.write(
    `Skipping the tests against a real Prometheus: ${message}\n`,
  );
  return undefined;
}
