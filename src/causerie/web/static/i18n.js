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
    "join.too_many":
      "Trop de connexions depuis ton adresse ou cet appareil. Ferme d'autres onglets ou réessaie dans un moment.",
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
    "picture.send": "Envoyer une image",
    "picture.not_here": "Les images ne sont pas autorisées ici.",
    "picture.not_picture": "Ce fichier n'est pas une image (JPEG, PNG, WebP ou GIF).",
    "picture.too_large": "Image trop lourde : {n} Mo au maximum.",
    "picture.failed": "L'image n'a pas pu être envoyée. Réessaie.",
    "picture.uploading": "Envoi de l'image… {n} %",
    "picture.reveal": "Voir l'image",
    "picture.report": "Signaler",
    "picture.blurred.alt": "Image floutée : clique sur « Voir l'image » pour l'afficher",
    "picture.alt": "Image envoyée dans la conversation",
    "picture.open": "Agrandir l'image",
    "picture.close": "Fermer",
    "picture.gone": "Image indisponible",
    "picture.in_request": "[une image, floutée tant que tu n'as pas choisi de la voir]",
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
    "menu.open": "Signaler ou bloquer {nick}",
    "menu.open.message": "Signaler ce message de {nick}",
    "report.title": "Signaler",
    "report.target.message": "Message de {nick} :",
    "report.target.person": "Signaler {nick}",
    "report.category": "Motif",
    "report.category.choose": "Choisir un motif…",
    "report.category.child_safety": "Protection de l'enfance",
    "report.category.threat": "Menace ou guet-apens",
    "report.category.harassment": "Harcèlement",
    "report.category.hate": "Haine",
    "report.category.illegal_goods": "Produits illicites",
    "report.category.sexual_content": "Contenu sexuel",
    "report.category.spam": "Spam",
    "report.category.other": "Autre",
    "report.category.required": "Choisis un motif.",
    "report.comment": "Commentaire (facultatif)",
    "report.comment.hint": "Ce qui s'est passé, en quelques mots.",
    "report.contact": "Pour te recontacter (facultatif)",
    "report.contact.hint":
      "Une adresse e-mail si tu veux connaître la suite. Seule la modération la voit.",
    "report.good_faith": "Je signale de bonne foi",
    "report.submit": "Envoyer le signalement",
    "report.sending": "Envoi…",
    "report.cancel": "Annuler",
    "report.close": "Fermer",
    "report.block": "Bloquer {nick}",
    "report.unblock": "Débloquer {nick}",
    "report.blocked": "Tu as bloqué {nick} : vous ne vous verrez plus.",
    "report.unblocked": "Tu as débloqué {nick}.",
    "report.done": "Signalement reçu (n° {id}). Merci.",
    "report.done.text":
      "La modération va l'examiner ; tu recevras sa décision ici.",
    "report.suspected_adult": "Je pense que c'est un adulte",
    "report.suspected_adult.hint":
      "Il dit avoir ton âge mais tu crois qu'il est majeur ? Envoie-le aux modérateurs en un geste.",
    "report.suspected_adult.done":
      "Merci, c'est envoyé (n° {id}). Un modérateur vérifie. En attendant, ne lui donne rien de personnel.",
    "report.peer": "Signaler",
    "report.urgent":
      "En danger ? Appelle le 17 ou le 112. Enfants et ados : le 119, gratuit, jour et nuit.",
    "message.deleted": "Message supprimé par la modération",
    "message.held": "retenu pour vérification",
    "statement.title": "Décision de la modération",
    "statement.appeal": "Contester",
    "statement.appeal.label": "Explique pourquoi cette décision te semble injuste",
    "statement.appeal.submit": "Envoyer la contestation",
    "statement.appeal.sending": "Envoi…",
    "statement.appeal.cancel": "Annuler",
    "statement.appeal.empty": "Écris quelques mots pour expliquer.",
    "statement.appealed":
      "Contestation enregistrée : un·e autre modérateur·rice va réexaminer la décision. La " +
      "réponse arrivera ici.",
    "statement.dismiss": "Fermer",
    "safety.title": "Sécurité",
    "safety.dismiss": "Fermer",
    "safety.report": "Signaler {nick}",
    "safety.helpline": "Appeler le 3018",
    "requests.title": "Demandes",
    "requests.intro":
      "Des personnes que tu ne connais pas veulent t'écrire. Liens, numéros et adresses restent " +
      "masqués tant que tu n'acceptes pas.",
    "requests.accept": "Accepter",
    "requests.decline": "Refuser",
    "requests.declined": "Demande de {nick} refusée.",
    "requests.count": "{n} demandes",
    "requests.count.one": "{n} demande",
    "dm.not_accepted": "Message non accepté",
    "settings.open": "Réglages",
    "settings.title": "Réglages",
    "settings.dm_policy": "Qui peut m'écrire en privé",
    "settings.dm_policy.everyone": "Tout le monde de ma tranche d'âge",
    "settings.dm_policy.shared_room": "Les personnes dans un salon avec moi",
    "settings.dm_policy.nobody": "Personne",
    "settings.dm_policy.hint":
      "Les messages de personnes que tu ne connais pas arrivent d'abord dans « Demandes ».",
    "settings.saving": "Enregistrement…",
    "settings.saved": "Enregistré.",
    "settings.blocked": "Personnes bloquées",
    "mydata.title": "Mes données",
    "mydata.hint": "Tout ce que le service garde sur ta session actuelle, dans un fichier.",
    "mydata.download": "Télécharger mes données",
    "mydata.done": "Fichier téléchargé.",
    "mydata.failed": "Le téléchargement a échoué. Réessaie dans un instant.",
    "settings.blocked.none": "Tu n'as bloqué personne.",
    "settings.unblock": "Débloquer",
    "settings.close": "Fermer",
    "room.locked": "Salon verrouillé par la modération",
    "room.slow": "Mode lent : 1 message toutes les {n} s",
    "chat.locked": "Salon verrouillé : personne ne peut écrire pour l'instant.",
    "restriction.muted": "Tu es en sourdine : la modération t'empêche d'écrire ici pour le moment.",
    "restriction.muted.until":
      "Tu es en sourdine : tu pourras de nouveau écrire dans {duration} (vers {time}).",
    "restriction.banned": "Tu es exclu·e par la modération : tu ne peux plus écrire ici.",
    "restriction.banned.until":
      "Tu es exclu·e par la modération : tu pourras revenir dans {duration} (vers {time}).",
    "restriction.held":
      "Ton message est retenu : un·e modérateur·rice le vérifiera avant qu'il soit publié.",
    "teen.dm.tip": "Ne donne jamais ton adresse, ton numéro ou tes réseaux. Tu peux signaler.",
    "duration.s": "{n} s",
    "duration.min": "{n} min",
    "duration.h": "{h} h",
    "duration.h.min": "{h} h {m} min",
    "duration.d": "{n} j",
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
    "join.postcode.hint": "Only your department and region will be visible.",
    "join.submit": "Enter",
    "join.connecting": "Connecting…",
    "join.safety": "Never give your address or phone number. You can block anyone at any time.",
    "join.required": "This field is required.",
    "join.nick.length": "Your nickname must be 2 to 20 characters long.",
    "join.age.number": "Enter your age as a number.",
    "join.postcode.format": "A postal code has 5 digits.",
    "join.unreachable": "Cannot reach the server. Try again in a moment.",
    "join.too_many":
      "Too many connections from your address or this device. Close other tabs or try again in a moment.",
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
    "picture.send": "Send a picture",
    "picture.not_here": "Pictures are not allowed here.",
    "picture.not_picture": "This file is not a picture (JPEG, PNG, WebP or GIF).",
    "picture.too_large": "Picture too large: {n} MB at most.",
    "picture.failed": "The picture could not be sent. Try again.",
    "picture.uploading": "Sending the picture… {n} %",
    "picture.reveal": "See the picture",
    "picture.report": "Report",
    "picture.blurred.alt": "Blurred picture: click “See the picture” to show it",
    "picture.alt": "Picture sent in the conversation",
    "picture.open": "Enlarge the picture",
    "picture.close": "Close",
    "picture.gone": "Picture unavailable",
    "picture.in_request": "[a picture, blurred until you choose to see it]",
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
    "filter.dept": "Department",
    "filter.all.regions": "All regions",
    "filter.all.depts": "All departments",
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
    "menu.open": "Report or block {nick}",
    "menu.open.message": "Report this message from {nick}",
    "report.title": "Report",
    "report.target.message": "Message from {nick}:",
    "report.target.person": "Report {nick}",
    "report.category": "Reason",
    "report.category.choose": "Choose a reason…",
    "report.category.child_safety": "Child safety",
    "report.category.threat": "Threat or ambush",
    "report.category.harassment": "Harassment",
    "report.category.hate": "Hate",
    "report.category.illegal_goods": "Illegal goods",
    "report.category.sexual_content": "Sexual content",
    "report.category.spam": "Spam",
    "report.category.other": "Other",
    "report.category.required": "Choose a reason.",
    "report.comment": "Comment (optional)",
    "report.comment.hint": "What happened, in a few words.",
    "report.contact": "How to reach you (optional)",
    "report.contact.hint": "An e-mail address if you want to hear back. Only moderators see it.",
    "report.good_faith": "I am reporting in good faith",
    "report.submit": "Send the report",
    "report.sending": "Sending…",
    "report.cancel": "Cancel",
    "report.close": "Close",
    "report.block": "Block {nick}",
    "report.unblock": "Unblock {nick}",
    "report.blocked": "You blocked {nick}: you will no longer see each other.",
    "report.unblocked": "You unblocked {nick}.",
    "report.done": "Report received (no. {id}). Thank you.",
    "report.done.text":
      "Moderators will look into it; their decision will reach you here.",
    "report.suspected_adult": "I think this is an adult",
    "report.suspected_adult.hint":
      "They say they are your age but you think they are an adult? Send it to the moderators in one tap.",
    "report.suspected_adult.done":
      "Thank you, it is sent (no. {id}). A moderator is checking. Meanwhile, give them nothing personal.",
    "report.peer": "Report",
    "report.urgent": "In danger? Call 17 or 112. Children and teens: 119, free, day and night.",
    "message.deleted": "Message removed by moderators",
    "message.held": "held for review",
    "statement.title": "Moderation decision",
    "statement.appeal": "Appeal",
    "statement.appeal.label": "Explain why you think this decision is wrong",
    "statement.appeal.submit": "Send the appeal",
    "statement.appeal.sending": "Sending…",
    "statement.appeal.cancel": "Cancel",
    "statement.appeal.empty": "Write a few words to explain.",
    "statement.appealed":
      "Appeal recorded: another moderator will review the decision. The answer will arrive here.",
    "statement.dismiss": "Dismiss",
    "safety.title": "Safety",
    "safety.dismiss": "Dismiss",
    "safety.report": "Report {nick}",
    "safety.helpline": "Call 3018",
    "requests.title": "Requests",
    "requests.intro":
      "People you do not know want to write to you. Links, numbers and addresses stay hidden " +
      "until you accept.",
    "requests.accept": "Accept",
    "requests.decline": "Decline",
    "requests.declined": "Request from {nick} declined.",
    "requests.count": "{n} requests",
    "requests.count.one": "{n} request",
    "dm.not_accepted": "Message not accepted",
    "settings.open": "Settings",
    "settings.title": "Settings",
    "settings.dm_policy": "Who may message me privately",
    "settings.dm_policy.everyone": "Everyone in my age group",
    "settings.dm_policy.shared_room": "People in a room with me",
    "settings.dm_policy.nobody": "Nobody",
    "settings.dm_policy.hint": "Messages from people you do not know arrive in “Requests” first.",
    "settings.saving": "Saving…",
    "settings.saved": "Saved.",
    "settings.blocked": "Blocked people",
    "mydata.title": "My data",
    "mydata.hint": "Everything the service keeps about your current session, in one file.",
    "mydata.download": "Download my data",
    "mydata.done": "File downloaded.",
    "mydata.failed": "The download failed. Try again in a moment.",
    "settings.blocked.none": "You have not blocked anyone.",
    "settings.unblock": "Unblock",
    "settings.close": "Close",
    "room.locked": "Room locked by moderators",
    "room.slow": "Slow mode: 1 message every {n} s",
    "chat.locked": "Room locked: nobody can write for now.",
    "restriction.muted": "You are muted: moderators have stopped you from writing here for now.",
    "restriction.muted.until": "You are muted: you can write again in {duration} (around {time}).",
    "restriction.banned": "You are banned by moderators: you can no longer write here.",
    "restriction.banned.until":
      "You are banned by moderators: you can come back in {duration} (around {time}).",
    "restriction.held": "Your message is held: a moderator will check it before it is published.",
    "teen.dm.tip": "Never give your address, your number or your socials. You can report.",
    "duration.s": "{n} s",
    "duration.min": "{n} min",
    "duration.h": "{h} h",
    "duration.h.min": "{h} h {m} min",
    "duration.d": "{n} d",
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

/**
 * More texts, kept with the view they belong to (`{fr: {...}, en: {...}}`), so this file stays
 * the shared words; a view module calls it when it is loaded, before the page is translated.
 */
export function addTexts(texts) {
  for (const lang of LANGS) Object.assign(DICTIONARIES[lang], texts[lang] ?? {});
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

/** A day for a separator in the history: "Aujourd'hui", "Hier", or the date. */
export function formatDay(ts, now = Date.now()) {
  const day = new Date(ts);
  const today = new Date(now);
  const startOf = (date) => new Date(date.getFullYear(), date.getMonth(), date.getDate());
  const days = Math.round((startOf(today) - startOf(day)) / 86400000);
  if (days === 0) return t("day.today");
  if (days === 1) return t("day.yesterday");
  return day.toLocaleDateString(current === "en" ? "en-GB" : "fr-FR", {
    weekday: "long",
    day: "numeric",
    month: "long",
    ...(day.getFullYear() === today.getFullYear() ? {} : { year: "numeric" }),
  });
}

/** A delay in words ("45 s", "5 min", "2 h 10 min", "3 j"), rounded up to the shown unit. */
export function formatDuration(seconds) {
  const total = Math.max(1, Math.ceil(Number(seconds) || 0));
  if (total < 60) return t("duration.s", { n: total });
  const minutes = Math.ceil(total / 60);
  if (minutes < 60) return t("duration.min", { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    const rest = minutes % 60;
    return rest ? t("duration.h.min", { h: hours, m: rest }) : t("duration.h", { h: hours });
  }
  return t("duration.d", { n: Math.ceil(hours / 24) });
}
