import { TipsterError } from '../core/errors.js';
import { COMMON_PASSWORDS } from './common-passwords.js';
import { usernameKey } from './username.js';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

const common: ReadonlySet<string> = new Set(COMMON_PASSWORDS.map((p) => p.toLowerCase()));

// Keys next to each other on a keyboard, along rows and down columns ("1qaz").
const KEYBOARD_LINES = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', '1qaz', '2wsx', '3edc', '4rfv', '5tgb', '6yhn', '7ujm', '8ik', '9ol', '0p'];
const LEET: Readonly<Record<string, string>> = { '@': 'a', '4': 'a', '3': 'e', '1': 'i', '!': 'i', '0': 'o', '$': 's', '5': 's', '7': 't', '+': 't' };

function isStep(a: string, b: string): boolean {
  if (a === b || Math.abs(a.charCodeAt(0) - b.charCodeAt(0)) === 1) return true;
  for (const line of KEYBOARD_LINES) {
    const i = line.indexOf(a);
    if (i >= 0 && (line[i + 1] === b || line[i - 1] === b)) return true;
  }
  return false;
}

/** Mostly repeats, alphabet runs and keyboard walks ("abcdefgh", "qwertyuiop", "1qaz2wsx3edc"). */
function isSequence(lower: string): boolean {
  let breaks = 0;
  for (let i = 1; i < lower.length; i++) if (!isStep(lower[i - 1]!, lower[i]!)) breaks++;
  return breaks <= Math.floor((lower.length - 1) / 4);
}

function deLeet(text: string): string {
  return text.replace(/[@43!10$57+]/g, (c) => LEET[c] ?? c);
}

/** A common password, or one repeated ("passwordpassword"). */
function isCommonOrRepeated(candidate: string): boolean {
  if (candidate.length === 0) return false;
  if (common.has(candidate)) return true;
  for (let size = 3; size <= candidate.length / 2; size++) {
    if (candidate.length % size === 0 && common.has(candidate.slice(0, size)) && candidate === candidate.slice(0, size).repeat(candidate.length / size)) {
      return true;
    }
  }
  return false;
}

/**
 * Why `password` is too weak, or null when it passes. Length first (the best predictor of strength),
 * then what guessing tools try first: common passwords with digits/symbols/l33t added, repeats,
 * alphabet and keyboard runs, and the username itself. No rules about "one uppercase, one symbol":
 * they make passwords harder to remember without making them harder to guess.
 */
export function passwordWeakness(password: string, context: { readonly username?: string } = {}): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `it has ${length} characters; at least ${PASSWORD_MIN_LENGTH} are needed`;
  if (length > PASSWORD_MAX_LENGTH) return `it has ${length} characters; at most ${PASSWORD_MAX_LENGTH} are accepted`;
  if (new Set(password).size < 5) return 'it uses fewer than 5 different characters';
  const lower = password.toLowerCase().replace(/\s+/g, '');
  if (context.username !== undefined && context.username.length >= 3 && lower.includes(usernameKey(context.username))) {
    return 'it contains the username';
  }
  const trimmed = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
  const lettersOnly = deLeet(lower).replace(/[^a-z]/g, '');
  const candidates = [lower, deLeet(lower), trimmed, deLeet(trimmed), lettersOnly];
  if (candidates.some(isCommonOrRepeated)) return 'it is a commonly used password, or one with only digits, symbols or look-alike letters added';
  if (isSequence(lower)) return 'it is mostly a keyboard, alphabet or number sequence';
  return null;
}

/** Throws TIPSTER_ERR_AUTH_PASSWORD_WEAK with a helpful reason unless the password passes the policy. */
export function assertStrongPassword(password: string, context: { readonly username?: string } = {}): void {
  const reason = passwordWeakness(password, context);
  if (reason !== null) throw new TipsterError('TIPSTER_ERR_AUTH_PASSWORD_WEAK', { reason });
}
