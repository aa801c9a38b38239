// Runs the CLI from source (through tsx) so process-level tests never depend on a stale dist/.
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv);
