import type { RiskLevel } from '../accounts/risk-levels.js';

/**
 * Share of full Kelly staked at each risk level. Full Kelly maximises long-run growth only when the
 * probabilities are exact; ours carry model error, and staking a fraction c of Kelly keeps about
 * c(2 − c) of the growth rate while cutting the variance by c². A quarter (medium) keeps ~44% of the
 * growth with 1/16 of the variance; see docs/adr/0006-serving-and-as-of.md.
 */
export const RISK_KELLY_MULTIPLIERS: Readonly<Record<RiskLevel, number>> = Object.freeze({ low: 0.1, medium: 0.25, high: 0.5 });

/** Caps that hold whatever the risk level. */
export interface StakingPolicy {
  /** Largest stake on one bet, as a share of the bankroll. */
  readonly maxStakeFraction: number;
  /** Largest total staked on simultaneous (unsettled) bets, as a share of the bankroll. */
  readonly maxTotalFraction: number;
}

export const DEFAULT_STAKING_POLICY: StakingPolicy = Object.freeze({ maxStakeFraction: 0.05, maxTotalFraction: 0.2 });

/** Expected profit per unit staked: probability × decimal price − 1. */
export function betEdge(probability: number, price: number): number {
  return probability * price - 1;
}

/** Full Kelly fraction of a bet at decimal `price` won with `probability`: (p·o − 1) / (o − 1), 0 without an edge. */
export function kellyFraction(probability: number, price: number): number {
  if (!(price > 1) || !(probability > 0)) return 0;
  const edge = betEdge(probability, price);
  return edge > 0 ? edge / (price - 1) : 0;
}

/** One bet to size. */
export interface StakeRequest {
  readonly probability: number;
  readonly price: number;
}

/** How one bet was sized, step by step. */
export interface SizedStake {
  readonly edge: number;
  readonly fullKellyFraction: number;
  /** Full Kelly × the risk level's multiplier. */
  readonly riskFraction: number;
  /** After the per-bet cap. */
  readonly cappedFraction: number;
  /** After scaling every bet down so the total stays under the total cap (the fraction staked). */
  readonly stakeFraction: number;
  /** The stake in minor units of the bankroll's currency (rounded down: never more than the policy allows). */
  readonly stakeMinor: number;
}

/** A set of simultaneous bets sized together. */
export interface SizedStakes {
  readonly stakes: readonly SizedStake[];
  readonly riskMultiplier: number;
  /** Sum of the capped fractions before scaling. */
  readonly totalCappedFraction: number;
  /** 1 when under the total cap, else maxTotalFraction / totalCappedFraction. */
  readonly scale: number;
  readonly totalStakeMinor: number;
}

/**
 * Sizes simultaneous bets: full Kelly × risk multiplier, each capped at `maxStakeFraction`, then all
 * scaled down by the same factor when their sum exceeds `maxTotalFraction`. Stakes are exact minor
 * units, rounded down, out of `bankrollMinor` (minus what open bets already hold, if the caller passes that).
 */
export function sizeStakes(
  bets: readonly StakeRequest[],
  bankrollMinor: number,
  riskLevel: RiskLevel,
  policy: StakingPolicy = DEFAULT_STAKING_POLICY,
  alreadyStakedFraction = 0,
): SizedStakes {
  const riskMultiplier = RISK_KELLY_MULTIPLIERS[riskLevel];
  const steps = bets.map((bet) => {
    const edge = betEdge(bet.probability, bet.price);
    const fullKellyFraction = kellyFraction(bet.probability, bet.price);
    const riskFraction = fullKellyFraction * riskMultiplier;
    const cappedFraction = Math.min(riskFraction, policy.maxStakeFraction);
    return { edge, fullKellyFraction, riskFraction, cappedFraction };
  });
  const totalCappedFraction = steps.reduce((sum, s) => sum + s.cappedFraction, 0);
  const room = Math.max(0, policy.maxTotalFraction - alreadyStakedFraction);
  const scale = totalCappedFraction > room ? (totalCappedFraction > 0 ? room / totalCappedFraction : 0) : 1;
  let totalStakeMinor = 0;
  const stakes = steps.map((s) => {
    const stakeFraction = s.cappedFraction * scale;
    // A tiny epsilon keeps 0.2 × 1000 from flooring to 199.99999 → 199.
    const stakeMinor = Math.max(0, Math.floor(bankrollMinor * stakeFraction + 1e-9));
    totalStakeMinor += stakeMinor;
    return { ...s, stakeFraction, stakeMinor };
  });
  return { stakes, riskMultiplier, totalCappedFraction, scale, totalStakeMinor };
}
