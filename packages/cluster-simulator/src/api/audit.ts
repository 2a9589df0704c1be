import { AuthMethod } from './identity';

/** Who made one write request (POST, PUT, PATCH, DELETE, subresources included). */
export interface WriteRecord {
  /** The authenticated user name (a static token's `user`, an OIDC user with its prefix). */
  user: string;
  groups: string[];
  /** The sign-in method that accepted the request. */
  method: AuthMethod;
  /** RBAC verb: create, update, patch, delete, deletecollection. */
  verb: string;
  /** API group, `''` for the core group. */
  group: string;
  /** Plural resource name (`canaries`). */
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** Simulated time of the request (ms), the clock objects' timestamps use. */
  time: number;
  /** Response status; absent until the response has been sent. 403 for a refused write. */
  code?: number;
  userAgent?: string;
}

/** What `writes()` can filter on; every given field must match. */
export type WriteFilter = Partial<
  Pick<
    WriteRecord,
    | 'user'
    | 'verb'
    | 'group'
    | 'resource'
    | 'subresource'
    | 'namespace'
    | 'name'
    | 'method'
  >
>;

/** Oldest records are dropped beyond this many, so long demo runs stay bounded. */
const MAX_RECORDS = 10_000;

/**
 * The cluster's audit trail of write requests, like the API server's audit
 * log at the Metadata level. Writes made directly through `objects` or by
 * the simulated controllers are not requests and are not recorded.
 */
export class AuditLog {
  private records: WriteRecord[] = [];

  /** Records a write and returns the record (its `code` is set when the response is sent). */
  recordWrite(record: WriteRecord): WriteRecord {
    this.records.push(record);
    if (this.records.length > MAX_RECORDS) {
      this.records = this.records.slice(-MAX_RECORDS);
    }
    return record;
  }

  /** Write requests in arrival order (copies), optionally filtered. */
  writes(filter: WriteFilter = {}): WriteRecord[] {
    const entries = Object.entries(filter).filter(([, v]) => v !== undefined);
    return this.records
      .filter(r => entries.every(([k, v]) => r[k as keyof WriteRecord] === v))
      .map(r => ({ ...r, groups: [...r.groups] }));
  }

  clear(): void {
    this.records = [];
  }
}
