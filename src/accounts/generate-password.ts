import { randomInt } from 'node:crypto';
import { passwordWeakness } from './password-policy.js';

// No look-alikes (0/O, 1/l/I) so a password read off a terminal is typed right the first time.
const ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random password of 4 dash-separated groups of 5 (about 117 bits), for admins created by Tipster. */
export function generatePassword(): string {
  for (;;) {
    const password = randomGroups();
    // Astronomically unlikely to fail, but a generated password must never break our own policy.
    if (passwordWeakness(password) === null) return password;
  }
}

function randomGroups(): string {
  const groups: string[] = [];
  for (let g = 0; g < 4; g++) {
    let group = '';
    for (let i = 0; i < 5; i++) group += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}
