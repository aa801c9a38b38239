import os from 'node:os';
import type { Readable } from 'node:stream';
import { Command } from 'commander';
import { generatePassword } from '../../accounts/generate-password.js';
import { formatMoneyAmount } from '../../accounts/money.js';
import { createPasswordHasher } from '../../accounts/password-hasher.js';
import { isRole, ROLES, type Role } from '../../accounts/roles.js';
import { UserAdministration } from '../../accounts/user-administration.js';
import { TipsterError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import { println, withStore, type CliContext } from '../cli-context.js';
import type { CommandRunner } from '../command-runner.js';
import { formatTable } from '../format-table.js';

/** Who a CLI action is recorded as in the audit trail. */
function cliActor() {
  return { userId: null, name: `cli:${os.userInfo().username}` };
}

/** User administration straight on the store (no HTTP, no tokens). */
function administrationFor(store: Store): UserAdministration {
  // No session cache to clear here: a running server sees the change within its session-check interval.
  return new UserAdministration(store, { hasher: createPasswordHasher(), now: Date.now, onChange: () => undefined });
}

/** The first line of a stream (a password piped in), without its line ending. */
async function readFirstLine(stream: Readable): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

/** `tipster users …`: accounts from the command line (the first admin, listings). */
export function usersCommand(context: CliContext, run: CommandRunner, stdin: Readable = process.stdin): Command {
  const users = new Command('users').description('User accounts: create an administrator, list users');
  users
    .command('create-admin')
    .description('Create an administrator. Without --password-stdin a strong password is generated and printed once.')
    .requiredOption('--username <name>', 'the new admin’s username (3–32 letters, digits, . _ -)')
    .option('--password-stdin', 'read the password from the first line of standard input (e.g. from a secrets manager)')
    .action((options: { username: string; passwordStdin?: boolean }) =>
      run(async () => {
        const generated = options.passwordStdin ? undefined : generatePassword();
        const password = generated ?? (await readFirstLine(stdin));
        if (password === '') {
          throw new TipsterError('TIPSTER_ERR_CLI_INVALID_ARGUMENT', { option: '--password-stdin', reason: 'standard input was empty' });
        }
        const user = await withStore(context, (store) => administrationFor(store).createAdmin(cliActor(), { username: options.username, password }));
        println(context.stdout, `Created administrator "${user.username}" (id ${user.id}).`);
        if (generated !== undefined) {
          println(context.stdout, `Password (shown only this once, store it now): ${generated}`);
          println(context.stdout, 'Change it after signing in with POST /api/v1/me/password.');
        }
        return 0;
      }),
    );
  users
    .command('list')
    .description('Users by id, with role, bankroll and risk level')
    .option('--role <role>', `only this role (${ROLES.join(', ')})`)
    .option('--json', 'print as JSON')
    .action((options: { role?: string; json?: boolean }) =>
      run(async () => {
        if (options.role !== undefined && !isRole(options.role)) {
          throw new TipsterError('TIPSTER_ERR_CLI_INVALID_ARGUMENT', { option: '--role', reason: `"${options.role}" is not one of ${ROLES.join(', ')}` });
        }
        const role = options.role as Role | undefined;
        const listing = await withStore(context, async (store) => {
          const admin = administrationFor(store);
          const all = [];
          let pageToken: string | undefined;
          do {
            const page = await admin.listUsers({ limit: 500, ...(role ? { role } : {}), ...(pageToken ? { pageToken } : {}) });
            all.push(...page.users);
            pageToken = page.nextPageToken ?? undefined;
          } while (pageToken !== undefined);
          return all;
        });
        if (options.json) println(context.stdout, JSON.stringify(listing, null, 2));
        else if (listing.length === 0) println(context.stdout, 'No users yet. Create an administrator with `tipster users create-admin --username NAME`.');
        else
          println(
            context.stdout,
            formatTable(listing, [
              { header: 'id', value: (u) => u.id, align: 'right' },
              { header: 'username', value: (u) => u.username },
              { header: 'role', value: (u) => u.role },
              { header: 'bankroll', value: (u) => `${formatMoneyAmount(u.bankroll)} ${u.bankroll.currency}`, align: 'right' },
              { header: 'risk', value: (u) => u.riskLevel },
              { header: 'disabled', value: (u) => (u.disabled ? 'yes' : '') },
            ]),
          );
        return 0;
      }),
    );
  return users;
}
