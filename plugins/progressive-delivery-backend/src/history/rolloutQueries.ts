import { Knex } from 'knex';

/** A canary in one cluster. */
export interface CanaryKey {
  cluster: string;
  namespace: string;
  canary: string;
}

/** The rollouts of an entity: recorded for it, or of the canaries it owns now. */
export function ofEntity(entityRef: string, canaries: CanaryKey[]) {
  return (builder: Knex.QueryBuilder) => {
    builder.where('entity_ref', entityRef);
    for (const c of canaries) {
      builder.orWhere(inner =>
        inner.where({
          cluster: c.cluster,
          namespace: c.namespace,
          canary: c.canary,
        }),
      );
    }
  };
}

/** A cursor over (started_at, id), newest first. */
export function encodeCursor(startedAt: number, id: number): string {
  return Buffer.from(JSON.stringify([startedAt, id])).toString('base64url');
}

export function decodeCursor(cursor: string): [number, number] | undefined {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      value.every(n => Number.isSafeInteger(n))
    ) {
      return [value[0], value[1]];
    }
  } catch {
    // fall through
  }
  return undefined;
}
