import { NbaShotService } from '../../basketball/nba-shot-service.js';
import { describeShot, type ShotDescription } from '../../basketball/shot-description.js';
import { findNbaPlayers, listNbaTeams } from '../../basketball/store/nba-players.js';
import type { ShotPrediction, ShotVerification } from '../../basketball/store/shot-predictions.js';
import { BASIC_ZONES, SHOT_TYPES, ZONE_AREAS, ZONE_RANGES } from '../../basketball/shot-vocabulary.js';
import { definePlugin } from '../define-plugin.js';
import { requirePrincipal } from '../route-access.js';
import { isoOrNull } from '../schemas/json-schema-atoms.js';

/** Most shots one API call scores (the service allows more; a person describes a few). */
const MAX_SHOTS_PER_CALL = 100;
/** Spacing of the court grid the heat-map is scored on (feet). */
const COURT_GRID_FT = 2;

const nullable = (type: string) => ({ type: [type, 'null'] }) as const;

const SHOT_INPUT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['period'],
  description: 'A shot as a person describes it: period and time left, and a court location (or just a distance); everything else optional',
  properties: {
    period: { type: 'integer', minimum: 1, maximum: 10 },
    clock: { type: 'string', maxLength: 5, description: 'Time left in the period, e.g. "7:32"' },
    secondsLeft: { type: 'number', minimum: 0, maximum: 720 },
    locX: { type: 'number', minimum: -30, maximum: 30, description: 'Feet; hoop at (0, 5.25); positive x is the chart’s left' },
    locY: { type: 'number', minimum: -5, maximum: 94 },
    distanceFt: { type: 'number', minimum: 0, maximum: 94 },
    basicZone: { type: 'string', enum: [...BASIC_ZONES] },
    zoneArea: { type: 'string', enum: [...ZONE_AREAS] },
    zoneRange: { type: 'string', enum: [...ZONE_RANGES] },
    shotType: { type: 'string', enum: [...SHOT_TYPES] },
    actionType: { type: 'string', minLength: 1, maxLength: 80, examples: ['Jump Shot'] },
    isHome: { type: 'boolean' },
    playerId: { type: 'integer', minimum: 1 },
    teamId: { type: 'integer', minimum: 1 },
    opponentTeamId: { type: 'integer', minimum: 1 },
  },
} as const;

const SHOT_SCHEMA = {
  type: 'object',
  required: ['period', 'secondsLeft', 'locX', 'locY', 'distanceFt', 'basicZone', 'zoneArea', 'zoneRange', 'shotType', 'actionType', 'isHome', 'playerId', 'teamId', 'opponentTeamId'],
  properties: {
    period: { type: 'integer' },
    secondsLeft: { type: 'number' },
    locX: nullable('number'),
    locY: nullable('number'),
    distanceFt: { type: 'number' },
    basicZone: { type: 'string' },
    zoneArea: nullable('string'),
    zoneRange: { type: 'string' },
    shotType: { type: 'string' },
    actionType: nullable('string'),
    isHome: nullable('boolean'),
    playerId: nullable('integer'),
    teamId: nullable('integer'),
    opponentTeamId: nullable('integer'),
  },
} as const;

const PREDICTION_SCHEMA = {
  type: 'object',
  required: ['id', 'model', 'version', 'createdAt', 'createdByYou', 'shot', 'probability', 'verifiedOutcome', 'verifiedAt', 'verifications', 'disputed'],
  properties: {
    id: { type: 'string' },
    model: { type: 'string' },
    version: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
    createdByYou: { type: 'boolean' },
    shot: SHOT_SCHEMA,
    probability: { type: 'number', description: 'Probability that the shot is made' },
    verifiedOutcome: { ...nullable('boolean'), description: 'What verifiers agree happened (null: unverified or disputed)' },
    verifiedAt: { type: ['string', 'null'], format: 'date-time' },
    verifications: { type: 'integer' },
    disputed: { type: 'boolean' },
    explanation: {
      anyOf: [
        {
          type: 'object',
          required: ['expectedProbability', 'shooterOffset', 'defenceOffset'],
          description: 'Why the probability is what it is, for models with shot-making offsets: the league’s make rate for this shot, then the shooter’s and the defence’s shot-making above expectation (log-odds, shrunk; 0 when unknown)',
          properties: { expectedProbability: { type: 'number' }, shooterOffset: { type: 'number' }, defenceOffset: { type: 'number' } },
        },
        { type: 'null' },
      ],
    },
  },
} as const;

const PLAYER_SCHEMA = {
  type: 'object',
  required: ['id', 'name', 'position', 'teamId'],
  properties: { id: { type: 'integer' }, name: { type: 'string' }, position: nullable('string'), teamId: { ...nullable('integer'), description: 'Team of his latest shot in the data' } },
} as const;
const TEAM_SCHEMA = {
  type: 'object',
  required: ['id', 'name', 'abbreviation'],
  properties: { id: { type: 'integer' }, name: { type: 'string' }, abbreviation: nullable('string') },
} as const;

function predictionJson(p: ShotPrediction, userId: number) {
  return {
    id: p.id,
    model: p.modelName,
    version: p.modelVersion,
    createdAt: isoOrNull(p.createdAtMs)!,
    createdByYou: p.createdByUserId === userId,
    shot: p.shot,
    probability: p.probability,
    verifiedOutcome: p.verifiedOutcome,
    verifiedAt: isoOrNull(p.verifiedAtMs),
    verifications: p.verifications,
    disputed: p.disputed,
    explanation: explanationOf(p.features),
  };
}

/** The stored parts of an offsets model's probability, or null for models without them. */
function explanationOf(features: ShotPrediction['features']) {
  const { expected_probability: expected, shooter_offset: shooter, defence_offset: defence } = features;
  if (typeof expected !== 'number' || typeof shooter !== 'number' || typeof defence !== 'number') return null;
  return { expectedProbability: expected, shooterOffset: shooter, defenceOffset: defence };
}

function verificationJson(v: ShotVerification, userId: number) {
  return { byYou: v.userId === userId, made: v.made, at: isoOrNull(v.verifiedAtMs)!, replacedMade: v.replacedMade };
}

const PREDICTION_PARAMS = { type: 'object', additionalProperties: false, required: ['predictionId'], properties: { predictionId: { type: 'string', minLength: 1, maxLength: 64 } } } as const;

/**
 * /api/v1/nba: predict NBA shots as people describe them with the production shot model, one
 * (`/nba/shots/predict`) or many (`/nba/shots/predict-batch`), each prediction stored with the
 * caller, the model version and the features it saw; score the court for a shot chart; find players
 * and teams; and verify outcomes (`/nba/shots/predictions/{id}/verify`: each verdict recorded per
 * user; verified labels feed retraining).
 */
export const nbaRoutesPlugin = definePlugin({ name: 'tipster-nba-routes', dependencies: ['tipster-access-control'] }, async (app) => {
  const { store, now } = app.tipster;
  const service = new NbaShotService(store, { now });

  app.post<{ Body: ShotDescription }>(
    '/nba/shots/predict',
    {
      config: { access: 'free' },
      schema: {
        tags: ['nba'],
        summary: 'Predict whether a shot is made, described as a person would; the prediction is stored (its id is what you verify later)',
        body: SHOT_INPUT_SCHEMA,
        response: {
          201: {
            type: 'object',
            required: ['model', 'version', 'prediction'],
            properties: { model: { type: 'string' }, version: { type: 'integer' }, prediction: PREDICTION_SCHEMA },
          },
        },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const result = await service.predict([request.body], { createdByUserId: principal.userId });
      request.log.info({ modelVersion: result.modelVersion, shots: 1 }, 'nba shot predicted');
      return reply.code(201).send({ model: result.modelName, version: result.modelVersion, prediction: predictionJson(result.predictions[0]!, principal.userId) });
    },
  );

  app.post<{ Body: { shots: ShotDescription[] } }>(
    '/nba/shots/predict-batch',
    {
      config: { access: 'free' },
      schema: {
        tags: ['nba'],
        summary: `Predict many shots at once (up to ${MAX_SHOTS_PER_CALL}), in one transaction: all are stored, or none when one is invalid (the error names it)`,
        body: { type: 'object', additionalProperties: false, required: ['shots'], properties: { shots: { type: 'array', minItems: 1, maxItems: MAX_SHOTS_PER_CALL, items: SHOT_INPUT_SCHEMA } } },
        response: {
          201: {
            type: 'object',
            required: ['model', 'version', 'predictions'],
            properties: { model: { type: 'string' }, version: { type: 'integer' }, predictions: { type: 'array', items: PREDICTION_SCHEMA } },
          },
        },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const result = await service.predict(request.body.shots, { createdByUserId: principal.userId });
      request.log.info({ modelVersion: result.modelVersion, shots: result.predictions.length }, 'nba shots predicted');
      return reply.code(201).send({ model: result.modelName, version: result.modelVersion, predictions: result.predictions.map((p) => predictionJson(p, principal.userId)) });
    },
  );

  app.get<{ Querystring: { period?: number; clock?: string; actionType?: string; playerId?: number; opponentTeamId?: number } }>(
    '/nba/court',
    {
      config: { access: 'free' },
      schema: {
        tags: ['nba'],
        summary: 'Make probability over the half court (a grid every 2 ft) for a shot chart, for anyone or for one shooter against one defence; nothing is stored',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            period: { type: 'integer', minimum: 1, maximum: 10, default: 1 },
            clock: { type: 'string', pattern: '^\\d{1,2}:[0-5]\\d$', default: '6:00' },
            actionType: { type: 'string', minLength: 1, maxLength: 80 },
            playerId: { type: 'integer', minimum: 1 },
            opponentTeamId: { type: 'integer', minimum: 1 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['model', 'version', 'gridFt', 'cells'],
            properties: {
              model: { type: 'string' },
              version: { type: 'integer' },
              gridFt: { type: 'number' },
              cells: { type: 'array', items: { type: 'object', required: ['x', 'y', 'p'], properties: { x: { type: 'number' }, y: { type: 'number' }, p: { type: 'number' } } } },
            },
          },
        },
      },
    },
    async (request) => {
      const { period = 1, clock = '6:00', actionType, playerId, opponentTeamId } = request.query;
      const { version, model } = await service.model();
      const who = { ...(actionType === undefined ? {} : { actionType }), ...(playerId === undefined ? {} : { playerId }), ...(opponentTeamId === undefined ? {} : { opponentTeamId }) };
      const shots = [];
      for (let y = 0; y <= 34; y += COURT_GRID_FT) {
        for (let x = -24; x <= 24; x += COURT_GRID_FT) shots.push(describeShot({ period, clock, locX: x, locY: y, ...who }));
      }
      const scores = model.score(shots);
      return { model: version.model, version: version.version, gridFt: COURT_GRID_FT, cells: shots.map((s, i) => ({ x: s.locX!, y: s.locY!, p: scores[i]!.probability })) };
    },
  );

  app.get<{ Querystring: { search: string; limit?: number } }>(
    '/nba/players',
    {
      config: { access: 'free' },
      schema: {
        tags: ['nba'],
        summary: 'Players whose name contains the search text (exact matches first), with their latest team: the ids a shot’s playerId takes',
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['search'],
          properties: { search: { type: 'string', minLength: 2, maxLength: 60 }, limit: { type: 'integer', minimum: 1, maximum: 25, default: 10 } },
        },
        response: { 200: { type: 'object', required: ['players'], properties: { players: { type: 'array', items: PLAYER_SCHEMA } } } },
      },
    },
    async (request) => ({ players: await findNbaPlayers(store.db, request.query.search, request.query.limit ?? 10) }),
  );

  app.get(
    '/nba/teams',
    {
      config: { access: 'free' },
      schema: {
        tags: ['nba'],
        summary: 'Every team in the data: the ids a shot’s teamId and opponentTeamId take',
        response: { 200: { type: 'object', required: ['teams'], properties: { teams: { type: 'array', items: TEAM_SCHEMA } } } },
      },
    },
    async () => ({ teams: await listNbaTeams(store.db) }),
  );

  app.get(
    '/nba/shots/predictions/unverified',
    {
      config: { access: 'free' },
      schema: {
        tags: ['nba'],
        summary: 'A random prediction nobody has verified yet (another user’s when there is one), or null',
        response: { 200: { type: 'object', required: ['prediction'], properties: { prediction: { anyOf: [PREDICTION_SCHEMA, { type: 'null' }] } } } },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const prediction = (await service.randomUnverified({ excludeCreatedBy: principal.userId })) ?? (await service.randomUnverified());
      return { prediction: prediction ? predictionJson(prediction, principal.userId) : null };
    },
  );

  app.get<{ Params: { predictionId: string } }>(
    '/nba/shots/predictions/:predictionId',
    {
      config: { access: 'free' },
      schema: {
        tags: ['nba'],
        summary: 'One prediction with its verification trail (who said what, when: yours are marked)',
        params: PREDICTION_PARAMS,
        response: {
          200: {
            type: 'object',
            required: ['prediction', 'verifications'],
            properties: {
              prediction: PREDICTION_SCHEMA,
              verifications: {
                type: 'array',
                items: { type: 'object', required: ['byYou', 'made', 'at', 'replacedMade'], properties: { byYou: { type: 'boolean' }, made: { type: 'boolean' }, at: { type: 'string', format: 'date-time' }, replacedMade: nullable('boolean') } },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const prediction = await service.get(request.params.predictionId);
      const trail = await service.verifications(prediction.id);
      return { prediction: predictionJson(prediction, principal.userId), verifications: trail.map((v) => verificationJson(v, principal.userId)) };
    },
  );

  app.post<{ Params: { predictionId: string }; Body: { made: boolean } }>(
    '/nba/shots/predictions/:predictionId/verify',
    {
      config: { access: 'free' },
      schema: {
        tags: ['nba'],
        summary: 'Say whether the shot was made; your verdict is recorded (and may be changed), verified labels feed retraining',
        params: PREDICTION_PARAMS,
        body: { type: 'object', additionalProperties: false, required: ['made'], properties: { made: { type: 'boolean' } } },
        response: {
          200: { type: 'object', required: ['prediction', 'change'], properties: { prediction: PREDICTION_SCHEMA, change: { type: 'string', enum: ['recorded', 'updated', 'unchanged'] } } },
        },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const result = await service.verify(request.params.predictionId, principal.userId, request.body.made);
      request.log.info({ predictionId: request.params.predictionId, change: result.change }, 'nba prediction verified');
      return { prediction: predictionJson(result.prediction, principal.userId), change: result.change };
    },
  );
});
