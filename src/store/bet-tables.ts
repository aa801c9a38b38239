import type { Generated } from 'kysely';

/** The bet ledger; created by migration 0010-bets. */
export interface BetTables {
  bets: BetTable;
  bankroll_entries: BankrollEntryTable;
}

export interface BetTable {
  id: Generated<number>;
  user_id: number;
  match_id: number;
  /** `1x2`, `ou` (total goals), `ah` (Asian handicap) or `btts`. */
  market: string;
  /** Total-goals line (ou) or the home team's handicap (ah; the away side gets −line); 0 otherwise. */
  line: number;
  selection: string;
  price: number;
  stake_minor: number;
  currency: string;
  bookmaker: string | null;
  placed_at_ms: number;
  /** The service's as-of when the bet was placed (the match kicked off at or after it). */
  placed_as_of_ms: number;
  status: string;
  outcome: string | null;
  /** What came back (stake included), in minor units; 0 for a lost bet. */
  return_minor: number | null;
  /** Closing price of the same selection (Pinnacle, else the market average), when known. */
  closing_price: number | null;
  settled_at_ms: number | null;
}

export interface BankrollEntryTable {
  id: Generated<number>;
  user_id: number;
  at_ms: number;
  as_of_ms: number;
  /** `opening` (first bet), `adjustment` (bankroll changed elsewhere), `stake` (bet placed), `return` (bet settled). */
  kind: string;
  /** Signed change in minor units. */
  amount_minor: number;
  /** Bankroll after the change. */
  balance_minor: number;
  currency: string;
  bet_id: number | null;
}
