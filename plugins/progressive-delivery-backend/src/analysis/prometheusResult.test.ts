import {
  parseGoFloat,
  prometheusError,
  readInstantResult,
  readRangeResult,
} from './prometheusResult';

/*
 * Prometheus answers as its HTTP API writes them (prometheus/prometheus web/api/v1/api.go:
 * `{"status":"success","data":{"resultType":...,"result":...}}`, samples `[<unix seconds>,
 * "<value>"]`, errors `{"status":"error","errorType":...,"error":...}`), read as Flagger's
 * PrometheusProvider.RunQuery reads them (fluxcd/flagger v1.44.0, 15bd6ad5,
 * pkg/metrics/providers/prometheus.go; its own test, prometheus_test.go, uses the same shapes).
 */
const vector = (...values: string[]) =>
  JSON.stringify({
    status: 'success',
    data: {
      resultType: 'vector',
      result: values.map((v, i) => ({
        metric: { destination_workload: `w${i}` },
        value: [1700000000.123, v],
      })),
    },
  });

describe('readInstantResult (Flagger RunQuery)', () => {
  it('reads a one-sample vector', () => {
    expect(readInstantResult(vector('99.87654'))).toEqual({ value: 99.87654 });
  });

  it('takes the last sample of a vector, as Flagger loops over them', () => {
    expect(readInstantResult(vector('1', '2', '3'))).toEqual({ value: 3 });
  });

  it('is "no values found" for an empty vector', () => {
    expect(readInstantResult(vector())).toEqual({
      problem: 'no-values',
      detail: expect.stringMatching(/^no values found/),
    });
  });

  it('is "no values found" for NaN (0/0 when a workload gets no requests)', () => {
    expect(readInstantResult(vector('NaN'))).toEqual({
      problem: 'no-values',
      detail: expect.stringContaining('NaN'),
    });
    // The last sample decides: an earlier value does not save a final NaN.
    expect(readInstantResult(vector('98', 'NaN'))).toMatchObject({
      problem: 'no-values',
    });
  });

  it('reads +Inf and -Inf as values, as strconv.ParseFloat does', () => {
    expect(readInstantResult(vector('+Inf'))).toEqual({ value: Infinity });
    expect(readInstantResult(vector('-Inf'))).toEqual({ value: -Infinity });
  });

  it('fails a scalar result: its entries are not records, so Go cannot unmarshal them', () => {
    const scalar = JSON.stringify({
      status: 'success',
      data: { resultType: 'scalar', result: [1700000000.1, '1'] },
    });
    expect(readInstantResult(scalar)).toEqual({
      problem: 'query',
      detail: expect.stringMatching(
        /error unmarshaling result: the query returns a scalar/,
      ),
    });
  });

  it('fails a range vector with "query returned multiple values"', () => {
    const matrix = JSON.stringify({
      status: 'success',
      data: {
        resultType: 'matrix',
        result: [{ metric: {}, values: [[1700000000, '1']] }],
      },
    });
    expect(readInstantResult(matrix)).toMatchObject({
      problem: 'query',
      detail: expect.stringMatching(/^query returned multiple values/),
    });
  });

  it('fails a value strconv.ParseFloat refuses, and skips a value that is not a string', () => {
    expect(readInstantResult(vector('12,5'))).toEqual({
      problem: 'query',
      detail: 'strconv.ParseFloat: parsing "12,5": invalid syntax',
    });
    const numeric = JSON.stringify({
      data: { result: [{ value: [1, 42] }] },
    });
    expect(readInstantResult(numeric)).toMatchObject({ problem: 'no-values' });
  });

  it('fails an answer that is not JSON', () => {
    expect(readInstantResult('<html>proxy error</html>')).toMatchObject({
      problem: 'query',
      detail: expect.stringContaining('not JSON'),
    });
  });
});

describe('prometheusError', () => {
  it("reads Prometheus' error text", () => {
    const body = JSON.stringify({
      status: 'error',
      errorType: 'bad_data',
      error:
        'invalid parameter "query": 1:6: parse error: unexpected right parenthesis \')\'',
    });
    expect(prometheusError(body)).toEqual({
      errorType: 'bad_data',
      error:
        'invalid parameter "query": 1:6: parse error: unexpected right parenthesis \')\'',
    });
    expect(prometheusError(vector('1'))).toBeUndefined();
    expect(prometheusError('503 Service Unavailable')).toBeUndefined();
  });
});

describe('parseGoFloat', () => {
  it.each([
    ['1', 1],
    ['-0.5', -0.5],
    ['1e3', 1000],
    ['.5', 0.5],
    ['+Inf', Infinity],
    ['-Inf', -Infinity],
    ['inf', Infinity],
  ])('parses %s', (text, value) => {
    expect(parseGoFloat(text)).toBe(value);
  });

  it.each(['', ' 1', '1 ', 'abc', '1,5', '--1'])('refuses "%s"', text => {
    expect(parseGoFloat(text)).toBeUndefined();
  });

  it('parses NaN', () => {
    expect(parseGoFloat('NaN')).toBeNaN();
  });
});

describe('readRangeResult (backfill)', () => {
  const matrix = (series: Array<Array<[number, string]>>) =>
    JSON.stringify({
      status: 'success',
      data: {
        resultType: 'matrix',
        result: series.map((values, i) => ({ metric: { i: `${i}` }, values })),
      },
    });

  it('reads each requested time as the instant query at that time would', () => {
    const readings = readRangeResult(
      matrix([
        [
          [1700000000, '99.1'],
          [1700000030, 'NaN'],
        ],
      ]),
      [1700000000, 1700000030, 1700000060],
    );
    expect(readings).toEqual(
      new Map<number, unknown>([
        [1700000000, { value: 99.1 }],
        [1700000030, { problem: 'no-values', detail: expect.any(String) }],
        [1700000060, { problem: 'no-values', detail: expect.any(String) }],
      ]),
    );
  });

  it('takes the last series with a sample at a time', () => {
    const readings = readRangeResult(
      matrix([[[1700000000.5, '1']], [[1700000000.5, '2']]]),
      [1700000000.5],
    ) as Map<number, unknown>;
    expect(readings.get(1700000000.5)).toEqual({ value: 2 });
  });
});
