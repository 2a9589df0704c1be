/** The limits a tenant's ResourceQuota sets. */
export interface QuotaValues {
  cpu: number;
  memoryGi: number;
  pods: number;
  persistentVolumeClaims: number;
  services: number;
}

/** Named tiers; `standard` is the platform default (4 CPU, 8Gi, 20 pods, 5 PVCs, 10 services). */
export const QUOTA_TIERS: Record<'small' | 'standard' | 'large', QuotaValues> =
  {
    small: {
      cpu: 2,
      memoryGi: 4,
      pods: 10,
      persistentVolumeClaims: 2,
      services: 5,
    },
    standard: {
      cpu: 4,
      memoryGi: 8,
      pods: 20,
      persistentVolumeClaims: 5,
      services: 10,
    },
    large: {
      cpu: 16,
      memoryGi: 32,
      pods: 60,
      persistentVolumeClaims: 20,
      services: 30,
    },
  };

/** What a custom quota may ask for without a platform team's review. */
export const QUOTA_LIMITS: Record<
  keyof QuotaValues,
  { min: number; max: number }
> = {
  cpu: { min: 1, max: 64 },
  memoryGi: { min: 1, max: 256 },
  pods: { min: 1, max: 500 },
  persistentVolumeClaims: { min: 0, max: 100 },
  services: { min: 1, max: 100 },
};

/** The tier's values, or the custom values (already checked to be present and in range). */
export function resolveQuota(
  quota: {
    tier: 'small' | 'standard' | 'large' | 'custom';
  } & Partial<QuotaValues>,
): QuotaValues {
  if (quota.tier !== 'custom') {
    return QUOTA_TIERS[quota.tier];
  }
  return {
    cpu: quota.cpu ?? QUOTA_TIERS.standard.cpu,
    memoryGi: quota.memoryGi ?? QUOTA_TIERS.standard.memoryGi,
    pods: quota.pods ?? QUOTA_TIERS.standard.pods,
    persistentVolumeClaims:
      quota.persistentVolumeClaims ??
      QUOTA_TIERS.standard.persistentVolumeClaims,
    services: quota.services ?? QUOTA_TIERS.standard.services,
  };
}
