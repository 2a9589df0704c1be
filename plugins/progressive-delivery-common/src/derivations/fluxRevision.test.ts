// Revisions as the upstream fixtures carry them (src/__fixtures__/upstream).
import { loadUpstream, pick } from '../__testUtils__/fixtures';
import { deriveFluxReadiness } from './fluxReadiness';
import { parseFluxRevision } from './fluxRevision';

const revisionOf = (file: string, kind: string, name: string) =>
  deriveFluxReadiness(pick(loadUpstream(file), kind, name));

describe('parseFluxRevision', () => {
  it('reads the Git commit behind an OCI artifact, in both formats', () => {
    const file = 'flux-ocirepository-git-revision.yaml';
    const legacy = revisionOf(file, 'OCIRepository', 'podinfo');
    expect(parseFluxRevision(legacy.originRevision!)).toEqual({
      ref: '6.1.8',
      algorithm: 'sha1',
      hash: 'b3b00fe35424a45d373bf4c7214178bc36fd7872',
    });
    const current = revisionOf(file, 'Kustomization', 'app');
    expect(parseFluxRevision(current.originRevision!)).toEqual({
      ref: 'main',
      algorithm: 'sha1',
      hash: '8d6a0b3c9e1f2a4b5c6d7e8f9a0b1c2d3e4f5a6b',
    });
    expect(parseFluxRevision(current.appliedRevision!)).toEqual({
      ref: '8d6a0b3',
      algorithm: 'sha256',
      hash: 'b7e5a3c1d9f2e4a6b8c0d2e4f6a8b0c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4',
    });
  });

  it('reads a content digest, a tag with digest and a chart version', () => {
    const file = 'flux-helmchart-bucket-externalartifact.yaml';
    const bucket = revisionOf(file, 'Bucket', 'minio-bucket');
    expect(parseFluxRevision(bucket.appliedRevision!)).toEqual({
      algorithm: 'sha256',
      hash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    });
    const artifact = revisionOf(file, 'ExternalArtifact', 'my-artifact');
    expect(parseFluxRevision(artifact.appliedRevision!).ref).toBe('v1.0.0');
    const chart = revisionOf(file, 'HelmChart', 'podinfo');
    expect(parseFluxRevision(chart.appliedRevision!)).toEqual({
      ref: '5.2.1',
    });
  });
});
