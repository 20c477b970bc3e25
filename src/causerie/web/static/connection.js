// One WebSocket to the server, speaking docs/protocol.md: JSON text frames, one object each.
//
// send() stamps every request with a fresh `id`, so the server's direct reply or error comes
// back with the same value in `re` and the caller can tell which request it answers.
// Frames arrive as "frame" events (detail: the parsed object); the end of the socket is a
// "close" event (detail: {code, reason, byClient}).

export function socketUrl(location = window.location) {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${location.host}/ws`;
}

export class Connection extends EventTarget {
  #ws = null;
  #seq = 0;
  #closedByClient = false;
  #isAbandoned = false;

  constructor(url = socketUrl()) {
    super();
    this.url = url;
  }

  /** Open the socket; resolves once open, rejects if it closes before opening. */
  open() {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url);
      this.#ws = ws;
      let opened = false;
      ws.addEventListener("open", () => {
        opened = true;
        resolve();
      });
      ws.addEventListener("message", (event) => this.#receive(event.data));
      ws.addEventListener("close", (event) => {
        if (!opened) reject(new Error(`WebSocket closed before opening (${event.code})`));
        if (this.#isAbandoned) return;
        this.dispatchEvent(
          new CustomEvent("close", {
            detail: { code: event.code, reason: event.reason, byClient: this.#closedByClient },
          }),
        );
      });
      // An "error" event is always followed by "close", which carries what we need.
    });
  }

  get isOpen() {
    return this.#ws !== null && this.#ws.readyState === WebSocket.OPEN;
  }

  /** Send a request; returns its id, or null when the socket is not open. */
  send(type, fields = {}) {
    if (!this.isOpen) return null;
    this.#seq += 1;
    const id = `c${this.#seq}`;
    this.#ws.send(JSON.stringify({ ...fields, type, id }));
    return id;
  }

  /** Close on purpose (leaving, or giving up after a refused hello). */
  close() {
    this.#closedByClient = true;
    if (this.#ws && this.#ws.readyState <= WebSocket.OPEN) this.#ws.close(1000);
  }

  /**
   * Give up on a socket that went silent (no answer to a ping, the network gone): report it
   * lost at once, as if the server had closed it, instead of waiting for TCP to notice.
   */
  abandon() {
    if (this.#closedByClient || this.#isAbandoned) return;
    this.#isAbandoned = true; // the real close event, when it comes, is not reported twice
    if (this.#ws && this.#ws.readyState <= WebSocket.OPEN) this.#ws.close(1000);
    this.dispatchEvent(
      new CustomEvent("close", { detail: { code: 1006, reason: "silent", byClient: false } }),
    );
  }

  #receive(data) {
    if (typeof data !== "string") return; // The protocol only uses text frames.
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (frame === null || typeof frame !== "object" || typeof frame.type !== "string") return;
    this.dispatchEvent(new CustomEvent("frame", { detail: frame }));
  }
}
