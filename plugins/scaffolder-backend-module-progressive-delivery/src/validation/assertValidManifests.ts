import { InputError } from '@backstage/errors';
import { GeneratedFile } from '../tenant/GeneratedFile';
import { formatProblem, ManifestValidator } from './ManifestValidator';

/**
 * Throws an InputError naming every problem, `path: Kind ns/name: field: message`, of the
 * Kubernetes objects among the files; the other files are not applied to a cluster.
 */
export function assertValidManifests(
  validator: ManifestValidator,
  files: GeneratedFile[],
): void {
  const problems = files
    .filter(f => f.kind === 'kubernetes')
    .flatMap(f =>
      f.documents.flatMap(doc =>
        validator.validate(doc).map(p => `${f.path}: ${formatProblem(p)}`),
      ),
    );
  if (problems.length > 0) {
    throw new InputError(
      `The generated manifests would be rejected by the cluster:\n${problems.join(
        '\n',
      )}`,
    );
  }
}
