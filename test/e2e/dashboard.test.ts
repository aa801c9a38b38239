import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eServer, type E2eServer } from './e2e-server.js';

const CHROMIUM = process.env.TIPSTER_E2E_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOTS = path.resolve('test-output/screenshots');
const PASSWORD = 'violet kettle marching northward';
const present = fs.existsSync(CHROMIUM);
if (!present && process.env.CI) throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium`);
if (!present) console.warn(`Skipping the end-to-end suite: ${CHROMIUM} is not installed (apt-get install chromium).`);

describe.skipIf(!present)('dashboard in Chromium against tipster start', () => {
  let server: E2eServer;
  let browser: Browser;
  let adminToken: string;

  const api = async <T>(method: string, url: string, body?: unknown, token = adminToken): Promise<{ status: number; json: T }> => {
    const response = await fetch(`${server.url}/api/v1${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: (text ? JSON.parse(text) : null) as T };
  };
  const shot = async (page: Page, name: string) => {
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  };
  const newPage = async (width = 1366, height = 900) => {
    const page = await browser.newPage({ viewport: { width, height } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 40[134]/.test(m.text())) errors.push(m.text());
    });
    return { page, errors };
  };
  const logIn = async (page: Page, username: string, password: string) => {
    await page.goto(`${server.url}/#/login`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: /My account/ }).waitFor();
  };

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startE2eServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: server.adminPassword }) });
    adminToken = ((await login.json()) as { accessToken: string }).accessToken;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('serves the bundle with caching headers and a strict content security policy', async () => {
    const index = await fetch(`${server.url}/`);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await index.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const js = await fetch(`${server.url}${asset}`);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('sign up → log out → log in → value bets → record a bet → my bets', async () => {
    const { page, errors } = await newPage();
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await shot(page, '01-login');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('Username').fill('bettor');
    await page.locator('input[name=password]').fill(PASSWORD);
    await page.getByLabel('Starting bankroll').fill('2000.00');
    await shot(page, '02-signup');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByTestId('fixture').first().waitFor();
    await expect(page.getByText('A premium feature')).toBeTruthy();

    // Value bets are premium: the administrator upgrades the new account, which takes effect at once.
    const users = await api<{ users: { id: number; username: string }[] }>('GET', '/admin/users?username=bettor');
    expect((await api('PATCH', `/admin/users/${users.json.users[0]!.id}`, { role: 'premium', reason: 'e2e' })).status).toBe(200);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await logIn(page, 'bettor', PASSWORD);

    const bet = page.getByTestId('value-bet').first();
    await bet.waitFor({ timeout: 60_000 });
    expect(await bet.textContent()).toMatch(/edge \d/);
    await shot(page, '03-fixtures-value-bets');
    await bet.getByRole('button', { name: 'Record bet' }).click();
    await page.getByText(/Bet #\d+ recorded/).waitFor();

    await page.getByRole('link', { name: 'My bets' }).click();
    await page.getByTestId('bet-row').first().waitFor();
    await page.getByText('Bankroll after each stake and return').waitFor({ state: 'attached' });
    await shot(page, '04-my-bets');

    await page.getByRole('link', { name: 'Predictor' }).click();
    await page.getByRole('button', { name: 'Predict' }).click();
    await page.getByRole('heading', { name: 'Asian handicap' }).waitFor();
    await shot(page, '05-predictor');

    await page.getByRole('link', { name: /My account/ }).click();
    await page.getByRole('heading', { name: 'My account' }).waitFor();
    await shot(page, '06-account');

    // A phone-width look at the fixtures page.
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await phone.goto(`${server.url}/#/login`);
    await logIn(phone, 'bettor', PASSWORD).catch(async () => {
      await phone.getByRole('button', { name: 'Menu' }).waitFor();
    });
    await phone.getByTestId('fixture').first().waitFor();
    await shot(phone, '07-fixtures-phone');
    await phone.close();
    expect(errors).toEqual([]);
  });

  it('admin promotes a model version, rolls back, and triggers a pipeline whose tasks finish', async () => {
    const { page, errors } = await newPage();
    await logIn(page, 'admin', server.adminPassword);
    await page.getByRole('link', { name: 'Models' }).click();
    await page.getByTestId('model-row').first().waitFor();
    await shot(page, '08-models');
    await page.getByRole('link', { name: 'football-1x2-E0' }).click();
    const promote = page.getByRole('button', { name: /^Promote v\d+$/ }).first();
    await promote.waitFor();
    const label = (await promote.textContent())!;
    await promote.click();
    await page.getByText(`${label.replace('Promote ', '')} is now production`).waitFor();
    const models = await api<{ models: { name: string; aliases: Record<string, number> }[] }>('GET', '/models');
    expect(`v${models.json.models.find((m) => m.name === 'football-1x2-E0')!.aliases.production}`).toBe(label.replace('Promote ', ''));
    await page.frameLocator('iframe.report').locator('svg').first().waitFor();
    await shot(page, '09-model-promoted');
    await page.getByRole('button', { name: 'Roll back production' }).click();
    await page.getByText(/production rolled back to v\d+/).waitFor();

    await page.getByRole('link', { name: 'Pipelines' }).click();
    await page.getByRole('button', { name: 'Run worker-drill now' }).click();
    await page.getByRole('heading', { name: /worker-drill/ }).waitFor();
    await page.locator('[data-testid="task"][data-status="succeeded"]').nth(4).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: /\ba\b.*log lines/ }).click();
    await page.getByLabel('Logs of a').waitFor();
    await shot(page, '10-pipeline-run');
    await page.getByRole('link', { name: '← Pipelines' }).click();
    await page.getByText('Recent runs').waitFor();
    await shot(page, '11-pipelines');

    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByTestId('user-row').first().waitFor();
    await shot(page, '12-admin-users');
    await page.getByRole('link', { name: 'System' }).click();
    await page.getByText('uptime', { exact: false }).waitFor();
    await shot(page, '13-system');
    expect(errors).toEqual([]);
  });

  it('NBA: predict a shot on the court and verify one from the queue', async () => {
    const { page, errors } = await newPage();
    await logIn(page, 'bettor', PASSWORD);
    await page.getByRole('link', { name: 'NBA', exact: true }).click();
    await page.locator('svg.court rect').nth(100).waitFor();
    await page.getByLabel('x (ft, left +)').fill('0');
    await page.getByLabel('y (ft from baseline)').fill('6');
    await page.getByLabel('Action').selectOption('Driving Layup Shot');
    // Who shoots and against whom: a name is looked up as it is typed.
    await page.getByLabel('Shooter').fill('LeBron James');
    await page.getByLabel('Against').selectOption({ label: 'Denver Nuggets' });
    await page.getByRole('button', { name: 'Predict', exact: true }).click();
    await page.getByTestId('nba-prediction').first().waitFor();
    const predicted = await page.getByTestId('nba-prediction').first().textContent();
    expect(predicted).toMatch(/\d+\.\d% make · LeBron James, 2PT Field Goal/);
    expect(predicted).toMatch(/vs DEN/);
    await page.getByTestId('verify-item').waitFor();
    await shot(page, '14-nba');
    await page.getByRole('button', { name: 'Made it' }).click();
    await page.getByText(/Recorded: made/).waitFor();
    expect(errors).toEqual([]);
  });

  it('live centre: the win probability moves when a goal arrives over SSE', async () => {
    const probe = await api('GET', '/live/matches');
    if (probe.status === 404) {
      console.warn('Skipping the live check: this server has no /api/v1/live routes yet.');
      return;
    }
    const base = { matchId: 'e2e-derby', homeTeam: 'Arsenal', awayTeam: 'Chelsea', period: 1, second: 0 };
    const event = (index: number, minute: number, type: string, team: string, extra: object = {}) => ({ ...base, id: `e2e-${index}`, index, minute, type, team, ...extra });
    const sent = await api('POST', '/live/events', { events: [event(1, 0, 'Half Start', 'Arsenal'), event(2, 10, 'Pass', 'Arsenal'), event(3, 20, 'Pass', 'Chelsea')] });
    expect(sent.status).toBe(202);

    const { page, errors } = await newPage();
    await logIn(page, 'bettor', PASSWORD);
    await page.getByRole('link', { name: 'Live' }).click();
    await page.getByTestId('live-match').first().waitFor({ timeout: 30_000 });
    await shot(page, '15-live-list');
    await page.getByTestId('live-match').filter({ hasText: 'Arsenal' }).click();
    await page.getByText('● live stream').waitFor({ timeout: 30_000 });
    const before = Number(await page.getByTestId('live-probability').getAttribute('data-home'));

    await api('POST', '/live/events', { events: [event(4, 30, 'Shot', 'Arsenal', { player: 'Saka', shot: { outcome: 'Goal', xg: 0.4 } })] });
    await page.getByTestId('score').filter({ hasText: '1 – 0' }).waitFor({ timeout: 30_000 });
    const after = Number(await page.getByTestId('live-probability').getAttribute('data-home'));
    expect(after).toBeGreaterThan(before + 0.05);
    await shot(page, '16-live-match');
    expect(errors).toEqual([]);
  });
});
