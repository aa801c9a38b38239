import { formatMoneyAmount } from '../../accounts/money.js';
import { isTipsterError } from '../../core/errors.js';
import { bettingStats, listBankrollEntries, listBets, placeBet, settleDueBets, type BetRecord, type NewBet } from '../../betting/bet-ledger.js';
import { DEFAULT_STAKING_POLICY, RISK_KELLY_MULTIPLIERS, sizeStakes } from '../../betting/kelly-staking.js';
import { BET_MARKETS } from '../../betting/settle-bet.js';
import { bestValueSelection, type ValueSelection } from '../../betting/value-bets.js';
import type { ServingModel } from '../../football/serving/football-model-cache.js';
import { listCompetitions, listMatches, listPreMatchPrices, type MatchView } from '../../football/serving/football-queries.js';
import { definePlugin } from '../define-plugin.js';
import { requirePrincipal } from '../route-access.js';
import { matchJson, modelJson } from './football-routes.js';
import { AS_OF_QUERY, MATCH_SCHEMA, MODEL_REF_SCHEMA } from './football-schemas.js';
import { footballServing } from './football-serving.js';

const DAY_MS = 86_400_000;
const SETTLE_SWEEP_MS = 60_000;

const MONEY_SCHEMA = {
  type: 'object',
  required: ['amount', 'currency', 'minorUnits'],
  properties: { amount: { type: 'string', description: 'Exact decimal amount' }, currency: { type: 'string' }, minorUnits: { type: 'integer' } },
} as const;

function money(minorUnits: number, currency: string) {
  return { amount: formatMoneyAmount({ minorUnits, currency }), currency, minorUnits };
}

const BET_SCHEMA = {
  type: 'object',
  required: ['id', 'matchId', 'competition', 'homeTeam', 'awayTeam', 'kickoffAt', 'market', 'line', 'selection', 'price', 'stake', 'bookmaker', 'placedAt', 'status', 'outcome', 'return', 'profit', 'closingPrice', 'closingLineValue', 'settledAt', 'homeGoals', 'awayGoals'],
  properties: {
    id: { type: 'integer' },
    matchId: { type: 'integer' },
    competition: { type: 'string' },
    homeTeam: { type: 'string' },
    awayTeam: { type: 'string' },
    kickoffAt: { type: 'string', format: 'date-time' },
    market: { type: 'string', enum: [...BET_MARKETS] },
    line: { type: 'number', description: 'ou: total-goals line; ah: the home handicap (away gets −line); 0 otherwise' },
    selection: { type: 'string' },
    price: { type: 'number' },
    stake: MONEY_SCHEMA,
    bookmaker: { type: ['string', 'null'] },
    placedAt: { type: 'string', format: 'date-time' },
    status: { type: 'string', enum: ['open', 'settled'] },
    outcome: { type: ['string', 'null'], enum: ['won', 'half-won', 'push', 'half-lost', 'lost', null] },
    return: { anyOf: [MONEY_SCHEMA, { type: 'null' }] },
    profit: { anyOf: [MONEY_SCHEMA, { type: 'null' }], description: 'return − stake (minorUnits may be negative)' },
    closingPrice: { type: ['number', 'null'] },
    closingLineValue: { type: ['number', 'null'], description: 'price ÷ closing price − 1' },
    settledAt: { type: ['string', 'null'], format: 'date-time' },
    homeGoals: { type: ['integer', 'null'] },
    awayGoals: { type: ['integer', 'null'] },
  },
} as const;

function betJson(b: BetRecord) {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    id: b.id,
    matchId: b.matchId,
    competition: b.competition,
    homeTeam: b.homeTeam,
    awayTeam: b.awayTeam,
    kickoffAt: iso(b.kickoffAtMs),
    market: b.market,
    line: b.line,
    selection: b.selection,
    price: b.price,
    stake: money(b.stakeMinor, b.currency),
    bookmaker: b.bookmaker,
    placedAt: iso(b.placedAtMs),
    status: b.status,
    outcome: b.outcome,
    return: b.returnMinor === null ? null : money(b.returnMinor, b.currency),
    profit: b.returnMinor === null ? null : { amount: signedAmount(b.returnMinor - b.stakeMinor, b.currency), currency: b.currency, minorUnits: b.returnMinor - b.stakeMinor },
    closingPrice: b.closingPrice,
    closingLineValue: b.closingPrice !== null && b.closingPrice > 1 ? b.price / b.closingPrice - 1 : null,
    settledAt: b.settledAtMs === null ? null : iso(b.settledAtMs),
    homeGoals: b.homeGoals,
    awayGoals: b.awayGoals,
  };
}

function signedAmount(minorUnits: number, currency: string): string {
  const text = formatMoneyAmount({ minorUnits: Math.abs(minorUnits), currency });
  return minorUnits < 0 ? `-${text}` : text;
}

const fmt = (x: number, digits = 4) => x.toFixed(digits);

interface ValueBetsQuery {
  competition?: string;
  days?: number;
  minEdge?: number;
  asOf?: string;
}

/**
 * /api/v1/betting: value bets with Kelly stakes (premium), and every user's bet ledger: record a bet,
 * list bets, bankroll history and stats. Bets settle when their match's result is known as of the
 * service's as-of: lazily on each ledger read of the user, and by a sweep every minute.
 */
export const bettingRoutesPlugin = definePlugin(
  { name: 'tipster-betting-routes', dependencies: ['tipster-access-control', 'tipster-metrics'] },
  async (app) => {
    const { store, accounts, now } = app.tipster;
    const serving = footballServing(app);

    const sweep = setInterval(() => {
      settleDueBets(store, serving.clock.nowMs(), now()).catch((error: unknown) => app.log.warn({ err: error }, 'bet settlement sweep failed'));
    }, SETTLE_SWEEP_MS);
    sweep.unref();
    app.addHook('onClose', async () => clearInterval(sweep));

    app.get<{ Querystring: ValueBetsQuery }>(
      '/betting/value-bets',
      {
        config: { access: 'premium' },
        schema: {
          tags: ['betting'],
          summary: 'Value bets on upcoming fixtures with odds, with Kelly stakes sized from your bankroll and risk level',
          description:
            'edge = model probability × best available price − 1 (real bookmakers only). Full Kelly = edge ÷ (price − 1); your fraction is Kelly × the multiplier of your risk level (low 0.1, medium 0.25, high 0.5), capped at 5% of the bankroll per bet; when all suggested bets and your open bets exceed 20% of the bankroll, every stake is scaled down by the same factor. Stakes are exact minor units of your currency, rounded down. One bet per match (the best edge).',
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              competition: { type: 'string', pattern: '^[A-Za-z0-9]{1,8}$' },
              days: { type: 'integer', minimum: 1, maximum: 14, default: 7, description: 'Fixtures kicking off within this many days of the as-of' },
              minEdge: { type: 'number', minimum: 0, maximum: 1, default: 0.02 },
              asOf: AS_OF_QUERY,
            },
          },
          response: {
            200: {
              type: 'object',
              required: ['asOf', 'bankroll', 'openStakes', 'riskLevel', 'policy', 'totalStake', 'bets'],
              properties: {
                asOf: { type: 'string', format: 'date-time' },
                bankroll: MONEY_SCHEMA,
                openStakes: MONEY_SCHEMA,
                riskLevel: { type: 'string' },
                policy: {
                  type: 'object',
                  required: ['kellyMultiplier', 'riskMultipliers', 'maxStakeFraction', 'maxTotalFraction', 'scale'],
                  properties: {
                    kellyMultiplier: { type: 'number' },
                    riskMultipliers: { type: 'object', required: ['low', 'medium', 'high'], properties: { low: { type: 'number' }, medium: { type: 'number' }, high: { type: 'number' } } },
                    maxStakeFraction: { type: 'number' },
                    maxTotalFraction: { type: 'number' },
                    scale: { type: 'number', description: 'Factor applied to every stake to respect the total cap (1 = none)' },
                  },
                },
                totalStake: MONEY_SCHEMA,
                bets: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['match', 'model', 'market', 'selection', 'probability', 'price', 'bookmaker', 'edge', 'fullKellyFraction', 'riskFraction', 'stakeFraction', 'stake', 'explanation'],
                    properties: {
                      match: MATCH_SCHEMA,
                      model: MODEL_REF_SCHEMA,
                      market: { type: 'string', enum: ['1x2'] },
                      selection: { type: 'string', enum: ['home', 'draw', 'away'] },
                      probability: { type: 'number' },
                      price: { type: 'number', description: 'Best pre-match price on offer' },
                      bookmaker: { type: 'string', description: 'Who offers that price' },
                      edge: { type: 'number' },
                      fullKellyFraction: { type: 'number' },
                      riskFraction: { type: 'number' },
                      stakeFraction: { type: 'number' },
                      stake: MONEY_SCHEMA,
                      explanation: { type: 'string' },
                    },
                  },
                },
              },
            },
          },
        },
      },
      async (request) => {
        const principal = requirePrincipal(request);
        const asOfMs = serving.asOfFor(principal, request.query.asOf);
        const days = request.query.days ?? 7;
        const minEdge = request.query.minEdge ?? 0.02;
        await settleDueBets(store, serving.clock.nowMs(), now(), principal.userId);
        const user = await accounts.getProfile(principal);
        const { currency } = user.bankroll;
        const stats = await bettingStats(store, principal.userId);
        const capitalMinor = user.bankroll.minorUnits + stats.openStakeMinor;

        const codes = request.query.competition !== undefined ? [request.query.competition] : (await listCompetitions(store)).map((c) => c.code);
        const candidates: { match: MatchView; model: ServingModel; value: ValueSelection }[] = [];
        for (const code of codes) {
          let model: ServingModel | undefined;
          try {
            model = await serving.models.forLeague(code, asOfMs);
          } catch (error) {
            // A league whose model cannot be fitted at this date has no value bets; the others still do.
            if (isTipsterError(error, 'TIPSTER_ERR_FOOTBALL_NOT_ENOUGH_HISTORY')) continue;
            throw error;
          }
          if (!model) continue;
          const fixtures = (await listMatches(store, { competition: code, fromMs: asOfMs, toMs: asOfMs + days * DAY_MS }, asOfMs)).filter((m) => m.state === 'upcoming');
          const prices = await listPreMatchPrices(store, fixtures.map((f) => f.matchId));
          for (const match of fixtures) {
            const books = prices.get(match.matchId);
            if (!books) continue;
            const value = bestValueSelection(model.grid(match.homeTeam, match.awayTeam).oneXTwo(), books, minEdge);
            if (value) candidates.push({ match, model, value });
          }
          if (fixtures.length > 0) serving.countServed(model, fixtures.length);
        }
        const alreadyStaked = capitalMinor > 0 ? stats.openStakeMinor / capitalMinor : 0;
        const sized = sizeStakes(candidates.map((c) => ({ probability: c.value.probability, price: c.value.price })), capitalMinor, user.riskLevel, DEFAULT_STAKING_POLICY, alreadyStaked);
        const capital = `${formatMoneyAmount({ minorUnits: capitalMinor, currency })} ${currency}`;
        const bets = candidates.map((c, i) => {
          const s = sized.stakes[i]!;
          const v = c.value;
          const steps = [
            `edge = ${fmt(v.probability)} × ${v.price} (${v.bookmaker}) − 1 = ${fmt(s.edge)}`,
            `full Kelly = ${fmt(s.edge)} ÷ (${v.price} − 1) = ${fmt(s.fullKellyFraction)}`,
            `${user.riskLevel} risk: × ${sized.riskMultiplier} = ${fmt(s.riskFraction)}`,
            s.cappedFraction < s.riskFraction ? `capped at ${DEFAULT_STAKING_POLICY.maxStakeFraction * 100}% per bet = ${fmt(s.cappedFraction)}` : `under the ${DEFAULT_STAKING_POLICY.maxStakeFraction * 100}% cap per bet`,
            sized.scale < 1
              ? `${candidates.length} bets${stats.openStakeMinor > 0 ? ' plus open bets' : ''} would stake ${fmt(sized.totalCappedFraction + alreadyStaked)} > ${DEFAULT_STAKING_POLICY.maxTotalFraction * 100}% in total: × ${fmt(sized.scale)} = ${fmt(s.stakeFraction, 6)}`
              : `total within the ${DEFAULT_STAKING_POLICY.maxTotalFraction * 100}% cap`,
            `stake = ${fmt(s.stakeFraction, 6)} × ${capital} = ${formatMoneyAmount({ minorUnits: s.stakeMinor, currency })} ${currency} (rounded down)`,
          ];
          return {
            match: matchJson(c.match),
            model: modelJson(c.model),
            market: '1x2',
            selection: v.selection,
            probability: v.probability,
            price: v.price,
            bookmaker: v.bookmaker,
            edge: s.edge,
            fullKellyFraction: s.fullKellyFraction,
            riskFraction: s.riskFraction,
            stakeFraction: s.stakeFraction,
            stake: money(s.stakeMinor, currency),
            explanation: `${steps.join('; ')}.`,
          };
        });
        return {
          asOf: new Date(asOfMs).toISOString(),
          bankroll: money(user.bankroll.minorUnits, currency),
          openStakes: money(stats.openStakeMinor, currency),
          riskLevel: user.riskLevel,
          policy: {
            kellyMultiplier: sized.riskMultiplier,
            riskMultipliers: RISK_KELLY_MULTIPLIERS,
            maxStakeFraction: DEFAULT_STAKING_POLICY.maxStakeFraction,
            maxTotalFraction: DEFAULT_STAKING_POLICY.maxTotalFraction,
            scale: sized.scale,
          },
          totalStake: money(sized.totalStakeMinor, currency),
          bets,
        };
      },
    );

    app.post<{ Body: NewBet }>(
      '/betting/bets',
      {
        config: { access: 'free' },
        schema: {
          tags: ['betting'],
          summary: 'Record a bet you placed; the stake leaves your bankroll and comes back (or not) when the match settles',
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['matchId', 'market', 'selection', 'price', 'stake'],
            properties: {
              matchId: { type: 'integer', minimum: 1 },
              market: { type: 'string', enum: [...BET_MARKETS] },
              selection: { type: 'string', enum: ['home', 'draw', 'away', 'over', 'under', 'yes', 'no'] },
              line: { type: 'number', description: 'ou: total-goals line (2.5); ah: the home handicap (-0.75), the away side gets the opposite' },
              price: { type: 'number', exclusiveMinimum: 1, maximum: 1000 },
              stake: { type: 'string', pattern: '^\\d{1,12}(\\.\\d{1,4})?$', description: 'Decimal amount in your currency, e.g. "25.00"' },
              bookmaker: { type: 'string', minLength: 1, maxLength: 40 },
            },
          },
          response: { 201: BET_SCHEMA },
        },
      },
      async (request, reply) => {
        const principal = requirePrincipal(request);
        const asOfMs = serving.clock.nowMs();
        await settleDueBets(store, asOfMs, now(), principal.userId);
        const bet = await placeBet(store, principal.userId, request.body, asOfMs, now());
        request.log.info({ betId: bet.id, matchId: bet.matchId }, 'bet recorded');
        return reply.code(201).send(betJson(bet));
      },
    );

    app.get<{ Querystring: { status?: 'open' | 'settled' } }>(
      '/betting/bets',
      {
        config: { access: 'free' },
        schema: {
          tags: ['betting'],
          summary: 'Your bets, newest first (open, settled or both)',
          querystring: { type: 'object', additionalProperties: false, properties: { status: { type: 'string', enum: ['open', 'settled'] } } },
          response: { 200: { type: 'object', required: ['asOf', 'bets'], properties: { asOf: { type: 'string', format: 'date-time' }, bets: { type: 'array', items: BET_SCHEMA } } } },
        },
      },
      async (request) => {
        const principal = requirePrincipal(request);
        const asOfMs = serving.clock.nowMs();
        await settleDueBets(store, asOfMs, now(), principal.userId);
        const bets = await listBets(store, principal.userId, request.query.status === undefined ? {} : { status: request.query.status }, asOfMs);
        return { asOf: new Date(asOfMs).toISOString(), bets: bets.map(betJson) };
      },
    );

    app.get(
      '/betting/bankroll-history',
      {
        config: { access: 'free' },
        schema: {
          tags: ['betting'],
          summary: 'Your bankroll after each stake, return and outside change, oldest first',
          response: {
            200: {
              type: 'object',
              required: ['bankroll', 'entries'],
              properties: {
                bankroll: MONEY_SCHEMA,
                entries: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['id', 'at', 'asOf', 'kind', 'amount', 'balance', 'betId'],
                    properties: {
                      id: { type: 'integer' },
                      at: { type: 'string', format: 'date-time' },
                      asOf: { type: 'string', format: 'date-time' },
                      kind: { type: 'string', enum: ['opening', 'adjustment', 'stake', 'return'] },
                      amount: { type: 'object', required: ['amount', 'currency', 'minorUnits'], properties: { amount: { type: 'string' }, currency: { type: 'string' }, minorUnits: { type: 'integer' } } },
                      balance: MONEY_SCHEMA,
                      betId: { type: ['integer', 'null'] },
                    },
                  },
                },
              },
            },
          },
        },
      },
      async (request) => {
        const principal = requirePrincipal(request);
        await settleDueBets(store, serving.clock.nowMs(), now(), principal.userId);
        const user = await accounts.getProfile(principal);
        const entries = await listBankrollEntries(store, principal.userId);
        return {
          bankroll: money(user.bankroll.minorUnits, user.bankroll.currency),
          entries: entries.map((e) => ({
            id: e.id,
            at: new Date(e.atMs).toISOString(),
            asOf: new Date(e.asOfMs).toISOString(),
            kind: e.kind,
            amount: { amount: signedAmount(e.amountMinor, e.currency), currency: e.currency, minorUnits: e.amountMinor },
            balance: money(e.balanceMinor, e.currency),
            betId: e.betId,
          })),
        };
      },
    );

    app.get(
      '/betting/stats',
      {
        config: { access: 'free' },
        schema: {
          tags: ['betting'],
          summary: 'Your profit/loss, ROI, yield and closing-line value',
          description: 'yield = profit ÷ stakes of settled bets; ROI = profit ÷ the bankroll before your first bet; closing-line value = mean of price ÷ closing price − 1 (Pinnacle, else the market average).',
          response: {
            200: {
              type: 'object',
              required: ['openBets', 'openStakes', 'settledBets', 'won', 'lost', 'turnover', 'returns', 'profit', 'yield', 'roi', 'startingBankroll', 'closingLineValue', 'closingLineBets'],
              properties: {
                openBets: { type: 'integer' },
                openStakes: MONEY_SCHEMA,
                settledBets: { type: 'integer' },
                won: { type: 'integer', description: 'Won or half-won' },
                lost: { type: 'integer', description: 'Lost or half-lost' },
                turnover: MONEY_SCHEMA,
                returns: MONEY_SCHEMA,
                profit: { type: 'object', required: ['amount', 'currency', 'minorUnits'], properties: { amount: { type: 'string' }, currency: { type: 'string' }, minorUnits: { type: 'integer' } } },
                yield: { type: ['number', 'null'] },
                roi: { type: ['number', 'null'] },
                startingBankroll: { anyOf: [MONEY_SCHEMA, { type: 'null' }] },
                closingLineValue: { type: ['number', 'null'] },
                closingLineBets: { type: 'integer' },
              },
            },
          },
        },
      },
      async (request) => {
        const principal = requirePrincipal(request);
        await settleDueBets(store, serving.clock.nowMs(), now(), principal.userId);
        const user = await accounts.getProfile(principal);
        const currency = user.bankroll.currency;
        const s = await bettingStats(store, principal.userId);
        return {
          openBets: s.openBets,
          openStakes: money(s.openStakeMinor, currency),
          settledBets: s.settledBets,
          won: s.won,
          lost: s.lost,
          turnover: money(s.turnoverMinor, currency),
          returns: money(s.returnsMinor, currency),
          profit: { amount: signedAmount(s.profitMinor, currency), currency, minorUnits: s.profitMinor },
          yield: s.yield,
          roi: s.roi,
          startingBankroll: s.startingBankrollMinor === null ? null : money(s.startingBankrollMinor, currency),
          closingLineValue: s.closingLineValue,
          closingLineBets: s.closingLineBets,
        };
      },
    );
  },
);

