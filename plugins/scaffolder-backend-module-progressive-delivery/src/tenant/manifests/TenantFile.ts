import { JsonObject } from '@backstage/types';
import { GeneratedFile, GeneratedFileKind } from '../GeneratedFile';
import { TenantContext } from './TenantContext';

/** Where a file is being rendered: its directory and the files rendered before it. */
export interface TenantFileScope {
  dir: string;
  earlier: readonly GeneratedFile[];
}

/** One row of a tenant's file table: where the file goes, what it holds and what renders it. */
export interface TenantFile {
  /** The tenant's directory, or its `apps/` directory that Flux applies. */
  dir: 'tenant' | 'apps';
  /** The file's name, or a function giving none when the tenant does not get the file. */
  name: string | ((tenant: TenantContext) => string | undefined);
  kind: GeneratedFileKind;
  render(tenant: TenantContext, scope: TenantFileScope): JsonObject[];
}
