// deriveFluxReadiness and fluxSourceRefs against the upstream fixtures
// (src/__fixtures__/upstream, each file's header gives the expected reading asserted here).
import { loadUpstream, pick } from '../__testUtils__/fixtures';
import { deriveFluxReadiness } from './fluxReadiness';
import { fluxSourceRefs } from './fluxSource';

describe('deriveFluxReadiness on upstream fixtures', () => {
  it('reads Ready=False while Reconciling=True (ProgressingWithRetry) as failed, retrying', () => {
    const kustomization = pick(
      loadUpstream('flux-ready-false-while-reconciling.yaml'),
      'Kustomization',
    );
    expect(deriveFluxReadiness(kustomization)).toMatchObject({
      status: 'failed',
      ready: 'False',
      readyReason: 'ArtifactFailed',
      readyMessage:
        'kustomization path not found: stat /tmp/kustomization-1464362706/invalid: no such file or directory',
      reconciling: true,
      appliedRevision: 'master/67e2c98a60dc92283531412a9e604dd4bae005a9',
      attemptedRevision: 'master/67e2c98a60dc92283531412a9e604dd4bae005a9',
      revisionPending: false,
      stale: true,
      problems: [],
    });
  });

  it('reads a HelmRelease without history: a failed install of 6.5.3, nothing deployed', () => {
    const release = pick(
      loadUpstream('flux-helmrelease-no-history.yaml'),
      'HelmRelease',
    );
    const readiness = deriveFluxReadiness(release);
    expect(readiness).toMatchObject({
      status: 'failed',
      ready: 'False',
      readyReason: 'InstallFailed',
      reconciling: true,
      attemptedRevision: '6.5.3',
      revisionPending: true,
      stale: false,
      problems: [],
    });
    expect(readiness.appliedRevision).toBeUndefined();
    expect(readiness.readyMessage).toMatch(
      /^Helm install failed for release default\/podinfo with chart podinfo@6.5.3/,
    );
  });

  it('reads a static OCI HelmRepository (empty status by design) as ready', () => {
    const repository = pick(
      loadUpstream('flux-helmrepository-oci-static.yaml'),
      'HelmRepository',
    );
    expect(deriveFluxReadiness(repository)).toMatchObject({
      status: 'ready',
      stalled: false,
      problems: [],
    });
    const { status: _, ...noStatus } = repository;
    expect(deriveFluxReadiness(noStatus)).toMatchObject({
      status: 'ready',
      problems: [],
    });
  });

  describe('HelmChart, Bucket and ExternalArtifact', () => {
    const docs = loadUpstream('flux-helmchart-bucket-externalartifact.yaml');

    it.each([
      ['HelmChart', 'podinfo', 'ChartPullSucceeded', '5.2.1'],
      [
        'Bucket',
        'minio-bucket',
        'Succeeded',
        'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      ],
      [
        'ExternalArtifact',
        'my-artifact',
        'Succeeded',
        'v1.0.0@sha256:35d47c9db0eee6ffe08a404dfb416bee31b2b79eabc3f2eb26749163ce487f52',
      ],
    ])(
      'reads the %s %s as ready at its revision',
      (kind, name, reason, revision) => {
        expect(deriveFluxReadiness(pick(docs, kind, name))).toMatchObject({
          status: 'ready',
          readyReason: reason,
          appliedRevision: revision,
          originRevision: undefined,
          problems: [],
        });
      },
    );

    it('reads the HelmRelease with chartRef without status as unknown', () => {
      expect(deriveFluxReadiness(pick(docs, 'HelmRelease')).status).toBe(
        'unknown',
      );
    });

    it.each([
      [
        'HelmRelease',
        'podinfo',
        { kind: 'HelmChart', namespace: 'default', name: 'podinfo' },
      ],
      [
        'Kustomization',
        'minio-apps',
        { kind: 'Bucket', namespace: 'default', name: 'minio-bucket' },
      ],
      [
        'Kustomization',
        'external-apps',
        {
          kind: 'ExternalArtifact',
          namespace: 'flux-system',
          name: 'my-artifact',
        },
      ],
    ])('resolves the source of the %s %s', (kind, name, sourceRef) => {
      const refs = fluxSourceRefs(pick(docs, kind, name));
      expect(refs).toEqual({ sourceRef });
      // The reference names an object of the fixture.
      expect(() =>
        pick(docs, sourceRef.kind, sourceRef.name, sourceRef.namespace),
      ).not.toThrow();
    });
  });

  describe('the Git commit behind an OCI digest', () => {
    const docs = loadUpstream('flux-ocirepository-git-revision.yaml');

    it('reads the legacy tag/sha revision of an OCIRepository artifact', () => {
      expect(
        deriveFluxReadiness(pick(docs, 'OCIRepository', 'podinfo')),
      ).toMatchObject({
        appliedRevision:
          'latest@sha256:3b6cdcc7adcc9a84d3214ee1c029543789d90b5ae69debe9efa3f66e982875de',
        originRevision: '6.1.8/b3b00fe35424a45d373bf4c7214178bc36fd7872',
      });
    });

    it.each([
      ['OCIRepository', 'app-config'],
      ['Kustomization', 'app'],
    ])('reads branch@sha1 from the %s %s', (kind, name) => {
      expect(deriveFluxReadiness(pick(docs, kind, name))).toMatchObject({
        appliedRevision:
          '8d6a0b3@sha256:b7e5a3c1d9f2e4a6b8c0d2e4f6a8b0c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4',
        originRevision: 'main@sha1:8d6a0b3c9e1f2a4b5c6d7e8f9a0b1c2d3e4f5a6b',
      });
    });
  });
});

describe('fluxSourceRefs', () => {
  it("names a HelmRelease's chart source and the HelmChart Flux made from it", () => {
    const release = pick(
      loadUpstream('flux-helmrelease-no-history.yaml'),
      'HelmRelease',
    );
    expect(fluxSourceRefs(release)).toEqual({
      sourceRef: {
        kind: 'HelmRepository',
        namespace: 'default',
        name: 'podinfo',
      },
      chartRef: {
        kind: 'HelmChart',
        namespace: 'default',
        name: 'default-podinfo',
      },
    });
  });

  it("derives the HelmChart's name like helm-controller before the status reports it", () => {
    const release = pick(
      loadUpstream('flux-helmrelease-no-history.yaml'),
      'HelmRelease',
    );
    const fresh = {
      ...release,
      metadata: { name: 'web', namespace: 'apps' },
      status: undefined,
    };
    expect(fluxSourceRefs(fresh).chartRef).toEqual({
      kind: 'HelmChart',
      namespace: 'apps',
      name: 'apps-web',
    });
  });
});
