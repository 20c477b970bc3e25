// When to try again after the connection is lost: exponential backoff with jitter.
//
// How it works: after a loss the first attempt waits about 0.5 s, each failed attempt doubles
// the wait up to 30 s, and every wait is spread by ±30 % so that thousands of clients dropped
// by one server restart do not all knock at the same instant. A successful `welcome` resets
// the count. The wait is cut short (an attempt at once) when the browser says the network is
// back (`online`), when the page becomes visible again (a phone woken up), or when the person
// presses "Se reconnecter". While the browser says it is offline, no attempt is made: the next
// one starts with the `online` event. A countdown is reported every second for the banner.

export const BACKOFF = Object.freeze({ baseMs: 500, maxMs: 30000, jitter: 0.3 });

/** The wait before attempt number `attempt` (0 for the first), in milliseconds. */
export function backoffDelayMs(attempt, { baseMs, maxMs, jitter } = BACKOFF, random = Math.random) {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  const spread = 1 - jitter + 2 * jitter * random();
  return Math.round(Math.min(maxMs, raw * spread));
}

export class Reconnector {
  #attempt; // () => void: open a new connection
  #onCountdown; // (secondsLeft | null) => void: null while an attempt is under way or when idle
  #failures = 0;
  #timer = null;
  #ticker = null;
  #dueAt = 0;
  #isActive = false; // a connection was lost and not yet welcomed back
  #isWaitingForNetwork = false;

  /** attempt(): start a connection; onCountdown(seconds | null): for the banner. */
  constructor({ attempt, onCountdown }, win = window, doc = document) {
    this.#attempt = attempt;
    this.#onCountdown = onCountdown;
    this.win = win;
    win.addEventListener("online", () => this.#soon());
    doc.addEventListener("visibilitychange", () => {
      if (doc.visibilityState === "visible") this.#soon();
    });
  }

  get isActive() {
    return this.#isActive;
  }

  get isWaitingForNetwork() {
    return this.#isWaitingForNetwork;
  }

  /** The connection was lost, or an attempt failed: plan the next attempt. */
  lost() {
    this.#isActive = true;
    this.#clear();
    if (this.win.navigator && this.win.navigator.onLine === false) {
      // No network at all: wait for the browser's `online` rather than knocking in vain.
      this.#isWaitingForNetwork = true;
      this.#onCountdown(null);
      return;
    }
    this.#isWaitingForNetwork = false;
    const delayMs = backoffDelayMs(this.#failures);
    this.#failures += 1;
    this.#dueAt = Date.now() + delayMs;
    this.#timer = setTimeout(() => this.now(), delayMs);
    this.#tick();
    this.#ticker = setInterval(() => this.#tick(), 1000);
  }

  /** Try at once (the person's button, the network back, the page shown again). */
  now() {
    if (!this.#isActive) return;
    this.#clear();
    this.#isWaitingForNetwork = false;
    this.#onCountdown(null);
    this.#attempt();
  }

  /** Welcomed back (or the person left): no more attempts, the next loss starts over. */
  stop() {
    this.#clear();
    this.#isActive = false;
    this.#isWaitingForNetwork = false;
    this.#failures = 0;
  }

  /** Wait `seconds` before the next attempt (the server said when: `retry_after`). */
  after(seconds) {
    this.#isActive = true;
    this.#clear();
    const delayMs = Math.max(500, Math.ceil(seconds * 1000));
    this.#dueAt = Date.now() + delayMs;
    this.#timer = setTimeout(() => this.now(), delayMs);
    this.#tick();
    this.#ticker = setInterval(() => this.#tick(), 1000);
  }

  #soon() {
    // Only while waiting between attempts; an attempt under way is left to finish.
    if (this.#isActive && (this.#timer !== null || this.#isWaitingForNetwork)) this.now();
  }

  #tick() {
    this.#onCountdown(Math.max(1, Math.ceil((this.#dueAt - Date.now()) / 1000)));
  }

  #clear() {
    clearTimeout(this.#timer);
    clearInterval(this.#ticker);
    this.#timer = null;
    this.#ticker = null;
  }
}
