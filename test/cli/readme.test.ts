import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../../src/core/config.js';

describe('README', () => {
  const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

  it('documents every configuration variable with its default', () => {
    for (const variable of CONFIG_VARIABLES) {
      expect(readme).toContain(`| \`${variable.name}\` | \`${variable.defaultValue}\` |`);
    }
  });

  it('keeps the two-command quick start', () => {
    expect(readme).toMatch(/npm install[^\n]*\nnpm start/);
  });
});
