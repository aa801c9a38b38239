import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PipelineRunRepository } from '../../src/pipelines/pipeline-run-repository.js';
import { listStoredSchedules, ScheduleTickRepository } from '../../src/pipelines/scheduler/schedule-tick-repository.js';
import { migrateStore } from '../../src/store/migrate-store.js';
import { openStore } from '../../src/store/open-store.js';
import { describePerBackend } from '../support/backends.js';
import { tipster } from '../support/cli-harness.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const WEEKLY_TASKS = ['ingest', 'prepare-datasets', 'backtest-candidates', 'register-best', 'promote-if-better', 'predict-upcoming'];

/** Weekday and wall-clock time of an instant in a zone, e.g. `Mon 06:00`. */
const localTime = (ms: number, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms).replace(',', '');

describePerBackend('tipster pipeline and tipster scheduler', (backend) => {
  // An empty data directory: football-weekly ingests nothing and fails fast at prepare-datasets,
  // which is exactly the failing run these commands must report.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tipster-pipeline-cli-'));
  let url: string;

  beforeAll(async () => {
    url = await backend.freshUrl();
    process.env.TIPSTER_DATABASE_URL = url;
    process.env.TIPSTER_DATA_DIR = dataDir;
    // These tests are about the commands; runs through `tipster worker` processes are tested in
    // test/pipelines/workers.integration.test.ts and by CI's football-weekly run on workers.
    process.env.TIPSTER_PIPELINE_EXECUTOR = 'in-process';
    const store = await openStore(url);
    await migrateStore(store);
    await store.close();
  });
  afterAll(async () => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    await backend.cleanup();
  });

  it('lists the built-in pipelines with tasks, schedule, next run in the schedule’s time zone, and no run yet', async () => {
    const before = Date.now();
    const result = await tipster('pipeline', 'list', '--json');
    expect(result.code, result.stderr).toBe(0);
    const listing = JSON.parse(result.stdout);
    const weekly = listing.find((p: { name: string }) => p.name === 'football-weekly');
    expect(weekly).toMatchObject({
      tasks: WEEKLY_TASKS,
      schedule: { cron: '0 6 * * 1', timezone: 'Europe/London' },
      lastRun: null,
      lastScheduleDecision: null,
    });
    expect(weekly.description).toContain('football-data');
    expect(weekly.schedule.nextFireAtMs).toBeGreaterThan(before);
    expect(weekly.schedule.nextFireAtMs - before).toBeLessThanOrEqual(7 * 86_400_000);
    expect(localTime(weekly.schedule.nextFireAtMs, 'Europe/London')).toBe('Mon 06:00');

    const table = await tipster('pipeline', 'list');
    expect(table.stdout).toMatch(/football-weekly\s+6\s+0 6 \* \* 1 \(Europe\/London\)\s+\d{4}-\d\d-\d\d 06:00 (GMT|BST)\s+-/);
    expect(table.stdout).toContain(`tasks: ${WEEKLY_TASKS.join(' → ')}`);
  });

  it('refuses unreadable parameters with exit 2 before touching the store, and unknown pipelines with exit 1', async () => {
    const badJson = await tipster('pipeline', 'run', 'football-weekly', '--param', 'leagues=["E0"');
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toContain('Invalid value for --param: leagues: ["E0" looks like JSON but is not valid');
    const noEquals = await tipster('pipeline', 'run', 'football-weekly', '--param', 'asOf');
    expect(noEquals.code).toBe(2);
    expect(noEquals.stderr).toContain('"asOf" should look like key=value');
    const notObject = await tipster('pipeline', 'run', 'football-weekly', '--params-json', '[1,2]');
    expect(notObject.code).toBe(2);
    expect(notObject.stderr).toContain('--params-json: expected a JSON object');
    const unknown = await tipster('pipeline', 'run', 'no-such-pipeline');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No pipeline named "no-such-pipeline" (known: football-weekly');
    expect(JSON.parse((await tipster('pipeline', 'runs', '--json')).stdout)).toEqual([]);
  });

  it('runs a pipeline with live task lines, exits 1 when it fails, and leaves a history to list and show', async () => {
    const text = await tipster('pipeline', 'run', 'football-weekly', '--param', 'asOf=2023-01-15');
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`Running football-weekly: ${WEEKLY_TASKS.join(' → ')}`);
    expect(text.stdout).toMatch(/✓ ingest/);
    expect(text.stdout).toMatch(/✗ prepare-datasets .*failed \(Nothing to train/);
    const [, runId] = /football-weekly run (\S+) failed/.exec(text.stderr) ?? [];
    expect(text.stderr).toContain(`tipster pipeline show ${runId} --logs`);

    const json = await tipster('pipeline', 'run', 'football-weekly', '--params-json', '{"asOf":"2023-01-15"}', '--param', 'predictDays=7', '--json');
    expect(json.code).toBe(1);
    const detail = JSON.parse(json.stdout);
    expect(detail).toMatchObject({ pipeline: 'football-weekly', status: 'failed', trigger: 'manual', params: { asOf: '2023-01-15', predictDays: 7 } });
    expect(json.stderr).toMatch(/✗ prepare-datasets/);

    const runs = JSON.parse((await tipster('pipeline', 'runs', '--pipeline', 'football-weekly', '--json')).stdout);
    expect(runs.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([
      [detail.id, 'failed'],
      [runId, 'failed'],
    ]);
    expect(JSON.parse((await tipster('pipeline', 'runs', '--status', 'succeeded', '--json')).stdout)).toEqual([]);
    expect(JSON.parse((await tipster('pipeline', 'runs', '--limit', '1', '--json')).stdout)).toHaveLength(1);
    const table = await tipster('pipeline', 'runs');
    expect(table.stdout).toMatch(new RegExp(`${runId}\\s+football-weekly\\s+failed\\s+manual`));
    for (const args of [['--limit', '0'], ['--status', 'done']]) {
      const bad = await tipster('pipeline', 'runs', ...args);
      expect(bad.code, args.join(' ')).toBe(2);
    }

    const shown = JSON.parse((await tipster('pipeline', 'show', runId!, '--json')).stdout);
    expect(shown.tasks.map((t: { task: string; status: string; attempt: number }) => [t.task, t.status, t.attempt])).toEqual([
      ['ingest', 'succeeded', 1],
      ['prepare-datasets', 'failed', 1],
      ...WEEKLY_TASKS.slice(2).map((task) => [task, 'upstream_failed', 0]),
    ]);
    expect(shown.tasks[0].logs).toBeUndefined();
    const withLogs = JSON.parse((await tipster('pipeline', 'show', runId!, '--logs', '--json')).stdout);
    expect(withLogs.tasks[0].logs).toEqual([expect.objectContaining({ level: 'warn', message: expect.stringContaining('nothing to ingest') })]);
    const showText = await tipster('pipeline', 'show', runId!, '--logs');
    expect(showText.stdout).toContain('status    failed');
    expect(showText.stdout).toMatch(/prepare-datasets\s+failed\s+1\s/);
    expect(showText.stdout).toMatch(/ingest#1 warn .*nothing to ingest/);
    const missing = await tipster('pipeline', 'show', 'no-such-run');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No pipeline run with id no-such-run');

    const listing = JSON.parse((await tipster('pipeline', 'list', '--json')).stdout);
    expect(listing.find((p: { name: string }) => p.name === 'football-weekly').lastRun).toMatchObject({ id: detail.id, status: 'failed', trigger: 'manual' });
  });

  it('shows what the scheduler last decided for a pipeline, and why', async () => {
    const store = await openStore(url);
    try {
      await new ScheduleTickRepository(store).record({
        pipeline: 'football-weekly',
        scheduledAtMs: Date.parse('2025-03-31T05:00:00Z'),
        decidedAtMs: Date.parse('2025-03-31T05:00:01Z'),
        decision: 'skipped_condition',
        reason: 'only 4 new results since the last training; at least 10 needed',
        runId: null,
        owner: 'sched-box:1',
      });
    } finally {
      await store.close();
    }
    const listing = JSON.parse((await tipster('pipeline', 'list', '--json')).stdout);
    expect(listing.find((p: { name: string }) => p.name === 'football-weekly').lastScheduleDecision).toMatchObject({
      decision: 'skipped_condition',
      reason: 'only 4 new results since the last training; at least 10 needed',
      owner: 'sched-box:1',
    });
    expect((await tipster('pipeline', 'list')).stdout).toContain(
      'last scheduled time 2025-03-31 05:00:00 UTC: skipped_condition (only 4 new results since the last training; at least 10 needed)',
    );
  });

  it('refuses to run a pipeline that is already running elsewhere, but first fails a run whose process went silent', async () => {
    const store = await openStore(url);
    try {
      const repository = new PipelineRunRepository(store);
      const live = '33333333-3333-4333-8333-333333333333';
      await repository.createRun({ id: live, pipeline: 'football-weekly', params: '{}', trigger: 'schedule', owner: 'other-box:77', atMs: Date.now(), tasks: WEEKLY_TASKS });
      await repository.startRun(live, Date.now());
      const refused = await tipster('pipeline', 'run', 'football-weekly');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`already has an active run (${live}, running)`);
      expect(refused.stderr).toContain(`tipster pipeline show ${live}`);

      // The same run, silent for ten minutes: its process is gone, so the next run recovers it first.
      await store.db.updateTable('pipeline_runs').set({ heartbeat_at_ms: Date.now() - 600_000 }).where('id', '=', live).execute();
      const recovered = await tipster('pipeline', 'run', 'football-weekly', '--json');
      expect(recovered.stderr).toContain(`Recovered interrupted football-weekly run ${live}: marked failed`);
      expect(JSON.parse(recovered.stdout).status).toBe('failed');
    } finally {
      await store.close();
    }
  });

  it('runs the scheduler in the foreground, storing next fire times, until SIGTERM stops it cleanly', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repo, 'test/support/run-cli.ts'), 'scheduler'], {
      cwd: repo,
      env: { ...process.env, TIPSTER_DATABASE_URL: url, TIPSTER_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('running. Ctrl-C')) resolve();
      });
      void exited.then(() => reject(new Error(`scheduler exited early: ${stderr}`)));
    });
    expect(stdout).toMatch(/football-weekly\s+0 6 \* \* 1\s+Europe\/London\s+\d{4}-\d\d-\d\d 06:00 (GMT|BST)/);
    child.kill('SIGTERM');
    expect(await exited, stderr).toBe(0);
    expect(stdout).toContain('SIGTERM: stopping.');
    expect(stdout).toContain('Scheduler stopped.');

    const store = await openStore(url);
    try {
      const stored = (await listStoredSchedules(store)).find((s) => s.pipeline === 'football-weekly');
      expect(stored).toMatchObject({ pipeline: 'football-weekly', cron: '0 6 * * 1', timezone: 'Europe/London' });
      expect(localTime(stored!.nextFireAtMs!, 'Europe/London')).toBe('Mon 06:00');
    } finally {
      await store.close();
    }
  });
});
