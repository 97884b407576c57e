/**
 * The replay's master clock: a position on the recording's timeline (ms) that
 * moves at `rate` while playing. The player re-anchors it on the leading media
 * element every tick (`follow`), so the clock is the media's time whenever a
 * track covers the playhead and wall time across gaps. `now` is injected.
 */
export class ReplayClock {
  #at = 0;
  #since: number;
  #playing = false;
  #rate = 1;
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
    this.#since = now();
  }

  get playing(): boolean {
    return this.#playing;
  }

  get rate(): number {
    return this.#rate;
  }

  /** The position now, ms. */
  get ms(): number {
    return this.#playing ? this.#at + (this.#now() - this.#since) * this.#rate : this.#at;
  }

  play(): void {
    if (this.#playing) return;
    this.#anchor(this.#at);
    this.#playing = true;
  }

  pause(): void {
    if (!this.#playing) return;
    this.#anchor(this.ms);
    this.#playing = false;
  }

  /** Jumps to `ms` (playing or not). */
  seek(ms: number): void {
    this.#anchor(Math.max(0, ms));
  }

  /** Same as `seek`, named for the tick that copies the leading element's time. */
  follow(ms: number): void {
    this.#anchor(Math.max(0, ms));
  }

  setRate(rate: number): void {
    this.#anchor(this.ms);
    this.#rate = rate;
  }

  #anchor(ms: number): void {
    this.#at = ms;
    this.#since = this.#now();
  }
}
