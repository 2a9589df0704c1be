/**
 * A Flux revision split into its named pointer and hash (fluxcd RFC-0005:
 * `<branch|tag|version>@<algorithm>:<hash>`, a bare `<algorithm>:<hash>`, or the legacy
 * `<branch|tag>/<sha1>` that older `flux push artifact` calls still write). A revision without
 * a hash (a chart version) is all `ref`.
 *
 * @public
 */
export interface FluxRevisionParts {
  ref?: string;
  /** `sha1` for a Git commit, `sha256` for an OCI or content digest. */
  algorithm?: string;
  hash?: string;
}

const DIGEST = /^(?:(.+)@)?(sha1|sha256|sha384|sha512|blake3):([0-9a-f]+)$/;
const LEGACY_COMMIT = /^(.+)\/([0-9a-f]{40})$/;

/**
 * Splits a Flux revision, e.g. `main@sha1:8d6a0b3…` (a Git commit on main) or
 * `latest@sha256:3b6c…` (an OCI digest); see {@link FluxRevisionParts}.
 *
 * @public
 */
export function parseFluxRevision(revision: string): FluxRevisionParts {
  const digest = DIGEST.exec(revision);
  if (digest) {
    return {
      ...(digest[1] ? { ref: digest[1] } : {}),
      algorithm: digest[2],
      hash: digest[3],
    };
  }
  const legacy = LEGACY_COMMIT.exec(revision);
  if (legacy) {
    return { ref: legacy[1], algorithm: 'sha1', hash: legacy[2] };
  }
  return { ref: revision };
}
