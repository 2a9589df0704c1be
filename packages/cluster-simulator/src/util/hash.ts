// Hashes Kubernetes and Flagger derive from pod templates (k8s.io/apimachinery's fnv32a and
// rand.SafeEncodeString), shared by the workload and Flagger controllers.

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-1a, 32 bit. */
export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * The spec hash Flagger stores in lastAppliedSpec/lastPromotedSpec:
 * fnv32a of the pod template, its decimal form mapped through
 * apimachinery's rand.SafeEncodeString alphabet.
 */
export function computeSpecHash(template: unknown): string {
  const decimal = String(fnv32a(JSON.stringify(template)));
  let out = '';
  for (const ch of decimal)
    out += ALPHANUMS[ch.charCodeAt(0) % ALPHANUMS.length];
  return out;
}
