import crypto from 'node:crypto';

// Content digests, as Flux prints them in revisions, artifacts and histories.

export function sha1Hex(seed: string): string {
  return crypto.createHash('sha1').update(seed).digest('hex');
}

export function sha256Hex(seed: string): string {
  return crypto.createHash('sha256').update(seed).digest('hex');
}
