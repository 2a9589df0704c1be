// Kubernetes resource quantities (k8s.io/apimachinery pkg/api/resource: `<number><suffix>`,
// suffix binary Ki..Ei, decimal n u m "" k M G T P E, or an exponent e<n> / E<n>), so that
// `1000m` and `1` compare equal, as the API server treats them.

const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))([a-zA-Z]*|[eE][+-]?\d+)$/;

/** The value of a quantity, or undefined when it is not one. */
export function parseQuantity(quantity: string): number | undefined {
  const match = QUANTITY.exec(quantity.trim());
  if (!match) {
    return undefined;
  }
  const number = Number(match[1]);
  const suffix = match[2];
  const scale =
    BINARY[suffix] ??
    DECIMAL[suffix] ??
    (/^[eE]/.test(suffix) ? 10 ** Number(suffix.slice(1)) : undefined);
  return scale === undefined ? undefined : number * scale;
}

/** A quantity as written (YAML may give a number: `cpu: 1`). */
export function quantityText(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value;
  }
  return typeof value === 'number' && Number.isFinite(value)
    ? String(value)
    : undefined;
}

/** Whether two quantities are equal by value; unreadable ones compare as text. */
export function sameQuantity(a: string, b: string): boolean {
  const x = parseQuantity(a);
  const y = parseQuantity(b);
  if (x === undefined || y === undefined) {
    return a === b;
  }
  return (
    x === y || Math.abs(x - y) <= Math.max(Math.abs(x), Math.abs(y)) * 1e-12
  );
}
