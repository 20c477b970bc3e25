// The life of the connection to the server: open, `hello`, `welcome`, keep-alive, and coming
// back by itself after a loss (docs/protocol.md, "Session" and "Resume").
//
// States: idle -> connecting (socket opening, `hello` sent) -> online (welcomed) -> lost
// (a socket that closed, or went silent) -> waiting (the next attempt is planned by the
// Reconnector: backoff with jitter, at once on `online` or when the page is shown again) ->
// connecting … A reconnection sends the same `hello` with `resume` (built by the app: the
// previous session, the rooms, the last message id), so the server hands back the nickname
// and rejoins the rooms with what was missed.
//
// No attempt is made by itself when the server ended the session on purpose: 4002 (this
// person resumed on another connection: two tabs must not take the session from each other
// forever), 4003 (banned, or moved out of the teen space) and 4004 (kicked). The banner still
// offers "Se reconnecter" for the person to decide.
//
// Keep-alive: a socket can die without a close (Wi-Fi to 4G, a phone asleep). When nothing
// came from the server for PING_AFTER_MS a `ping` goes out; without any frame PONG_WITHIN_MS
// later, the socket is given up and the reconnection starts. The browser's `offline` event
// gives it up at once.

import { Connection, socketUrl } from "./connection.js";
import { Reconnector } from "./reconnect.js";

const HELLO_TIMEOUT_MS = 15000;
const PING_AFTER_MS = 20000;
const PONG_WITHIN_MS = 10000;
const CLOSE_TOO_MANY = 4005;
/** Close codes after which the client does not come back by itself. */
const NO_RETURN = new Set([4002, 4003, 4004]);

export class Link {
  #handlers;
  #connection = null;
  #isWelcomed = false;
  #helloTimer = null;
  #pingTimer = null;
  #lastFrameAt = 0;
  #pingSentAt = 0;

  /**
   * banner: the ConnectionBanner. handlers: hello(isReconnect) -> the `hello` fields;
   * onFrame(frame) for every frame (the `welcome` included); onHelloRefused(frame, isReconnect);
   * onFirstFailure(detail) when the first connection could not be made ({key});
   * onLost(code) when a welcomed connection ended.
   */
  constructor(banner, handlers) {
    this.banner = banner;
    this.#handlers = handlers;
    this.reconnector = new Reconnector({
      attempt: () => this.#open(true),
      onCountdown: (seconds) => this.#showWaiting(seconds),
    });
    window.addEventListener("offline", () => {
      // No network: whatever the socket says, nothing can pass. Resume once it is back.
      if (this.#connection) this.#connection.abandon();
    });
    document.addEventListener("visibilitychange", () => {
      // A phone woken up: check at once that the socket still carries something.
      if (document.visibilityState === "visible" && this.isOnline) this.#ping();
    });
  }

  get isOnline() {
    return this.#isWelcomed && this.#connection !== null && this.#connection.isOpen;
  }

  /** Whether a lost connection is being brought back (attempts under way or planned). */
  get isReconnecting() {
    return this.reconnector.isActive;
  }

  /** The first connection, from the join form. */
  start() {
    this.reconnector.stop();
    this.#open(false);
  }

  /** The person pressed "Se reconnecter": try at once. */
  reconnectNow() {
    if (this.#connection) return; // online, or an attempt is already under way
    if (!this.reconnector.isActive) this.reconnector.lost();
    this.reconnector.now();
  }

  /** Send a request; its id, or null when not online. */
  send(type, fields) {
    return this.isOnline ? this.#connection.send(type, fields) : null;
  }

  /** Leave on purpose (logout): no reconnection. */
  close() {
    const connection = this.#connection;
    this.#forget();
    this.reconnector.stop();
    connection?.close();
    this.banner.hide();
  }

  async #open(isReconnect) {
    const connection = new Connection(socketUrl());
    this.#forget();
    this.#connection = connection;
    if (isReconnect) this.banner.setBusy(true);
    connection.addEventListener("frame", (event) => {
      if (this.#connection === connection) this.#onFrame(event.detail, isReconnect);
    });
    connection.addEventListener("close", (event) => {
      if (this.#connection === connection) this.#onClose(event.detail, isReconnect);
    });
    try {
      await connection.open();
    } catch {
      return; // The close event reports it.
    }
    if (this.#connection !== connection) return;
    connection.send("hello", this.#handlers.hello(isReconnect));
    this.#helloTimer = setTimeout(() => {
      if (this.#connection !== connection || this.#isWelcomed) return;
      if (isReconnect) {
        connection.abandon(); // the server does not answer: like a lost socket, try again
        return;
      }
      this.#forget();
      connection.close();
      this.#handlers.onFirstFailure({ key: "join.timeout" });
    }, HELLO_TIMEOUT_MS);
  }

  #onFrame(frame, isReconnect) {
    this.#lastFrameAt = Date.now();
    this.#pingSentAt = 0;
    if (!this.#isWelcomed) {
      if (frame.type === "welcome") {
        clearTimeout(this.#helloTimer);
        this.#isWelcomed = true;
        this.reconnector.stop();
        this.banner.hide();
        this.#startPings();
      } else if (frame.type === "error") {
        this.#helloRefused(frame, isReconnect);
        return;
      }
    }
    this.#handlers.onFrame(frame);
  }

  /** Before `welcome` the only request in flight is our `hello`. */
  #helloRefused(frame, isReconnect) {
    const connection = this.#connection;
    this.#forget();
    connection?.close();
    if (isReconnect && frame.code === "rate_limited" && Number(frame.retry_after) > 0) {
      // Too many logins at once (a whole site coming back): wait as long as the server says.
      this.reconnector.after(Number(frame.retry_after));
      return;
    }
    this.reconnector.stop();
    this.#handlers.onHelloRefused(frame, isReconnect);
  }

  #onClose({ byClient, code }, isReconnect) {
    const wasWelcomed = this.#isWelcomed;
    this.#forget();
    if (byClient) return;
    if (wasWelcomed) {
      this.#handlers.onLost(code);
      if (NO_RETURN.has(code)) {
        this.reconnector.stop();
        return;
      }
      this.reconnector.lost();
      return;
    }
    if (isReconnect) {
      this.reconnector.lost(); // the server is still away: the next attempt waits longer
      return;
    }
    // 4005: too many connections from this address or device (docs/protocol.md).
    this.#handlers.onFirstFailure({
      key: code === CLOSE_TOO_MANY ? "join.too_many" : "join.unreachable",
    });
  }

  #showWaiting(seconds) {
    if (!this.banner.isShown) return;
    if (seconds === null) {
      if (this.reconnector.isWaitingForNetwork) this.banner.waitNetwork();
      return;
    }
    this.banner.countdown(seconds);
  }

  #startPings() {
    clearInterval(this.#pingTimer);
    this.#pingTimer = setInterval(() => {
      const now = Date.now();
      if (this.#pingSentAt && now - this.#pingSentAt >= PONG_WITHIN_MS) {
        this.#connection?.abandon();
      } else if (!this.#pingSentAt && now - this.#lastFrameAt >= PING_AFTER_MS) {
        this.#ping();
      }
    }, 2000);
  }

  #ping() {
    if (!this.isOnline || this.#pingSentAt) return;
    this.#pingSentAt = Date.now();
    this.#connection.send("ping", {});
  }

  #forget() {
    clearTimeout(this.#helloTimer);
    clearInterval(this.#pingTimer);
    this.#pingTimer = null;
    this.#pingSentAt = 0;
    this.#connection = null;
    this.#isWelcomed = false;
  }
}
