import { TipsterError } from '../core/errors.js';

const invalid = (option: string, reason: string) => new TipsterError('TIPSTER_ERR_CLI_INVALID_ARGUMENT', { option, reason });

/**
 * Turns `--params-json '{…}'` and repeated `--param key=value` into one JSON object of run
 * parameters. A value that reads as JSON becomes that value (`2223` a number, `true` a boolean,
 * `["E0","SP1"]` an array); anything else stays text (`E0`). A value that starts like a JSON
 * object, array or string but does not parse is refused rather than passed on as text.
 */
export function parsePipelineParams(pairs: readonly string[], paramsJson: string | undefined): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  if (paramsJson !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(paramsJson);
    } catch (error) {
      throw invalid('--params-json', `not valid JSON (${(error as Error).message})`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw invalid('--params-json', `expected a JSON object such as '{"league":"E0"}', got ${paramsJson}`);
    }
    Object.assign(params, parsed);
  }
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const key = at < 0 ? '' : pair.slice(0, at).trim();
    if (key === '') throw invalid('--param', `"${pair}" should look like key=value`);
    if (Object.hasOwn(params, key)) throw invalid('--param', `"${key}" is given more than once`);
    params[key] = parseValue(key, pair.slice(at + 1));
  }
  return params;
}

function parseValue(key: string, text: string): unknown {
  const trimmed = text.trim();
  try {
    return JSON.parse(trimmed) as unknown;
  } catch (error) {
    if (/^[[{"]/.test(trimmed)) throw invalid('--param', `${key}: ${trimmed} looks like JSON but is not valid (${(error as Error).message})`);
    return text;
  }
}
