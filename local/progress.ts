// Progress of `dwh run` on stderr: a line per state as it ends, and the loads' files and rows (a progress
// bar on a terminal, a line per finished COPY otherwise). stdout stays free for the result.
import cliProgress from 'cli-progress';
import type { StateRecord } from './runner';
import type { CopyProgress } from './warehouse';

const MARKS: Record<StateRecord['status'], string> = { SUCCEEDED: '✔', CAUGHT: '✖', FAILED: '✖' };

export interface ProgressReporter {
  onState(state: StateRecord): void;
  onProgress(progress: CopyProgress): void;
  stop(): void;
}

/** A reporter writing to `stream`, with a live bar when it is a terminal. */
export function progressReporter(stream: NodeJS.WriteStream): ProgressReporter {
  let bar: cliProgress.SingleBar | undefined;
  let table: string | undefined;
  const stopBar = () => {
    bar?.stop();
    bar = undefined;
    table = undefined;
  };
  return {
    onState(state) {
      stopBar();
      stream.write(`  ${MARKS[state.status]} ${state.name.padEnd(28)} ${state.status.padEnd(9)} ${String(state.ms).padStart(7)} ms\n`);
    },
    onProgress(progress) {
      const done = progress.filesDone === progress.filesTotal;
      if (!stream.isTTY) {
        if (done) stream.write(`    COPY ${progress.table}: ${progress.filesTotal} files, ${progress.rows} rows\n`);
        return;
      }
      if (table !== progress.table) {
        stopBar();
        table = progress.table;
        bar = new cliProgress.SingleBar(
          { stream, format: `    COPY ${progress.table} [{bar}] {value}/{total} files, {rows} rows`, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(progress.filesTotal, 0, { rows: 0 });
      }
      bar?.update(progress.filesDone, { rows: progress.rows });
      if (done) stopBar();
    },
    stop: stopBar,
  };
}
