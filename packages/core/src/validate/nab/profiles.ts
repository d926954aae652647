/**
 * NAB's application profiles (config/profiles.json of github.com/numenta/NAB): the weight of a true positive, a
 * false positive and a missed window. `standard` charges a false positive 0.11 of a detection; `reward_low_FP_rate`
 * doubles that charge; `reward_low_FN_rate` doubles the cost of a missed window.
 */
export interface NabProfile {
  name: NabProfileName;
  tpWeight: number;
  fpWeight: number;
  fnWeight: number;
}

export type NabProfileName = "standard" | "reward_low_FP_rate" | "reward_low_FN_rate";

export const NAB_PROFILES: readonly NabProfile[] = [
  { name: "standard", tpWeight: 1, fpWeight: 0.11, fnWeight: 1 },
  { name: "reward_low_FP_rate", tpWeight: 1, fpWeight: 0.22, fnWeight: 1 },
  { name: "reward_low_FN_rate", tpWeight: 1, fpWeight: 0.11, fnWeight: 2 },
];

export function nabProfile(name: string): NabProfile | undefined {
  return NAB_PROFILES.find((p) => p.name === name);
}
