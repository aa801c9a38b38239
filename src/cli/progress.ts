import cliProgress from 'cli-progress';
import type { FileLoadReport, LoadProgress } from '../ingest/football-data/load-football-data.js';
import { println, type CliContext } from './cli-context.js';

/** One line describing what a file load did. */
export function describeFileReport(report: FileLoadReport): string {
  const w = report.written;
  switch (report.status) {
    case 'loaded':
      return (
        `${report.records} matches (${w!.matches.inserted} new, ${w!.matches.updated} updated), ` +
        `${w!.odds.inserted.toLocaleString('en-GB')} new odds, ${w!.odds.updated.toLocaleString('en-GB')} updated` +
        (report.skippedRows > 0 ? `, ${report.skippedRows} bad row(s) skipped` : '')
      );
    case 'unchanged':
      return 'unchanged since last load (skipped; --force reloads)';
    default:
      return `${report.status}: ${report.error?.message ?? 'unknown error'}`;
  }
}

/**
 * Progress for a multi-file load: a live bar on a terminal; one line per file otherwise (CI, pipes),
 * so logs stay readable. Returns the event handler and a function to close the bar.
 */
export function fileLoadProgress(context: CliContext, title: string): { onProgress: (e: LoadProgress) => void; stop: () => void } {
  const stream = context.stderr;
  if (!stream.isTTY) {
    return {
      onProgress: (event) => {
        if (event.type !== 'file-done') return;
        const width = String(event.total).length;
        println(
          stream,
          `[${String(event.index + 1).padStart(width)}/${event.total}] ${event.report.source.label}: ${describeFileReport(event.report)}`,
        );
      },
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: `${title} |{bar}| {value}/{total} files | {matches} matches | {file}`,
      barCompleteChar: '\u2588',
      barIncompleteChar: '\u2591',
      hideCursor: true,
      clearOnComplete: false,
      stream: stream as NodeJS.WriteStream,
    },
    cliProgress.Presets.shades_classic,
  );
  let matches = 0;
  return {
    onProgress: (event) => {
      if (event.type === 'file-start') {
        if (event.index === 0) bar.start(event.total, 0, { matches: 0, file: event.source.label });
        else bar.update({ file: event.source.label });
      } else {
        matches += event.report.records;
        bar.update(event.index + 1, { matches: matches.toLocaleString('en-GB') });
      }
    },
    stop: () => bar.stop(),
  };
}
