/** How a task decides whether a new version may replace `production`. */
export interface PromotionPolicy {
  /** The task's primary metric, e.g. `rps`. */
  readonly metric: string;
  readonly higherIsBetter: boolean;
  /** The candidate must beat production by more than this (same units as the metric). Default 0. */
  readonly minImprovement?: number;
  /** The candidate must be at least this good on its own (e.g. RPS ≤ 0.21); none by default. */
  readonly qualityFloor?: number;
}

/** The outcome of a promotion check, with the reason in words (recorded with the decision). */
export interface PromotionDecision {
  readonly promote: boolean;
  /** False when the candidate fails the quality floor (or has no score); true without a floor. */
  readonly passesQualityFloor: boolean;
  readonly reason: string;
  readonly candidate: number;
  readonly production: number | null;
}

/**
 * Decides promotion from scores measured on the SAME evaluation window: the candidate needs the
 * metric, must pass the quality floor, and must beat production by more than the margin (a first
 * version only needs the floor). Pure, so the rule is tested apart from any storage.
 */
export function decidePromotion(
  policy: PromotionPolicy,
  candidate: Readonly<Record<string, number>>,
  production: Readonly<Record<string, number>> | null,
): PromotionDecision {
  const value = candidate[policy.metric];
  const current = production?.[policy.metric] ?? null;
  const better = (a: number, b: number) => (policy.higherIsBetter ? a > b : a < b);
  const fmt = (x: number) => Number(x.toPrecision(6)).toString();
  if (value === undefined || !Number.isFinite(value)) {
    return { promote: false, passesQualityFloor: false, reason: `the candidate has no ${policy.metric} score`, candidate: Number.NaN, production: current };
  }
  if (policy.qualityFloor !== undefined && !(value === policy.qualityFloor || better(value, policy.qualityFloor))) {
    return { promote: false, passesQualityFloor: false, reason: `${policy.metric} ${fmt(value)} fails the quality floor ${fmt(policy.qualityFloor)}`, candidate: value, production: current };
  }
  if (current === null) {
    return { promote: true, passesQualityFloor: true, reason: `no production version yet; ${policy.metric} ${fmt(value)} passes the floor`, candidate: value, production: null };
  }
  const margin = policy.minImprovement ?? 0;
  const improvement = policy.higherIsBetter ? value - current : current - value;
  if (improvement > margin) {
    return { promote: true, passesQualityFloor: true, reason: `${policy.metric} ${fmt(value)} beats production ${fmt(current)} by ${fmt(improvement)} (> ${fmt(margin)})`, candidate: value, production: current };
  }
  return { promote: false, passesQualityFloor: true, reason: `${policy.metric} ${fmt(value)} does not beat production ${fmt(current)} by more than ${fmt(margin)}`, candidate: value, production: current };
}
