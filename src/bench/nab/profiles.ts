/**
 * NAB cost profiles (NAB `config/profiles.json`; tnWeight is unused there).
 * Pure data, no effects.
 */
export type ProfileName = 'standard' | 'reward_low_FP_rate' | 'reward_low_FN_rate';

export interface CostProfile {
  readonly name: ProfileName;
  readonly tpWeight: number;
  readonly fpWeight: number;
  readonly fnWeight: number;
}

export const PROFILES: readonly CostProfile[] = Object.freeze([
  { name: 'standard', tpWeight: 1.0, fpWeight: 0.11, fnWeight: 1.0 },
  { name: 'reward_low_FP_rate', tpWeight: 1.0, fpWeight: 0.22, fnWeight: 1.0 },
  { name: 'reward_low_FN_rate', tpWeight: 1.0, fpWeight: 0.11, fnWeight: 2.0 },
]);

export const PROFILE_NAMES: readonly ProfileName[] = PROFILES.map((p) => p.name);

export type ByProfile<T> = Record<ProfileName, T>;
