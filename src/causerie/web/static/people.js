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

// Nickname colours meet WCAG AA (contrast of 4.5:1 at least) on every background a nickname
// is shown on. HSL lightness is not perceived lightness (yellow at 40 % is far brighter than
// blue at 40 %), so each hue gets its own lightness: the lightest one that still has
// NICK_CONTRAST against the darkest background of the light theme, and the darkest one that
// has it against the lightest background of the dark theme. The backgrounds are the
// extreme ones of style.css (--accent-soft, the active tab, in each theme); the browser tests
// measure the real pages (tests/e2e/test_client_look.py).
const NICK_SATURATION = 0.55;
const NICK_CONTRAST = 4.6; // a little above 4.5 for rounding in the browser
const LIGHT_THEME_BACKGROUND = [0xec, 0xeb, 0xfd]; // --accent-soft, light
const DARK_THEME_BACKGROUND = [0x2b, 0x2a, 0x52]; // --accent-soft, dark
const lightnessCache = new Map();

function channel(value) {
  const c = value / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of an [r, g, b] colour (0–255 each). */
export function luminance([r, g, b]) {
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** WCAG contrast ratio between two [r, g, b] colours. */
export function contrastRatio(a, b) {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (high + 0.05) / (low + 0.05);
}

/** An HSL colour (hue in degrees, saturation and lightness 0–1) as [r, g, b] 0–255. */
export function hslToRgb(hue, saturation, lightness) {
  const k = (n) => (n + hue / 30) % 12;
  const a = saturation * Math.min(lightness, 1 - lightness);
  const f = (n) => lightness - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [f(0), f(8), f(4)].map((v) => Math.round(v * 255));
}

/** The lightness (percent) of a nickname of `hue` in each theme: {light, dark}. */
export function nickLightness(hue) {
  let cached = lightnessCache.get(hue);
  if (cached) return cached;
  let light = 50;
  while (
    light > 0 &&
    contrastRatio(hslToRgb(hue, NICK_SATURATION, light / 100), LIGHT_THEME_BACKGROUND) <
      NICK_CONTRAST
  ) {
    light -= 1;
  }
  let dark = 55;
  while (
    dark < 100 &&
    contrastRatio(hslToRgb(hue, NICK_SATURATION, dark / 100), DARK_THEME_BACKGROUND) <
      NICK_CONTRAST
  ) {
    dark += 1;
  }
  cached = { light, dark };
  lightnessCache.set(hue, cached);
  return cached;
}

/** Colour a nickname element through CSS variables (allowed under a strict style-src CSP). */
export function paintNick(node, nick) {
  const hue = nickHue(nick);
  const { light, dark } = nickLightness(hue);
  node.style.setProperty("--nick-hue", String(hue));
  node.style.setProperty("--nick-l-light", `${light}%`);
  node.style.setProperty("--nick-l-dark", `${dark}%`);
  return node;
}
