/**
 * Says loudly, once per run, whether the PostgreSQL half of the store suites runs. In CI it must:
 * a missing server there is a failure, not a skip.
 */
export default function setup(): void {
  const url = process.env.TIPSTER_TEST_POSTGRES_URL;
  if (url) {
    process.stdout.write('\n[tipster] store suites run on SQLite AND PostgreSQL (TIPSTER_TEST_POSTGRES_URL is set)\n\n');
    return;
  }
  if (process.env.CI === 'true') {
    throw new Error('CI=true but TIPSTER_TEST_POSTGRES_URL is not set: .ci/run must start PostgreSQL and export it');
  }
  process.stdout.write(
    '\n[tipster] PostgreSQL half NOT RUN: only SQLite was tested. Set TIPSTER_TEST_POSTGRES_URL=postgres://user:pass@host:5432/db ' +
      '(a role allowed to CREATE DATABASE) to run it; .ci/run does.\n\n',
  );
}
