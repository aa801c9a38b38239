import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';

/** Collects what a command writes. */
export class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** Runs `tipster …` in-process with captured output; the environment is the test's. */
export async function tipster(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(['node', 'tipster', ...args], { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
