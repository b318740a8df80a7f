import { BatchBuilder, type SerializedRecord } from "./prediction-batch.ts";

export interface RecordBufferOptions {
  /** Records per request. */
  batchSize: number;
  maxRequestBytes: number;
  /** The longest a record waits in an unfilled batch before the batch is sent anyway. */
  flushIntervalMs: number;
  /** The most records held at once, waiting or in flight; past it, {@link RecordBuffer.add} waits. */
  maxBufferedRecords: number;
  /** Sends one batch and reports what it could not store itself: it must not reject. */
  send(batch: SerializedRecord[]): Promise<void>;
}

/**
 * Holds records until they fill a batch or the oldest has waited `flushIntervalMs`, and sends the
 * batches one request at a time, in the order the records came. It holds at most
 * `maxBufferedRecords`: when that many wait or are in flight, `add` waits for a batch to finish
 * rather than let memory grow while the API is slow or down; a waiting record is let in, in turn, as
 * soon as there is room.
 */
export class RecordBuffer {
  private readonly batch: BatchBuilder<SerializedRecord>;
  /** Batches complete and waiting for the one in flight. */
  private readonly ready: SerializedRecord[][] = [];
  private sending = false;
  /** Records added (let in) so far, and of those, records whose batch has finished. */
  private admitted = 0;
  private finished = 0;
  private readonly waiting: Array<{ record: SerializedRecord; admit: () => void }> = [];
  private readonly flushes: Array<{ through: number; done: () => void }> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: RecordBufferOptions) {
    this.batch = new BatchBuilder(options.batchSize, options.maxRequestBytes);
  }

  /** Records in the open batch, in `ready` and in flight. */
  private get held(): number {
    return this.admitted - this.finished;
  }

  /** Buffers a record; resolves once it is in, which may wait for room (see the class). */
  add(record: SerializedRecord): Promise<void> {
    if (this.waiting.length === 0 && this.held < this.options.maxBufferedRecords) {
      this.admit(record);
      this.pump();
      return Promise.resolve();
    }
    return new Promise((admit) => {
      this.waiting.push({ record, admit });
      this.pump();
    });
  }

  /** Sends every record added or waiting to be, and resolves when their batches have finished. */
  flush(): Promise<void> {
    const through = this.admitted + this.waiting.length;
    if (this.finished >= through) return Promise.resolve();
    return new Promise((done) => {
      this.flushes.push({ through, done });
      this.pump();
    });
  }

  private admit(record: SerializedRecord): void {
    if (!this.batch.accepts(record)) this.closeBatch();
    if (this.batch.size === 0) {
      this.timer = setTimeout(() => {
        this.closeBatch();
        this.pump();
      }, this.options.flushIntervalMs);
      // A timer alone must not keep the process alive: close() sends what is left.
      this.timer.unref();
    }
    this.batch.add(record);
    this.admitted++;
    if (this.batch.full) this.closeBatch();
  }

  private closeBatch(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.batch.size > 0) this.ready.push(this.batch.take());
  }

  /**
   * Starts the next request when none is in flight. An unfilled batch goes at once, not at its timer,
   * when someone waits for it: a flush, or records waiting for room that only its sending can free.
   */
  private pump(): void {
    if (this.sending) return;
    if (this.ready.length === 0 && (this.flushes.length > 0 || this.waiting.length > 0)) this.closeBatch();
    const batch = this.ready.shift();
    if (!batch) return;
    this.sending = true;
    const finish = () => this.finish(batch.length);
    this.options.send(batch).then(finish, finish);
  }

  private finish(records: number): void {
    this.sending = false;
    this.finished += records;
    while (this.waiting.length > 0 && this.held < this.options.maxBufferedRecords) {
      const { record, admit } = this.waiting.shift() as { record: SerializedRecord; admit: () => void };
      this.admit(record);
      admit();
    }
    while (this.flushes.length > 0 && (this.flushes[0]?.through ?? 0) <= this.finished) {
      this.flushes.shift()?.done();
    }
    this.pump();
  }
}
