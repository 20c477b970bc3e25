// Every string the client shows, in French (first) and English, and the current language.
//
// Static markup names its text with data-i18n (textContent), data-i18n-placeholder,
// data-i18n-label (aria-label) and data-i18n-title; dynamic views call t() when they render
// and re-render when the language changes (onLangChange).

const STORAGE_KEY = "causerie.lang";

const DICTIONARIES = {
  fr: {
    "app.tagline": "Discute en direct, en toute sécurité",
    "lang.label": "Langue",
    "header.logout": "Déconnexion",
    "join.title": "Entre dans la causerie",
    "join.intro": "Pas d'inscription : choisis un pseudo et tu discutes tout de suite.",
    "join.nick": "Pseudo",
    "join.nick.hint": "2 à 20 caractères",
    "join.gender": "Genre",
    "join.gender.choose": "Choisir…",
    "join.age": "Âge",
    "join.postcode": "Code postal",
    "join.postcode.hint": "Seuls ton département et ta région seront visibles.",
    "join.submit": "Entrer",
    "join.connecting": "Connexion…",
    "join.safety":
      "Ne donne jamais ton adresse ni ton numéro. Tu peux bloquer quelqu'un à tout moment.",
    "join.required": "Ce champ est obligatoire.",
    "join.nick.length": "Ton pseudo doit faire de 2 à 20 caractères.",
    "join.age.number": "Indique ton âge en chiffres.",
    "join.postcode.format": "Un code postal a 5 chiffres.",
    "join.unreachable": "Impossible de joindre le serveur. Réessaie dans un instant.",
    "join.timeout": "Le serveur ne répond pas. Réessaie dans un instant.",
    "postcode.unknown": "Code postal inconnu",
    "postcode.place": "{dept_name} ({dept}), {region}",
    "gender.man": "Homme",
    "gender.woman": "Femme",
    "gender.other": "Autre",
    "gender.unspecified": "Non précisé",
    "rooms.title": "Salons",
    "rooms.thematic": "Thématiques",
    "rooms.regional": "Régions",
    "rooms.teen": "Ados",
    "rooms.count": "{n} personnes",
    "rooms.count.one": "{n} personne",
    "rooms.empty": "Aucun salon pour l'instant.",
    "rooms.other": "Autres",
    "tabs.title": "Conversations ouvertes",
    "tabs.empty": "Aucune conversation ouverte.",
    "tabs.close": "Fermer {name}",
    "tabs.unread": "{n} non lus",
    "nav.label": "Sections",
    "nav.rooms": "Salons",
    "nav.chat": "Discussion",
    "nav.members": "Membres",
    "chat.empty.title": "Bienvenue, {nick} !",
    "chat.empty.text": "Choisis un salon pour commencer à discuter.",
    "chat.room.members": "{n} personnes dans le salon",
    "chat.room.members.one": "{n} personne dans le salon",
    "chat.dm.title": "Privé avec {nick}",
    "chat.dm.gone": "{nick} n'est plus connecté·e.",
    "chat.older": "Plus ancien",
    "chat.older.loading": "Chargement…",
    "chat.leave": "Quitter le salon",
    "chat.block": "Bloquer",
    "chat.unblock": "Débloquer",
    "chat.blocked": "Tu as bloqué {nick} : vous ne pouvez plus vous écrire.",
    "chat.placeholder": "Écris ton message…",
    "chat.placeholder.dm": "Message privé à {nick}…",
    "chat.send": "Envoyer",
    "chat.input.label": "Message",
    "chat.pending": "envoi…",
    "chat.failed": "non envoyé",
    "chat.retry_after": "Réessaie dans {n} s.",
    "chat.offline": "Hors ligne : reconnecte-toi pour envoyer.",
    "chat.no_messages": "Aucun message pour l'instant. Dis bonjour !",
    "chat.dm.safety":
      "Conversation privée : ne donne ni adresse, ni numéro, ni photo. " +
      "Tu peux bloquer à tout moment.",
    "members.title": "Membres",
    "members.of": "Membres · {room}",
    "members.shown": "{n} / {m}",
    "members.shown.label": "{n} personnes affichées sur {m}",
    "members.none": "Personne ne correspond à ces filtres.",
    "members.no_room": "Ouvre un salon pour voir qui est là.",
    "members.you": "(toi)",
    "members.open_dm": "Écrire en privé à {nick}",
    "members.age": "{n} ans",
    "filter.title": "Filtrer",
    "filter.gender": "Genre",
    "filter.all": "Tous",
    "filter.age": "Âge",
    "filter.age.min": "Âge minimum",
    "filter.age.max": "Âge maximum",
    "filter.min": "min",
    "filter.max": "max",
    "filter.region": "Région",
    "filter.dept": "Département",
    "filter.all.regions": "Toutes les régions",
    "filter.all.depts": "Tous les départements",
    "filter.reset": "Effacer",
    "conn.lost": "Connexion perdue",
    "conn.lost.text": "Tes salons et conversations seront rouverts à la reconnexion.",
    "conn.reconnect": "Se reconnecter",
    "conn.reconnecting": "Reconnexion…",
    "conn.failed": "La reconnexion a échoué : {reason}",
    "notice.safety": "Sécurité",
    "notice.moderation": "Modération",
    "notice.info": "Info",
    "notice.error": "Oups",
    "notice.dismiss": "Fermer",
    "error.invalid": "Requête invalide.",
    "error.nick_taken": "Ce pseudo est déjà pris.",
    "error.too_young": "Tu es trop jeune pour utiliser Causerie.",
    "error.forbidden": "Action non autorisée.",
    "error.age_restricted": "Ce salon ou cette personne n'est pas accessible à ta tranche d'âge.",
    "error.dm_blocked": "Cette personne ne peut pas recevoir ton message.",
    "error.rate_limited": "Tu envoies trop de messages.",
    "error.held_for_review": "Ton message attend la validation d'un modérateur.",
    "error.muted": "Tu es rendu·e muet·te dans ce salon.",
    "error.banned": "Tu es banni·e.",
    "error.not_found": "Introuvable.",
    "error.too_large": "Message trop long (2 000 caractères au plus).",
    "error.unavailable": "Service indisponible, ton message n'est pas parti. Réessaie.",
    "error.internal": "Erreur du serveur.",
  },
  en: {
    "app.tagline": "Live chat, safely",
    "lang.label": "Language",
    "header.logout": "Log out",
    "join.title": "Join the chat",
    "join.intro": "No sign-up: pick a nickname and start chatting right away.",
    "join.nick": "Nickname",
    "join.nick.hint": "2 to 20 characters",
    "join.gender": "Gender",
    "join.gender.choose": "Choose…",
    "join.age": "Age",
    "join.postcode": "Postal code",
    "join.postcode.hint": "Only your département and region will be visible.",
    "join.submit": "Enter",
    "join.connecting": "Connecting…",
    "join.safety": "Never give your address or phone number. You can block anyone at any time.",
    "join.required": "This field is required.",
    "join.nick.length": "Your nickname must be 2 to 20 characters long.",
    "join.age.number": "Enter your age as a number.",
    "join.postcode.format": "A postal code has 5 digits.",
    "join.unreachable": "Cannot reach the server. Try again in a moment.",
    "join.timeout": "The server does not answer. Try again in a moment.",
    "postcode.unknown": "Unknown postal code",
    "postcode.place": "{dept_name} ({dept}), {region}",
    "gender.man": "Man",
    "gender.woman": "Woman",
    "gender.other": "Other",
    "gender.unspecified": "Not specified",
    "rooms.title": "Rooms",
    "rooms.thematic": "Topics",
    "rooms.regional": "Regions",
    "rooms.teen": "Teens",
    "rooms.count": "{n} people",
    "rooms.count.one": "{n} person",
    "rooms.empty": "No rooms yet.",
    "rooms.other": "Other",
    "tabs.title": "Open conversations",
    "tabs.empty": "No open conversation.",
    "tabs.close": "Close {name}",
    "tabs.unread": "{n} unread",
    "nav.label": "Sections",
    "nav.rooms": "Rooms",
    "nav.chat": "Chat",
    "nav.members": "Members",
    "chat.empty.title": "Welcome, {nick}!",
    "chat.empty.text": "Pick a room to start chatting.",
    "chat.room.members": "{n} people in the room",
    "chat.room.members.one": "{n} person in the room",
    "chat.dm.title": "Private with {nick}",
    "chat.dm.gone": "{nick} is no longer connected.",
    "chat.older": "Older",
    "chat.older.loading": "Loading…",
    "chat.leave": "Leave room",
    "chat.block": "Block",
    "chat.unblock": "Unblock",
    "chat.blocked": "You blocked {nick}: you can no longer write to each other.",
    "chat.placeholder": "Write your message…",
    "chat.placeholder.dm": "Private message to {nick}…",
    "chat.send": "Send",
    "chat.input.label": "Message",
    "chat.pending": "sending…",
    "chat.failed": "not sent",
    "chat.retry_after": "Try again in {n} s.",
    "chat.offline": "Offline: reconnect to send.",
    "chat.no_messages": "No messages yet. Say hello!",
    "chat.dm.safety":
      "Private conversation: never share your address, number or photos. " +
      "You can block at any time.",
    "members.title": "Members",
    "members.of": "Members · {room}",
    "members.shown": "{n} / {m}",
    "members.shown.label": "{n} of {m} people shown",
    "members.none": "Nobody matches these filters.",
    "members.no_room": "Open a room to see who is there.",
    "members.you": "(you)",
    "members.open_dm": "Send {nick} a private message",
    "members.age": "{n} y/o",
    "filter.title": "Filter",
    "filter.gender": "Gender",
    "filter.all": "All",
    "filter.age": "Age",
    "filter.age.min": "Minimum age",
    "filter.age.max": "Maximum age",
    "filter.min": "min",
    "filter.max": "max",
    "filter.region": "Region",
    "filter.dept": "Département",
    "filter.all.regions": "All regions",
    "filter.all.depts": "All départements",
    "filter.reset": "Clear",
    "conn.lost": "Connection lost",
    "conn.lost.text": "Your rooms and conversations will reopen when you reconnect.",
    "conn.reconnect": "Reconnect",
    "conn.reconnecting": "Reconnecting…",
    "conn.failed": "Reconnection failed: {reason}",
    "notice.safety": "Safety",
    "notice.moderation": "Moderation",
    "notice.info": "Info",
    "notice.error": "Oops",
    "notice.dismiss": "Dismiss",
    "error.invalid": "Invalid request.",
    "error.nick_taken": "This nickname is already taken.",
    "error.too_young": "You are too young to use Causerie.",
    "error.forbidden": "Not allowed.",
    "error.age_restricted": "This room or person is not open to your age group.",
    "error.dm_blocked": "This person cannot receive your message.",
    "error.rate_limited": "You are sending too many messages.",
    "error.held_for_review": "Your message is waiting for a moderator.",
    "error.muted": "You are muted in this room.",
    "error.banned": "You are banned.",
    "error.not_found": "Not found.",
    "error.too_large": "Message too long (2,000 characters at most).",
    "error.unavailable": "Service unavailable, your message was not sent. Try again.",
    "error.internal": "Server error.",
  },
};

export const LANGS = Object.freeze(Object.keys(DICTIONARIES));

const listeners = new Set();
let current = initialLang();

/** The saved choice, else English when the browser prefers it, else French. */
function initialLang() {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved && saved in DICTIONARIES) return saved;
  } catch {
    // Storage may be disabled (private mode): fall through to the browser language.
  }
  const preferred = (navigator.languages && navigator.languages[0]) || navigator.language || "";
  return preferred.toLowerCase().startsWith("en") ? "en" : "fr";
}

export function getLang() {
  return current;
}

/** Translate `key`, replacing {name} placeholders with `vars`; unknown keys show as themselves. */
export function t(key, vars = {}) {
  const text = DICTIONARIES[current][key] ?? DICTIONARIES.fr[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

/** Whether the dictionary has `key` (used for optional texts such as error codes). */
export function hasKey(key) {
  return key in DICTIONARIES[current];
}

export function setLang(lang) {
  if (!(lang in DICTIONARIES) || lang === current) return;
  current = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembered across visits; the switch still works for this page.
  }
  translatePage(document);
  for (const listener of listeners) listener(lang);
}

export function onLangChange(listener) {
  listeners.add(listener);
}

/** Fill every element under `root` that names its text with data-i18n attributes. */
export function translatePage(root) {
  document.documentElement.lang = current;
  for (const node of root.querySelectorAll("[data-i18n]")) {
    node.textContent = t(node.dataset.i18n);
  }
  for (const node of root.querySelectorAll("[data-i18n-placeholder]")) {
    node.placeholder = t(node.dataset.i18nPlaceholder);
  }
  for (const node of root.querySelectorAll("[data-i18n-label]")) {
    node.setAttribute("aria-label", t(node.dataset.i18nLabel));
  }
  for (const node of root.querySelectorAll("[data-i18n-title]")) {
    node.title = t(node.dataset.i18nTitle);
  }
}

/** A time of day ("14:05") in the current language. */
export function formatTime(ts) {
  return new Date(ts).toLocaleTimeString(current === "en" ? "en-GB" : "fr-FR", {
    hour: "2-digit",
    minute: "2-digit",
  });
}

/** A full date and time, for tooltips. */
export function formatDateTime(ts) {
  return new Date(ts).toLocaleString(current === "en" ? "en-GB" : "fr-FR", {
    dateStyle: "medium",
    timeStyle: "short",
  });
}
