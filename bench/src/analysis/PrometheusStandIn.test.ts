import { parseStep, PrometheusStandIn } from './PrometheusStandIn';

describe('PrometheusStandIn', () => {
  let standIn: PrometheusStandIn;
  beforeAll(async () => {
    standIn = await PrometheusStandIn.start(99.5);
  });
  afterAll(() => standIn.stop());

  it('answers instant queries (GET and form POST) with a vector and counts them', async () => {
    standIn.reset();
    const get = await fetch(
      `${standIn.url}/api/v1/query?query=up&time=1700000000`,
    );
    expect(await get.json()).toEqual({
      status: 'success',
      data: {
        resultType: 'vector',
        result: [{ metric: {}, value: [1700000000, '99.5'] }],
      },
    });
    const post = await fetch(`${standIn.url}/api/v1/query`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'query=up',
    });
    expect(post.status).toBe(200);
    expect(standIn.read()).toEqual({ instant: 2, range: 0, other: 0 });
  });

  it('answers range queries with one value per step', async () => {
    standIn.reset();
    const res = await fetch(
      `${standIn.url}/api/v1/query_range?query=up&start=100&end=220&step=1m`,
    );
    const body = await res.json();
    expect(body.data.resultType).toBe('matrix');
    expect(body.data.result[0].values).toEqual([
      [100, '99.5'],
      [160, '99.5'],
      [220, '99.5'],
    ]);
    expect(standIn.read().range).toBe(1);
  });

  it('refuses a query without one, as Prometheus does', async () => {
    const res = await fetch(`${standIn.url}/api/v1/query`);
    expect(res.status).toBe(400);
    expect((await res.json()).errorType).toBe('bad_data');
  });

  it('parses steps as Prometheus does', () => {
    expect(parseStep('15')).toBe(15);
    expect(parseStep('30s')).toBe(30);
    expect(parseStep('1m')).toBe(60);
    expect(parseStep('x')).toBeNaN();
  });
});
