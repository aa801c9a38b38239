#!/usr/bin/env node
// Checks the model registry after `npm start` (and after further football-weekly runs) through the CLI.
// Usage: node .ci/check-registry.mjs <expected versions per model> [--same-as FILE] [--save FILE]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const [expectedVersions, ...rest] = process.argv.slice(2);
const option = (name) => (rest.includes(name) ? rest[rest.indexOf(name) + 1] : undefined);
const cli = (...args) => JSON.parse(execFileSync(process.execPath, ['bin/tipster.js', ...args], { encoding: 'utf8' }));
const fail = (message) => {
  console.error(`registry check failed: ${message}`);
  process.exit(1);
};

const models = cli('models', 'list', '--json').filter((m) => m.task === 'football-1x2');
const leagues = cli('status', '--json').seasons.map((s) => s.competition);
const expectedModels = [...new Set(leagues)].sort().map((l) => `football-1x2-${l}`);
if (JSON.stringify(models.map((m) => m.name)) !== JSON.stringify(expectedModels)) {
  fail(`expected one model per league ${expectedModels.join(', ')}, got ${models.map((m) => m.name).join(', ')}`);
}
const summary = {};
for (const model of models) {
  const versions = cli('models', 'versions', model.name, '--json');
  if (versions.length !== Number(expectedVersions)) fail(`${model.name} has ${versions.length} versions, expected ${expectedVersions}`);
  const production = versions.filter((v) => v.aliases.includes('production'));
  if (production.length !== 1 || production[0].version !== 1) fail(`${model.name}: production should stay on version 1, is on ${production.map((v) => v.version)}`);
  if (!(Number(production[0].tags.rps) > 0.18 && Number(production[0].tags.rps) < 0.225)) fail(`${model.name}: production RPS ${production[0].tags.rps} is implausible`);
  for (const v of versions.filter((v) => v.version > 1)) {
    if (v.tags.promotion !== 'rejected') fail(`${model.name} v${v.version}: a rerun on the same data must not be promoted (${v.tags.promotion}: ${v.tags.promotion_reason})`);
  }
  summary[model.name] = { predictor: production[0].tags.predictor, rps: production[0].tags.rps };
  console.log(`${model.name}: ${versions.length} version(s), production v1 ${production[0].tags.predictor} RPS ${production[0].tags.rps} (market ${production[0].tags.benchmark_rps})`);
}
const sameAs = option('--same-as');
if (sameAs) {
  const other = fs.readFileSync(sameAs, 'utf8');
  if (other !== JSON.stringify(summary)) fail(`production models differ from ${sameAs}:\n${other}\n${JSON.stringify(summary)}`);
  console.log(`same production models and scores as ${sameAs}`);
}
const save = option('--save');
if (save) fs.writeFileSync(save, JSON.stringify(summary));
