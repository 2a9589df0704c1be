/*
 * Reads Prometheus' answers the way Flagger's Prometheus provider does: fluxcd/flagger v1.44.0
 * (15bd6ad555e6c935da55f0ab95977be74c149bd6), pkg/metrics/providers/prometheus.go RunQuery:
 * - an HTTP status of 400 or more is an error carrying the body;
 * - the body is unmarshalled into `data.result[]` of `{ value, values }` records, so a scalar
 *   or string result (whose entries are not records) fails to unmarshal;
 * - an entry with `values` (a range vector) is "query returned multiple values";
 * - of the entries, the LAST whose `value[1]` is a string is taken (strconv.ParseFloat; a
 *   string it cannot parse is an error; a value of another JSON type is skipped);
 * - no value, or NaN, is "no values found" (pkg/metrics/providers/errors.go ErrNoValuesFound),
 *   which Flagger reports as "Halt advancement no values found ..." and counts as a failed check.
 */

/** What a query measured, or why it has no value. */
export type QueryReading =
  | { value: number }
  | {
      problem: 'query' | 'no-values';
      /** Flagger's words for it, then the details. */
      detail: string;
    };

/** Prometheus' JSON error body (`{"status":"error","errorType":..., "error":...}`). */
export function prometheusError(
  body: string,
): { errorType?: string; error: string } | undefined {
  try {
    const parsed = JSON.parse(body);
    if (parsed?.status === 'error' && typeof parsed.error === 'string') {
      return {
        errorType:
          typeof parsed.errorType === 'string' ? parsed.errorType : undefined,
        error: parsed.error,
      };
    }
  } catch {
    // not Prometheus JSON
  }
  return undefined;
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const INFINITY = /^([+-]?)(inf|infinity)$/i;

/**
 * Go's strconv.ParseFloat for what Prometheus writes (decimals, `NaN`, `+Inf`, `-Inf`);
 * undefined for anything else (Flagger: a parse error).
 */
export function parseGoFloat(text: string): number | undefined {
  if (DECIMAL.test(text)) {
    return Number(text);
  }
  const infinity = INFINITY.exec(text);
  if (infinity) {
    return infinity[1] === '-' ? -Infinity : Infinity;
  }
  return /^nan$/i.test(text) ? NaN : undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const NO_VALUES: QueryReading = {
  problem: 'no-values',
  detail: 'no values found (the query returned no sample)',
};

/** The `data.result` of a successful answer, or why it cannot be read. */
function resultOf(body: string): unknown[] | QueryReading {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return {
      problem: 'query',
      detail: `error unmarshaling result: the answer is not JSON: ${body.slice(
        0,
        200,
      )}`,
    };
  }
  const data = isRecord(parsed) ? parsed.data : undefined;
  const result = isRecord(data) ? data.result : undefined;
  if (result === undefined || result === null) {
    return [];
  }
  if (!Array.isArray(result)) {
    return {
      problem: 'query',
      detail: 'error unmarshaling result: data.result is not a list',
    };
  }
  if (!result.every(entry => isRecord(entry) || entry === null)) {
    const type = isRecord(data) ? data.resultType : undefined;
    return {
      problem: 'query',
      detail: `error unmarshaling result: the query returns a ${
        typeof type === 'string' ? type : 'non-vector'
      }, and Flagger reads only instant vectors (wrap it, e.g. vector(...))`,
    };
  }
  return result;
}

/**
 * The value Flagger takes from a successful (HTTP < 400) answer of `/api/v1/query`.
 */
export function readInstantResult(body: string): QueryReading {
  const result = resultOf(body);
  if (!Array.isArray(result)) {
    return result;
  }
  let value: number | undefined;
  for (const entry of result as Array<Record<string, unknown> | null>) {
    if (entry?.values !== undefined && entry.values !== null) {
      return {
        problem: 'query',
        detail:
          'query returned multiple values (a range vector): Flagger needs an instant vector',
      };
    }
    const sample = entry?.value;
    if (!Array.isArray(sample) || sample.length < 2) {
      return { problem: 'query', detail: 'a result has no value' };
    }
    if (typeof sample[1] === 'string') {
      const parsed = parseGoFloat(sample[1]);
      if (parsed === undefined) {
        return {
          problem: 'query',
          detail: `strconv.ParseFloat: parsing "${sample[1]}": invalid syntax`,
        };
      }
      value = parsed;
    }
  }
  if (value === undefined) {
    return NO_VALUES;
  }
  if (Number.isNaN(value)) {
    return {
      problem: 'no-values',
      detail: 'no values found (the query returned NaN)',
    };
  }
  return { value };
}

/**
 * A successful answer of `/api/v1/query_range`, read per evaluation time as Flagger would have
 * read the instant query at that time: of the series with a sample at that time, the last one's
 * value (a range answer lists series sorted by labels, an instant answer in evaluation order: the
 * two agree whenever the query returns one series, as a check's query should). Times are Unix
 * seconds, as Prometheus writes them. Returns a reading per requested time.
 */
export function readRangeResult(
  body: string,
  times: number[],
): Map<number, QueryReading> | QueryReading {
  const result = resultOf(body);
  if (!Array.isArray(result)) {
    return result;
  }
  const values = new Map<number, number>();
  for (const entry of result as Array<Record<string, unknown> | null>) {
    const samples = entry?.values;
    if (!Array.isArray(samples)) {
      return {
        problem: 'query',
        detail: 'error unmarshaling result: a range answer without values',
      };
    }
    for (const sample of samples) {
      if (
        Array.isArray(sample) &&
        typeof sample[0] === 'number' &&
        typeof sample[1] === 'string'
      ) {
        const parsed = parseGoFloat(sample[1]);
        if (parsed !== undefined) {
          values.set(Math.round(sample[0] * 1000), parsed);
        }
      }
    }
  }
  const readings = new Map<number, QueryReading>();
  for (const time of times) {
    const value = values.get(Math.round(time * 1000));
    if (value === undefined) {
      readings.set(time, NO_VALUES);
    } else if (Number.isNaN(value)) {
      readings.set(time, {
        problem: 'no-values',
        detail: 'no values found (the query returned NaN)',
      });
    } else {
      readings.set(time, { value });
    }
  }
  return readings;
}
