// A message's text as the reader sees it: web links clickable, mentions of people marked.
//
// Safety: the text is cut into pieces and every piece goes into the page as a text node or an
// element built with DOM calls, never as HTML, so nothing a person types can become markup.
// Only `http:` and `https:` addresses become links (checked by the URL parser, after the
// text was matched), so `javascript:`, `data:` and the like stay plain text; each link opens
// in a new tab with rel="noopener noreferrer nofollow" (the page it opens gets no handle on
// ours, no referrer, and no ranking credit from spammers' messages).
//
// Mentions: `@nick` anywhere, and the bare nickname at the very start of a message followed
// by `:` or `,` ("Alice: tu viens ?"), the way people answer each other in a busy room.

import { el } from "./dom.js";
import { foldNick } from "./people.js";

// Characters of a nickname (docs/protocol.md, "Session"): letters, digits, _ - .
const NICK_CHARS = "[\\p{L}\\p{N}_.\\-]";
const LINK = /\bhttps?:\/\/[^\s<>"'`]+/giu;
const AT_MENTION = new RegExp(`(^|[^\\p{L}\\p{N}_])@(${NICK_CHARS}{2,40})`, "gu");
const LEADING_NICK = new RegExp(`^(${NICK_CHARS}{2,20})\\s*[:,]`, "u");
const TRAILING_PUNCTUATION = /[.,;:!?)\]}»'"]+$/u;
const ALLOWED_PROTOCOLS = new Set(["http:", "https:"]);

/** A link's text without the punctuation that ends the sentence around it. */
function trimLink(raw) {
  let text = raw.replace(TRAILING_PUNCTUATION, "");
  // "(voir https://fr.wikipedia.org/wiki/Lyon_(ville))": keep a closing parenthesis it opened.
  const opens = (raw.match(/\(/g) ?? []).length;
  if (opens && raw.slice(text.length).startsWith(")")) {
    const closes = (text.match(/\)/g) ?? []).length;
    if (closes < opens) text += ")";
  }
  return text;
}

/** The address to open for a link's text, or null if it is not a safe web address. */
export function safeHref(text) {
  let url;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  return ALLOWED_PROTOCOLS.has(url.protocol) ? url.href : null;
}

/** A nickname as written in a mention, without the sentence's punctuation after it. */
function cleanNick(raw) {
  return raw.replace(/[.\-]+$/u, "");
}

/**
 * Cut `text` into pieces: {kind: "text" | "link" | "mention", text, href?, nick?}. Mentions
 * are found in the text between links (an address never holds a mention).
 */
export function segments(text) {
  const pieces = [];
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    const linkText = trimLink(match[0]);
    const href = safeHref(linkText);
    if (!href) continue;
    if (match.index > last) pieces.push(...mentionPieces(text.slice(last, match.index), last));
    pieces.push({ kind: "link", text: linkText, href });
    last = match.index + linkText.length;
  }
  if (last < text.length) pieces.push(...mentionPieces(text.slice(last), last));
  return pieces;
}

function mentionPieces(text, offset) {
  const pieces = [];
  let last = 0;
  const push = (kind, value, extra = {}) => value && pieces.push({ kind, text: value, ...extra });
  if (offset === 0) {
    const leading = LEADING_NICK.exec(text);
    if (leading) {
      push("mention", leading[1], { nick: leading[1], isLeading: true });
      last = leading[1].length;
    }
  }
  for (const match of text.matchAll(AT_MENTION)) {
    const start = match.index + match[1].length;
    if (start < last) continue;
    const nick = cleanNick(match[2]);
    if (nick.length < 2) continue;
    push("text", text.slice(last, start));
    push("mention", `@${nick}`, { nick });
    last = start + 1 + nick.length;
  }
  push("text", text.slice(last));
  return pieces;
}

/**
 * Whether `text` mentions `nick`: `@nick`, or `nick:` at its start. A leading bare name only
 * counts when it is `nick` (a first word followed by a colon is often not a name).
 */
export function mentions(text, nick) {
  if (!nick) return false;
  const folded = foldNick(nick);
  return segments(String(text)).some(
    (piece) => piece.kind === "mention" && foldNick(piece.nick) === folded,
  );
}

/**
 * The nodes of a message's text. `myNick` marks mentions of me; `isKnown(nick)` tells whether
 * a leading bare word is a person here (otherwise "Attention: …" would look like a mention).
 */
export function richText(text, { myNick = null, isKnown = () => false } = {}) {
  const myFolded = myNick ? foldNick(myNick) : null;
  const nodes = [];
  for (const piece of segments(text)) {
    if (piece.kind === "link") {
      nodes.push(
        el("a", {
          className: "message-link",
          text: piece.text,
          attrs: { href: piece.href, target: "_blank", rel: "noopener noreferrer nofollow" },
        }),
      );
    } else if (piece.kind === "mention") {
      const isMe = myFolded !== null && foldNick(piece.nick) === myFolded;
      if (piece.isLeading && !isMe && !isKnown(piece.nick)) {
        nodes.push(piece.text);
        continue;
      }
      nodes.push(
        el("span", {
          className: `mention${isMe ? " is-me" : ""}`,
          testid: isMe ? "mention-me" : "mention",
          text: piece.text,
        }),
      );
    } else {
      nodes.push(piece.text);
    }
  }
  return nodes;
}
