// Telling the person that something is for them: a private message or a mention of their
// nickname. Each way can be switched in the settings and the choice is kept on this device
// (localStorage):
//
// - a short sound, generated with WebAudio (no file fetched), a different one for a private
//   message and for a mention; played when the person does not see that conversation;
// - a browser notification, only when the page is hidden or not focused. Permission is never
//   asked when the page loads: the first private message offers it (a button: the browser
//   only shows its question after a gesture), and the settings have the switch;
// - the unread count in the tab title, "(3) Causerie", and on the installed app's icon
//   (navigator.setAppBadge where the browser has it).

import { t } from "./i18n.js";

const STORAGE_KEY = "causerie.attention";
const DEFAULTS = Object.freeze({ soundDm: true, soundMention: true, notify: false });
// Two short tones each: rising for a private message, a quick double for a mention.
const TONES = {
  dm: [
    [660, 0, 0.09],
    [880, 0.1, 0.12],
  ],
  mention: [
    [988, 0, 0.07],
    [988, 0.11, 0.07],
  ],
};
const VOLUME = 0.08;

function loadPrefs() {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "{}");
    const prefs = { ...DEFAULTS };
    for (const key of Object.keys(DEFAULTS)) {
      if (typeof saved?.[key] === "boolean") prefs[key] = saved[key];
    }
    return prefs;
  } catch {
    return { ...DEFAULTS };
  }
}

export function notificationsSupported() {
  return typeof window.Notification === "function";
}

export class Attention {
  prefs = loadPrefs();
  #audio = null;
  #wasOffered = false;

  /** onOpen(key): a notification was clicked, show that conversation. */
  constructor({ onOpen }) {
    this.onOpen = onOpen;
    // Browsers start sound only after the person interacted with the page: get ready then.
    const unlock = () => this.#audioContext()?.resume?.().catch(() => {});
    window.addEventListener("pointerdown", unlock, { once: true, capture: true });
    window.addEventListener("keydown", unlock, { once: true, capture: true });
  }

  set(key, value) {
    if (!(key in DEFAULTS)) return;
    this.prefs[key] = Boolean(value);
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(this.prefs));
    } catch {
      // Not kept across visits (storage disabled); the switch holds for this page.
    }
  }

  /** "granted", "denied", "default", or "unsupported". */
  get permission() {
    return notificationsSupported() ? Notification.permission : "unsupported";
  }

  /** Whether notifications are on and allowed by the browser. */
  get canNotify() {
    return this.prefs.notify && this.permission === "granted";
  }

  /** Ask the browser (after a gesture); resolves to whether notifications may be shown. */
  async enableNotifications() {
    if (!notificationsSupported()) return false;
    let permission = Notification.permission;
    if (permission === "default") {
      try {
        permission = await Notification.requestPermission();
      } catch {
        permission = Notification.permission;
      }
    }
    this.set("notify", permission === "granted");
    return permission === "granted";
  }

  /**
   * Whether to offer notifications now (the first private message received, once per page,
   * when the browser could still ask and the person has not chosen).
   */
  shouldOffer() {
    if (this.#wasOffered || this.prefs.notify || this.permission !== "default") return false;
    this.#wasOffered = true;
    return true;
  }

  /**
   * Something for me arrived. kind: "dm" or "mention"; isSeen: the person sees that
   * conversation now; title/body: for the notification; key: the conversation.
   */
  alert({ kind, isSeen, title, body, key }) {
    if (!isSeen && (kind === "dm" ? this.prefs.soundDm : this.prefs.soundMention)) {
      this.#play(TONES[kind]);
    }
    const isAway = document.visibilityState !== "visible" || !document.hasFocus();
    if (isAway && this.canNotify) this.#notify(title, body, key);
  }

  /** The unread count in the tab title and on the installed app's icon. */
  showUnread(count) {
    document.title = count ? `(${count > 99 ? "99+" : count}) Causerie` : "Causerie";
    try {
      if (count && typeof navigator.setAppBadge === "function") {
        navigator.setAppBadge(count).catch(() => {});
      } else if (!count && typeof navigator.clearAppBadge === "function") {
        navigator.clearAppBadge().catch(() => {});
      }
    } catch {
      // Not an installed app, or not allowed here: the title still says it.
    }
  }

  #notify(title, body, key) {
    try {
      const notification = new Notification(title, {
        body: body.length > 140 ? `${body.slice(0, 139)}…` : body,
        tag: key, // one per conversation: a new message replaces the previous one
        icon: "/static/icon-192.png",
        lang: document.documentElement.lang,
      });
      notification.addEventListener("click", () => {
        window.focus();
        this.onOpen(key);
        notification.close();
      });
    } catch {
      // Some browsers only show notifications from a service worker: the sound and title remain.
    }
  }

  #audioContext() {
    if (this.#audio) return this.#audio;
    const Context = window.AudioContext ?? window.webkitAudioContext;
    if (!Context) return null;
    try {
      this.#audio = new Context();
    } catch {
      return null;
    }
    return this.#audio;
  }

  #play(tones) {
    const audio = this.#audioContext();
    if (!audio) return;
    try {
      const start = audio.currentTime + 0.01;
      for (const [frequency, offset, length] of tones) {
        const oscillator = audio.createOscillator();
        const gain = audio.createGain();
        oscillator.type = "sine";
        oscillator.frequency.value = frequency;
        // A soft attack and release: no click at either end.
        gain.gain.setValueAtTime(0, start + offset);
        gain.gain.linearRampToValueAtTime(VOLUME, start + offset + 0.015);
        gain.gain.linearRampToValueAtTime(0, start + offset + length);
        oscillator.connect(gain).connect(audio.destination);
        oscillator.start(start + offset);
        oscillator.stop(start + offset + length + 0.02);
      }
    } catch {
      // No sound is better than a broken chat.
    }
  }
}

/** The notification's title for a private message or a mention. */
export function alertTitle(kind, vars) {
  return t(kind === "dm" ? "notify.dm.title" : "notify.mention.title", vars);
}
