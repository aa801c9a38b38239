/** How boldly a user wants stakes sized; betting maps each level to a fraction of full Kelly. */
export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

const riskLevelSet: ReadonlySet<string> = new Set(RISK_LEVELS);

/** True when `value` names a risk level. */
export function isRiskLevel(value: string): value is RiskLevel {
  return riskLevelSet.has(value);
}
