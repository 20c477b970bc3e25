// The centre panel: the active room or private conversation, its messages and the composer.
//
// Messages are re-rendered as a list, but each message keeps its element while it does not
// change (a WeakMap from message to node), so a busy room does not rebuild hundreds of nodes
// for every new line and the scroll position stays where the reader left it.
//
// Safety: every message of someone else has a small menu button to report it or block them;
// a message removed by the moderators keeps its place as "Message supprimé par la modération";
// the header shows a room's lock and slow mode (a locked room disables the composer); safety
// notices about this conversation show above its messages; private conversations carry a
// permanent safety tip, the short one for minors. A picture in a private message arrives
// blurred until its receiver clicks "Voir l'image", and can be reported from there.

import { byId, el, isScrolledToBottom, syncChildren } from "../dom.js";
import { formatDateTime, formatDay, formatTime, getLang, t } from "../i18n.js";
import { foldNick as foldedNick, genderSymbol, paintNick } from "../people.js";
import { openFullSize, pictureNode } from "../pictures.js";
import { richText } from "../richtext.js";
import { Composer } from "./composer.js";
import { jumpTo, messageActions, quoteNode } from "./message-extras.js";
import { safetyActions } from "./notices.js";
import { nickButton } from "./profile.js";

const MIN_ERROR_DISPLAY_MS = 4000;

export class ConversationView {
  #handlers;
  #nodes = new WeakMap(); // message -> {node, signature}
  #shownKey = null;
  canWrite = false; // whether the active conversation takes messages now (for the picker)
  #shownConversation = null;
  #error = null; // {key, vars} or {message}, with optional retryAfter
  #errorTimer = null;
  #days = new Map(); // day key -> its separator element (kept across renders)

  /**
   * handlers: onSend(text), onOlder(), onLeave(), onToggleBlock(), onReport(target),
   * onDismissSafety(key, seq), onChanged() (a message's look changed: render again),
   * onRetry(entry), onOpenProfile(user, trigger), members() (the room's people, for `@`),
   * isKnown(nick) (someone in this conversation), onReply(message), onDelete(message),
   * onTyping() (something was typed), gameLook(conversation, message) (what a game's line
   * adds under its text: games.js).
   */
  constructor(handlers) {
    this.#handlers = handlers;
    this.empty = byId("conversation-empty");
    this.emptyTitle = byId("conversation-empty-title");
    this.box = byId("conversation");
    this.title = byId("conversation-title");
    this.topic = byId("conversation-topic");
    this.subtitle = byId("conversation-subtitle");
    this.blockButton = byId("block");
    this.blockLabel = byId("block-label");
    this.reportPeerButton = byId("report-peer");
    this.leaveButton = byId("leave");
    this.roomState = byId("room-state");
    this.roomLocked = byId("room-locked");
    this.roomSlow = byId("room-slow");
    this.roomSlowText = byId("room-slow-text");
    this.safety = byId("conversation-safety");
    this.safetyText = byId("conversation-safety-text");
    this.safetyNotices = byId("conversation-notices");
    this.scroller = byId("message-scroll");
    this.olderButton = byId("older");
    this.list = byId("messages");
    this.errorLabel = byId("composer-error");
    this.composer = new Composer({
      onSend: (text) => {
        const isTaken = this.#handlers.onSend(text);
        if (isTaken) this.setError(null);
        return isTaken;
      },
      members: () => this.#handlers.members(),
    });
    this.input = this.composer.input;

    this.input.addEventListener("input", () => {
      // A moderation restriction stays in view while the person types; other errors go.
      if (this.#error && !this.#error.sticky) this.setError(null);
      if (this.input.value.trim()) this.#handlers.onTyping();
    });
    this.olderButton.addEventListener("click", () => this.#handlers.onOlder());
    this.leaveButton.addEventListener("click", () => this.#handlers.onLeave());
    this.blockButton.addEventListener("click", () => this.#handlers.onToggleBlock());
    this.reportPeerButton.addEventListener("click", () => {
      const conversation = this.#shownConversation;
      if (conversation?.kind !== "dm") return;
      this.#handlers.onReport({ nick: conversation.id, user: conversation.peer });
    });
  }

  focusInput() {
    this.composer.focus();
  }

  /** Put a refused message back in the input, unless the person already typed something new. */
  restoreDraft(text) {
    this.composer.restoreDraft(text);
  }

  /**
   * Show an error under the input: {key, vars} (translated here), {message} (the server's
   * text, already in the session language), with an optional retryAfter in seconds; or null.
   * `hasDelay`: the text already says when it ends; `sticky`: typing does not clear it.
   */
  setError(error) {
    clearTimeout(this.#errorTimer);
    this.#error = error;
    this.#renderError();
    if (error?.retryAfter > 0) {
      // The refusal ends by itself: so does its explanation (left long enough to be read).
      const delayMs = Math.max(error.retryAfter * 1000, MIN_ERROR_DISPLAY_MS);
      this.#errorTimer = setTimeout(() => {
        if (this.#error === error) this.setError(null);
      }, delayMs);
    }
  }

  /** Render the active conversation. `options.keepOffsetFromBottom` after prepending history. */
  /**
   * Render the active conversation. options: isOnline; isDmGated (age assurance first);
   * dmWaitS (seconds before this new private conversation may open, 0 if it may);
   * keepOffsetFromBottom (after prepending history).
   */
  render(state, { isOnline, isDmGated = false, dmWaitS = 0, keepOffsetFromBottom = false } = {}) {
    const conversation = state.active;
    this.#shownConversation = conversation;
    this.composer.switchTo(conversation ? conversation.key : null);
    if (!conversation) {
      this.#shownKey = null;
      this.box.hidden = true;
      this.empty.hidden = false;
      this.emptyTitle.textContent = state.me ? t("chat.empty.title", { nick: state.me.nick }) : "";
      return;
    }
    this.empty.hidden = true;
    this.box.hidden = false;
    const switched = this.#shownKey !== conversation.key;
    if (switched) this.setError(null);
    this.#shownKey = conversation.key;

    const wasAtBottom = isScrolledToBottom(this.scroller);
    const offsetFromBottom = this.scroller.scrollHeight - this.scroller.scrollTop;

    this.#renderHeader(state, conversation, isOnline, isDmGated);
    this.#renderComposerStatus(conversation, isOnline, dmWaitS);
    this.#renderSafetyNotices(conversation);
    this.#renderMessages(state, conversation);

    if (switched) {
      this.scroller.scrollTop = this.scroller.scrollHeight;
    } else if (keepOffsetFromBottom) {
      // Older messages went in above: keep the reader's lines where they were.
      this.scroller.scrollTop = this.scroller.scrollHeight - offsetFromBottom;
    } else if (wasAtBottom) {
      this.scroller.scrollTop = this.scroller.scrollHeight;
    }
    this.#renderError();
  }

  #renderHeader(state, conversation, isOnline, isDmGated) {
    const isRoom = conversation.kind === "room";
    const peerNick = conversation.id;
    const isBlocked = !isRoom && state.isBlocked(peerNick);
    if (isRoom) {
      this.title.replaceChildren(
        el("span", { className: "title-marker", text: "#", attrs: { "aria-hidden": "true" } }),
        el("span", { text: conversation.title }),
      );
      const count = conversation.members.size;
      this.subtitle.textContent = t(count === 1 ? "chat.room.members.one" : "chat.room.members", {
        n: count,
      });
      // The room's topic (welcome/joined `topic`), nothing when the room has none.
      const topic = typeof conversation.topic === "string" ? conversation.topic.trim() : "";
      this.topic.hidden = !topic;
      this.topic.textContent = topic;
    } else {
      this.topic.hidden = true;
      this.topic.textContent = "";
      const nick = paintNick(el("span", { className: "nick", text: peerNick }), peerNick);
      this.title.replaceChildren(...splitAround(t("chat.dm.title", { nick: "\u0000" }), nick));
      const peer = conversation.peer;
      if (conversation.isPeerGone) {
        this.subtitle.textContent = t("chat.dm.gone", { nick: peerNick });
      } else if (peer) {
        this.subtitle.textContent = [
          genderSymbol(peer.gender),
          t("members.age", { n: peer.age }),
          peer.dept,
          peer.region,
        ]
          .filter(Boolean)
          .join(" · ");
      } else {
        this.subtitle.textContent = "";
      }
    }
    this.leaveButton.hidden = !isRoom;
    this.blockButton.hidden = isRoom;
    this.blockLabel.textContent = t(isBlocked ? "chat.unblock" : "chat.block");
    this.blockButton.title = t(isBlocked ? "profile.unblock" : "report.block", { nick: peerNick });
    this.blockButton.setAttribute("aria-pressed", String(isBlocked));
    this.reportPeerButton.hidden = isRoom;
    this.reportPeerButton.title = isRoom ? "" : t("menu.open", { nick: peerNick });
    this.safety.hidden = isRoom;
    this.safety.classList.toggle("is-teen", state.isTeen);
    this.safetyText.textContent = isRoom ? "" : t(state.isTeen ? "teen.dm.tip" : "chat.dm.safety");

    const isLocked = isRoom && conversation.locked;
    const slowModeS = isRoom ? conversation.slowModeS : 0;
    this.roomState.hidden = !isLocked && !slowModeS;
    this.roomLocked.hidden = !isLocked;
    this.roomSlow.hidden = !slowModeS;
    this.roomSlowText.textContent = slowModeS ? t("room.slow", { n: slowModeS }) : "";
    this.olderButton.hidden = !isRoom || !conversation.hasMore;
    this.olderButton.disabled = conversation.loadingOlder;
    this.olderButton.textContent = t(
      conversation.loadingOlder ? "chat.older.loading" : "chat.older",
    );

    const isGated = !isRoom && isDmGated; // age assurance first (views/assurance.js)
    // Offline, the field stays open: what is written waits and leaves at the reconnection.
    const canWrite = !isBlocked && !isLocked && !isGated;
    this.canWrite = canWrite && isOnline;
    this.composer.setEnabled(
      canWrite,
      isBlocked
        ? t("chat.blocked", { nick: peerNick })
        : isLocked
          ? t("chat.locked")
          : isGated
            ? t("chat.assurance")
            : !isOnline
              ? t("chat.offline.queue")
              : isRoom
                ? t("chat.placeholder")
                : t("chat.placeholder.dm", { nick: peerNick }),
    );
  }

  /** Under the field: the wait before a new private conversation opens, or offline. */
  #renderComposerStatus(conversation, isOnline, dmWaitS) {
    const waiting = conversation.messages.filter((entry) => entry.queued).length;
    if (dmWaitS > 0) {
      const key = waiting ? "chat.dm_wait.queued" : "chat.dm_wait";
      this.composer.setStatus(t(key, { n: dmWaitS, nick: conversation.id }));
    } else if (!isOnline && waiting) {
      this.composer.setStatus(t("chat.queued", { n: waiting }));
    } else {
      this.composer.setStatus(null);
    }
  }

  #renderSafetyNotices(conversation) {
    const key = conversation.key;
    this.safetyNotices.replaceChildren(
      ...conversation.safetyNotices.map((notice) =>
        el(
          "div",
          { className: "notice notice-safety", testid: "safety-notice", attrs: { role: "alert" } },
          el("strong", { className: "notice-kind", text: t("safety.title") }),
          el("span", { className: "notice-text", text: notice.text }),
          ...(notice.about
            ? [
                safetyActions(notice.about, (nick) =>
                  this.#handlers.onReport({ nick, category: "child_safety" }),
                ),
              ]
            : []),
          el("button", {
            type: "button",
            className: "notice-close",
            text: "×",
            title: t("safety.dismiss"),
            attrs: { "aria-label": t("safety.dismiss") },
            on: { click: () => this.#handlers.onDismissSafety(key, notice.seq) },
          }),
        ),
      ),
    );
  }

  #renderMessages(state, conversation) {
    const lang = getLang();
    const isRoom = conversation.kind === "room";
    const nodes = [];
    let lastDay = null;
    for (const message of conversation.messages) {
      // Blocking hides the blocked person's room messages (the server stops their DMs).
      if (isRoom && message.from && state.isBlocked(message.from.nick)) continue;
      // A separator opens each day: "Aujourd'hui", "Hier", or the date.
      const day = dayKey(message.ts);
      if (day !== lastDay) {
        nodes.push(this.#daySeparator(day, message.ts, lang));
        lastDay = day;
      }
      nodes.push(this.#messageNode(state, conversation, message, lang));
    }
    if (!nodes.length) {
      nodes.push(el("li", { className: "messages-empty muted", text: t("chat.no_messages") }));
    }
    syncChildren(this.list, nodes);
  }

  #daySeparator(day, ts, lang) {
    const label = formatDay(ts);
    const cacheKey = `${day}|${lang}`;
    let node = this.#days.get(cacheKey);
    if (!node || node.textContent !== label) {
      node = el(
        "li",
        { className: "day-separator", testid: "day-separator" },
        el("span", { text: label }),
      );
      this.#days.set(cacheKey, node);
    }
    return node;
  }

  #messageNode(state, conversation, message, lang) {
    const myNick = state.me?.nick ?? "";
    const look = this.#handlers.gameLook?.(conversation, message) ?? null; // games.js
    const signature = [
      look?.signature ?? "",
      message.id,
      message.pending,
      message.failed,
      message.queued,
      message.held,
      message.deleted,
      message.text,
      message.ts,
      message.media?.id,
      message.revealed,
      message.reply_to ? `${message.reply_to.id}:${message.reply_to.from ?? ""}` : "",
      state.isBlocked(message.from?.nick ?? ""),
      myNick,
      lang,
    ].join("|");
    const cached = this.#nodes.get(message);
    if (cached && cached.signature === signature) return cached.node;

    const from = message.from ?? { nick: "?" };
    const isMine = state.isMine(message); // who sent it, not the nickname (continuity.js)
    const mentionsMe = !isMine && !message.deleted && message.mentionsMe;
    const classes = ["message"];
    if (isMine) classes.push("is-mine");
    if (message.pending) classes.push("is-pending");
    if (message.failed) classes.push("is-failed");
    if (message.queued) classes.push("is-queued");
    if (message.held) classes.push("is-held");
    if (message.deleted) classes.push("is-deleted");
    if (mentionsMe) classes.push("mentions-me");
    const hasId = message.id !== undefined && message.id !== null;
    const canReport = !isMine && hasId && !message.deleted && !message.pending;
    const canAct = hasId && !message.deleted && !message.pending && !message.failed;
    const nick = nickButton(from, (user, trigger) => this.#handlers.onOpenProfile(user, trigger), {
      className: "message-nick",
      testid: "message-nick",
    });
    if (from.gender) {
      nick.title = [genderSymbol(from.gender), from.age, from.dept, "—", t("profile.open", from)]
        .filter(Boolean)
        .join(" ");
    }
    const text = message.deleted
      ? el("span", {
          className: "message-text message-deleted",
          testid: "message-deleted",
          text: t("message.deleted"),
        })
      : el(
          "span",
          { className: "message-text" },
          message.reply_to ? quoteNode(message.reply_to, (id) => jumpTo(this.list, id)) : null,
          richText(message.text, {
            myNick: isMine ? null : myNick,
            isKnown: (name) => conversation.members.has(foldedNick(name)),
          }),
        );
    const node = el(
      "li",
      {
        className: classes.join(" "),
        testid: "message",
        dataset: hasId ? { id: String(message.id) } : {},
      },
      el("time", {
        className: "message-time",
        text: formatTime(message.ts),
        title: formatDateTime(message.ts),
        attrs: { datetime: new Date(message.ts).toISOString() },
      }),
      nick,
      text,
      look?.node() ?? null,
      message.media && !message.deleted
        ? this.#pictureOf(message, { isMine, isDm: !message.room && state.active?.kind === "dm" })
        : null,
      canReport
        ? el("button", {
            type: "button",
            className: "menu-button message-menu",
            testid: "report",
            text: "⋯",
            title: t("menu.open.message", { nick: from.nick }),
            attrs: {
              "aria-label": t("menu.open.message", { nick: from.nick }),
              "aria-haspopup": "dialog",
            },
            on: {
              click: () =>
                this.#handlers.onReport({
                  nick: from.nick,
                  user: from,
                  message: { id: message.id, text: message.text },
                }),
            },
          })
        : null,
      messageActions({
        canReply: canAct,
        canDelete: canAct && isMine,
        onReply: () => this.#handlers.onReply(message),
        onDelete: () => this.#handlers.onDelete(message),
      }),
      message.pending ? el("span", { className: "message-state", text: t("chat.pending") }) : null,
      message.queued
        ? el("span", {
            className: "message-state message-state-queued",
            testid: "message-queued",
            text: t(message.queued === "dm_wait" ? "chat.queued.dm_wait" : "chat.queued.offline"),
          })
        : null,
      message.held
        ? el("span", { className: "message-state message-state-held", text: t("message.held") })
        : null,
      message.failed
        ? el("span", {
            className: "message-state message-state-failed",
            testid: "message-failed",
            text: message.error ? t("chat.failed.because", { reason: message.error }) : t("chat.failed"),
          })
        : null,
      message.failed && message.canRetry
        ? el("button", {
            type: "button",
            className: "button button-quiet message-retry",
            testid: "message-retry",
            text: t("chat.retry"),
            on: { click: () => this.#handlers.onRetry(message) },
          })
        : null,
    );
    this.#nodes.set(message, { node, signature });
    return node;
  }

  #pictureOf(message, { isMine, isDm }) {
    const from = message.from ?? { nick: "?" };
    const hasId = message.id !== undefined && message.id !== null;
    return pictureNode(message.media, {
      isBlurred: isDm && !isMine && !message.revealed,
      onReveal: () => {
        message.revealed = true;
        this.#handlers.onChanged();
      },
      onReport: hasId
        ? () =>
            this.#handlers.onReport({
              nick: from.nick,
              user: from,
              message: { id: message.id, text: message.text || t("picture.alt") },
            })
        : null,
      onOpen: () => openFullSize(message.media),
    });
  }

  #renderError() {
    const error = this.#error;
    if (!error) {
      this.errorLabel.textContent = "";
      return;
    }
    let text = error.message ?? t(error.key, error.vars);
    // The server's own text already says when to retry; ours needs the delay added.
    if (error.message === undefined && error.retryAfter && !error.hasDelay) {
      text += ` ${t("chat.retry_after", { n: Math.ceil(error.retryAfter) })}`;
    }
    this.errorLabel.textContent = text;
  }
}

/** The local calendar day of a timestamp, as a key ("2025-3-14"). */
function dayKey(ts) {
  const date = new Date(ts);
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
}

/** Split a translated sentence on a \u0000 placeholder and put `node` in its place. */
function splitAround(sentence, node) {
  const [before, after = ""] = sentence.split("\u0000");
  return [before, node, after].filter((part) => part !== "");
}
