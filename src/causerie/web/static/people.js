// How people are named, compared and shown: nickname folding, gender symbols, nick colours.

/**
 * The comparison form of a nickname: without case or accents, as the server compares them
 * ("Élodie" and "elodie" are the same person).
 */
export function foldNick(nick) {
  return String(nick).normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

export function sameNick(a, b) {
  return foldNick(a) === foldNick(b);
}

const GENDER_SYMBOLS = { man: "♂", woman: "♀", other: "⚧", unspecified: "·" };

export const GENDERS = Object.freeze(["man", "woman", "other", "unspecified"]);

export function genderSymbol(gender) {
  return GENDER_SYMBOLS[gender] ?? "·";
}

/** A stable hue (0–359) for a nickname, so everyone sees the same colour for the same person. */
export function nickHue(nick) {
  let hash = 2166136261;
  for (const char of foldNick(nick)) {
    hash ^= char.codePointAt(0);
    hash = Math.imul(hash, 16777619);
  }
  return Math.abs(hash) % 360;
}

/** Colour a nickname element through a CSS variable (allowed under a strict style-src CSP). */
export function paintNick(node, nick) {
  node.style.setProperty("--nick-hue", String(nickHue(nick)));
  return node;
}
