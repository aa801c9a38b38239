import { describe, expect, it } from 'vitest';
import { isTipsterError } from '../core/errors.js';
import { definePipeline, type TaskDefinition } from './define-pipeline.js';

const noop = async () => null;
const task = (name: string, dependsOn: string[] = [], extra: Partial<TaskDefinition> = {}): TaskDefinition => ({
  name,
  dependsOn,
  run: noop,
  ...extra,
});

function definitionError(tasks: TaskDefinition[]): Error {
  try {
    definePipeline({ name: 'weekly', description: 'test', tasks });
  } catch (error) {
    expect(isTipsterError(error, 'TIPSTER_ERR_PIPELINE_DEFINITION_INVALID')).toBe(true);
    return error as Error;
  }
  throw new Error('definePipeline accepted an invalid definition');
}

describe('definePipeline', () => {
  it('orders a diamond so every task comes after all it depends on, keeping definition order among equals', () => {
    const pipeline = definePipeline({
      name: 'weekly',
      description: 'diamond',
      tasks: [task('report', ['train', 'features']), task('train', ['ingest']), task('features', ['ingest']), task('ingest')],
    });
    expect(pipeline.tasks.map((t) => t.name)).toEqual(['ingest', 'train', 'features', 'report']);
    expect(pipeline.taskByName.get('ingest')!.dependents).toEqual(['train', 'features']);
  });

  it('fills in defaults: no retries, 1 s backoff, no timeout', () => {
    const [only] = definePipeline({ name: 'p', description: '', tasks: [task('a')] }).tasks;
    expect(only).toMatchObject({ retries: 0, retryBackoffMs: 1000, timeoutMs: null, dependsOn: [] });
  });

  it('names the task that depends on an unknown task', () => {
    expect(definitionError([task('a'), task('b', ['missing'])]).message).toBe(
      'Pipeline "weekly" is invalid: task "b" depends on unknown task "missing"',
    );
  });

  it('names a task defined twice', () => {
    expect(definitionError([task('a'), task('a')]).message).toContain('task "a" is defined twice');
  });

  it('names the tasks of a cycle in order', () => {
    const error = definitionError([task('start'), task('a', ['start', 'c']), task('b', ['a']), task('c', ['b'])]);
    expect(error.message).toMatch(/tasks form a cycle: (a → c → b → a|b → a → c → b|c → b → a → c)/);
  });

  it('rejects a task that depends on itself, and an empty pipeline', () => {
    expect(definitionError([task('a', ['a'])]).message).toContain('task "a" depends on itself');
    expect(definitionError([]).message).toContain('it has no tasks');
  });

  it('rejects impossible retry and timeout options, naming the task', () => {
    expect(definitionError([task('fit', [], { retries: 1.5 })]).message).toContain('task "fit": retries');
    expect(definitionError([task('fit', [], { retryBackoffMs: -1 })]).message).toContain('task "fit": retryBackoffMs');
    expect(definitionError([task('fit', [], { timeoutMs: 0 })]).message).toContain('task "fit": timeoutMs');
  });
});
