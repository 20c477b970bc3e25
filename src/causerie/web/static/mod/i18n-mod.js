// Every string the moderation console shows, in French (first) and English, and the current
// language. The console has its own dictionaries (the user client's i18n.js would translate
// this page with its own keys) but shares the remembered choice of language with it.
//
// Static markup names its text with data-i18n (textContent), data-i18n-placeholder,
// data-i18n-label (aria-label) and data-i18n-title; views call t() when they render and
// re-render on a change.

const STORAGE_KEY = "causerie.lang"; // the same key as the user client: one choice per browser

const FR = {
  "app.tagline": "Console de modération",
  "lang.label": "Langue",
  "header.logout": "Déconnexion",
  "login.title": "Espace modération",
  "login.intro": "Réservé à l'équipe de modération. Chaque action est journalisée.",
  "login.name": "Identifiant",
  "login.password": "Mot de passe",
  "login.totp": "Code de vérification",
  "login.totp.hint":
    "Les 6 chiffres de votre application, si la double authentification est activée.",
  "login.submit": "Se connecter",
  "login.connecting": "Connexion…",
  "login.failed": "Connexion refusée : identifiant, mot de passe ou code incorrect.",
  "login.required": "Indiquez votre identifiant et votre mot de passe.",
  "login.unreachable": "Impossible de joindre le serveur. Réessayez dans un instant.",
  "login.timeout": "Le serveur ne répond pas. Réessayez dans un instant.",
  "conn.lost": "Connexion perdue",
  "conn.lost.text": "Reconnectez-vous pour continuer à modérer.",
  "role.moderator": "modération",
  "role.admin": "administration",
  "staff.me": "{name} · {role}",
  "staff.rooms": "Salons : {rooms}",
  "queue.title": "File de modération",
  "queue.count": "{n} éléments",
  "queue.count.one": "{n} élément",
  "queue.count.zero": "aucun élément",
  "queue.empty": "Rien à traiter pour l'instant.",
  "queue.empty.filtered": "Aucun élément ne correspond à ces filtres.",
  "queue.refresh": "Actualiser",
  "queue.pinned": "Alerte",
  "filter.label": "Filtres",
  "filter.state": "État",
  "filter.state.open": "À traiter",
  "filter.state.all": "Tous",
  "filter.kind": "Type",
  "filter.lane": "File",
  "filter.all": "Tous",
  "filter.all.f": "Toutes",
  "kind.report": "Signalement",
  "kind.flag": "Détection automatique",
  "kind.appeal": "Recours",
  "lane.user": "Utilisateurs",
  "lane.trusted": "Signaleur de confiance",
  "lane.automatic": "Automatique",
  "state.received": "Reçu",
  "state.in_review": "En cours d'examen",
  "state.actioned": "Traité",
  "state.dismissed": "Classé sans suite",
  "state.appealed": "En recours",
  "category.child_safety": "Protection de l'enfance",
  "category.threat": "Menace ou guet-apens",
  "category.harassment": "Harcèlement",
  "category.hate": "Haine",
  "category.illegal_goods": "Produits illicites",
  "category.sexual_content": "Contenu sexuel",
  "category.spam": "Spam",
  "category.other": "Autre",
  "category.contact_details_minor": "Coordonnées avec un mineur",
  "category.meeting_minor": "Rencontre avec un mineur",
  "category.report_abuse": "Abus du signalement",
  "category.repeated_violations": "Infractions répétées",
  "severity.label": "Gravité {n} sur 5",
  "decision.warning": "Avertissement",
  "decision.message_removed": "Message supprimé",
  "decision.message_blocked": "Message bloqué",
  "decision.held": "Message retenu",
  "decision.muted": "Rendu muet",
  "decision.kicked": "Expulsé",
  "decision.banned_room": "Banni du salon",
  "decision.banned_site": "Banni du site",
  "decision.suspended": "Suspendu",
  "decision.report_dismissed": "Signalement classé",
  "decision.report_actioned": "Signalement traité",
  "decision.moved_out_of_teen_space": "Sorti de l'espace ados",
  "category.adult_in_teen_space": "Adulte présumé dans l'espace ados",
  "report_reason.suspected_adult": "« Je pense que c'est un adulte »",
  "detail.reason": "Motif précis",
  "detail.details": "Détection",
  "detail.signals": "Signaux de protection de l'enfance concernant {nick}",
  "detail.signals.empty": "Aucun signal de protection de l'enfance.",
  "signal.adult_address": "Adresse partagée avec un profil adulte récent",
  "signal.reaching_minors": "A contacté des mineurs sans salon commun",
  "signal.suspected_adult": "Signalé comme adulte par un ado",
  "signal.band_changed": "Autre tranche d'âge déclarée depuis l'appareil",
  "signal.seeking_minors": "Adulte cherchant des mineurs",
  "signal.grooming_conversation": "Conversation de pédopiégeage signalée",
  "signal.report": "Signalement",
  "signal.this": "cet élément",
  "signal.weight": "poids {weight} (seuil {min})",
  "signal.minors": "{n} mineurs : {names}",
  "factor.adult_within_15_min": "profil adulte il y a moins de 15 min",
  "factor.adult_within_2_h": "profil adulte il y a moins de 2 h",
  "factor.same_browser": "même navigateur",
  "factor.no_device_cookie": "sans cookie (navigation privée ?)",
  "factor.other_minors_here": "d'autres ados à cette adresse",
  "factor.crowded_address": "adresse très partagée",
  "detail.empty": "Choisissez un élément de la file pour l'examiner.",
  "detail.back": "File",
  "detail.report": "Signalement",
  "detail.reporter": "Signalé par",
  "detail.appeal": "Recours",
  "detail.appellant": "Recours formé par",
  "detail.appeal.text": "Texte du recours",
  "detail.no_message.appeal": "Aucun message n'est associé à la décision contestée.",
  "detail.reporter.none": "Détection automatique",
  "detail.reporter.anonymous": "Anonyme",
  "detail.comment": "Commentaire",
  "detail.comment.none": "Pas de commentaire.",
  "detail.contact": "Contact",
  "detail.rule": "Règle",
  "detail.target": "Personne visée",
  "detail.assigned": "Pris en charge par",
  "detail.received": "Reçu",
  "detail.statement": "Décision contestée",
  "detail.context": "Message signalé dans sa conversation",
  "detail.context.room": "Salon {room}",
  "detail.context.dm": "Conversation privée",
  "detail.no_message": "Signalement d'une personne : aucun message précis.",
  "detail.reported": "signalé",
  "detail.picture": "Image du message signalé",
  "detail.picture.view": "Voir l'image (consultation journalisée)",
  "detail.picture.gone": "Image indisponible.",
  "detail.history": "Messages récents de {nick}",
  "detail.history.empty": "Aucun message récent.",
  "detail.actions": "Mesures antérieures contre {nick}",
  "detail.actions.empty": "Aucune mesure antérieure.",
  "person.age": "{n} ans",
  "action.bar": "Actions",
  "action.take": "Prendre en charge",
  "action.release_held": "Publier le message retenu",
  "action.discard_held": "Écarter le message retenu",
  "action.dismiss": "Classer sans suite",
  "action.delete_message": "Supprimer le message",
  "action.mute": "Rendre muet",
  "action.kick": "Expulser",
  "action.ban": "Bannir",
  "action.lock_room": "Verrouiller",
  "action.slow_mode": "Mode lent",
  "action.stop_game": "Arrêter le jeu",
  "action.uphold": "Maintenir",
  "action.reverse": "Annuler la décision",
  "action.move_out_of_teen_space": "Sortir de l'espace ados",
  "action.reason": "Motif",
  "action.reason.hint": "Envoyé à la personne dans l'exposé des motifs et inscrit au journal.",
  "action.reason.required": "Le motif est obligatoire.",
  "action.duration": "Durée",
  "action.scope": "Portée",
  "action.lock": "Salon",
  "action.interval": "Intervalle",
  "action.confirm": "Confirmer",
  "action.cancel": "Annuler",
  "action.sending": "Envoi…",
  "action.offline": "Hors ligne : reconnectez-vous pour agir.",
  "done.take": "élément pris en charge",
  "done.release_held": "message publié",
  "done.discard_held": "message écarté",
  "done.dismiss": "classé sans suite",
  "done.delete_message": "message supprimé",
  "done.mute": "personne rendue muette",
  "done.kick": "personne expulsée",
  "done.ban": "bannissement appliqué",
  "done.lock_room": "verrouillage du salon modifié",
  "done.slow_mode": "mode lent réglé",
  "done.stop_game": "jeu du salon arrêté",
  "done.decide_appeal": "recours tranché",
  "done.move_out_of_teen_space": "sorti de l'espace ados (l'appareil garde la tranche adulte)",
  "action.done": "Fait : {action}.",
  "action.done.statement": "Fait : {action}. Exposé des motifs n° {statement} envoyé.",
  "action.failed": "Refusé : {message}",
  "action.on": "{action} — {nick}",
  "scope.room": "Salon {room}",
  "scope.site": "Tout le site",
  "duration.600": "10 min",
  "duration.3600": "1 h",
  "duration.86400": "24 h",
  "duration.604800": "7 j",
  "duration.2592000": "30 j",
  "duration.forever": "Définitif",
  "lock.true": "Verrouiller",
  "lock.false": "Déverrouiller",
  "slow.0": "Désactivé",
  "slow.n": "{n} s",
  "reason.take": "Prise en charge pour examen.",
  "reason.release_held": "Vérifié : le message respecte les règles.",
  "reason.discard_held": "Vérifié : le message ne respecte pas les règles et n'est pas publié.",
  "reason.dismiss": "Après examen, aucune infraction aux règles n'a été constatée.",
  "reason.uphold": "Après réexamen, la décision est maintenue.",
  "reason.reverse": "Après réexamen, la décision est annulée.",
  "reason.lock_room": "Salon verrouillé le temps de rétablir le calme.",
  "reason.slow_mode": "Mode lent pour apaiser la discussion.",
  "reason.stop_game": "Partie arrêtée par l'équipe de modération.",
  "reason.unlock_room": "Le calme est revenu : le salon est rouvert.",
  "reason.slow_mode_off": "Le mode lent n'est plus nécessaire.",
  "reason.child_safety": "Contenu ou comportement mettant en danger des mineurs.",
  "reason.threat": "Menace ou tentative de guet-apens envers un membre.",
  "reason.harassment": "Harcèlement envers un autre membre.",
  "reason.hate": "Propos haineux ou discriminatoires.",
  "reason.illegal_goods": "Proposition de produits ou de services illicites.",
  "reason.sexual_content": "Contenu sexuel hors des espaces prévus.",
  "reason.spam": "Spam ou publicité non sollicitée.",
  "reason.other": "Manquement aux règles de Causerie.",
  "reason.move_out_of_teen_space":
    "Plusieurs signes indiquent que tu es majeur : l'espace ados est réservé aux 13-17 ans.",
  "alert.title": "ALERTE",
  "alert.text": "{category} : {nick} — {ago}",
  "alert.more": "et {n} autres alertes",
  "alert.more.one": "et 1 autre alerte",
  "alert.open": "Ouvrir",
  "alert.ack": "Vu",
  "alert.doc": "⚠ ALERTE — Modération",
  "doc.title": "Modération — Causerie",
  "error.generic": "Erreur : {code}",
};

const EN = {
  "app.tagline": "Moderation console",
  "lang.label": "Language",
  "header.logout": "Log out",
  "login.title": "Moderation",
  "login.intro": "For the moderation team only. Every action is logged.",
  "login.name": "Name",
  "login.password": "Password",
  "login.totp": "Verification code",
  "login.totp.hint": "The 6 digits from your app, when two-factor authentication is on.",
  "login.submit": "Log in",
  "login.connecting": "Connecting…",
  "login.failed": "Login refused: wrong name, password or code.",
  "login.required": "Enter your name and password.",
  "login.unreachable": "Cannot reach the server. Try again in a moment.",
  "login.timeout": "The server does not answer. Try again in a moment.",
  "conn.lost": "Connection lost",
  "conn.lost.text": "Log in again to keep moderating.",
  "role.moderator": "moderator",
  "role.admin": "admin",
  "staff.me": "{name} · {role}",
  "staff.rooms": "Rooms: {rooms}",
  "queue.title": "Moderation queue",
  "queue.count": "{n} items",
  "queue.count.one": "{n} item",
  "queue.count.zero": "no items",
  "queue.empty": "Nothing to handle right now.",
  "queue.empty.filtered": "No item matches these filters.",
  "queue.refresh": "Refresh",
  "queue.pinned": "Alert",
  "filter.label": "Filters",
  "filter.state": "State",
  "filter.state.open": "To handle",
  "filter.state.all": "All",
  "filter.kind": "Kind",
  "filter.lane": "Lane",
  "filter.all": "All",
  "filter.all.f": "All",
  "kind.report": "Report",
  "kind.flag": "Automatic flag",
  "kind.appeal": "Appeal",
  "lane.user": "Users",
  "lane.trusted": "Trusted flagger",
  "lane.automatic": "Automatic",
  "state.received": "Received",
  "state.in_review": "In review",
  "state.actioned": "Actioned",
  "state.dismissed": "Dismissed",
  "state.appealed": "Appealed",
  "category.child_safety": "Child safety",
  "category.threat": "Threat or ambush",
  "category.harassment": "Harassment",
  "category.hate": "Hate",
  "category.illegal_goods": "Illegal goods",
  "category.sexual_content": "Sexual content",
  "category.spam": "Spam",
  "category.other": "Other",
  "category.contact_details_minor": "Contact details with a minor",
  "category.meeting_minor": "Meeting with a minor",
  "category.report_abuse": "Report abuse",
  "category.repeated_violations": "Repeated violations",
  "severity.label": "Severity {n} of 5",
  "decision.warning": "Warning",
  "decision.message_removed": "Message removed",
  "decision.message_blocked": "Message blocked",
  "decision.held": "Message held",
  "decision.muted": "Muted",
  "decision.kicked": "Kicked",
  "decision.banned_room": "Banned from the room",
  "decision.banned_site": "Banned from the site",
  "decision.suspended": "Suspended",
  "decision.report_dismissed": "Report dismissed",
  "decision.report_actioned": "Report actioned",
  "decision.moved_out_of_teen_space": "Moved out of the teen space",
  "category.adult_in_teen_space": "Presumed adult in the teen space",
  "report_reason.suspected_adult": "“I think this is an adult”",
  "detail.reason": "Specific reason",
  "detail.details": "Detection",
  "detail.signals": "Child-safety signals about {nick}",
  "detail.signals.empty": "No child-safety signal.",
  "signal.adult_address": "Address shared with a recent adult profile",
  "signal.reaching_minors": "Reached minors with no shared room",
  "signal.suspected_adult": "Reported as an adult by a teen",
  "signal.band_changed": "Other age band declared from the device",
  "signal.seeking_minors": "Adult seeking minors",
  "signal.grooming_conversation": "Grooming conversation flagged",
  "signal.report": "Report",
  "signal.this": "this item",
  "signal.weight": "weight {weight} (line {min})",
  "signal.minors": "{n} minors: {names}",
  "factor.adult_within_15_min": "adult profile less than 15 min ago",
  "factor.adult_within_2_h": "adult profile less than 2 h ago",
  "factor.same_browser": "same browser",
  "factor.no_device_cookie": "no cookie (private window?)",
  "factor.other_minors_here": "other teens at this address",
  "factor.crowded_address": "much-shared address",
  "detail.empty": "Pick an item in the queue to review it.",
  "detail.back": "Queue",
  "detail.report": "Report",
  "detail.reporter": "Reported by",
  "detail.appeal": "Appeal",
  "detail.appellant": "Appeal by",
  "detail.appeal.text": "What the appeal says",
  "detail.no_message.appeal": "No message is attached to the contested decision.",
  "detail.reporter.none": "Automatic detection",
  "detail.reporter.anonymous": "Anonymous",
  "detail.comment": "Comment",
  "detail.comment.none": "No comment.",
  "detail.contact": "Contact",
  "detail.rule": "Rule",
  "detail.target": "Person concerned",
  "detail.assigned": "Taken by",
  "detail.received": "Received",
  "detail.statement": "Contested decision",
  "detail.context": "Reported message in its conversation",
  "detail.context.room": "Room {room}",
  "detail.context.dm": "Private conversation",
  "detail.no_message": "A report about a person: no specific message.",
  "detail.reported": "reported",
  "detail.picture": "Picture of the reported message",
  "detail.picture.view": "See the picture (the look is logged)",
  "detail.picture.gone": "Picture unavailable.",
  "detail.history": "Recent messages from {nick}",
  "detail.history.empty": "No recent messages.",
  "detail.actions": "Earlier actions against {nick}",
  "detail.actions.empty": "No earlier actions.",
  "person.age": "{n} y/o",
  "action.bar": "Actions",
  "action.take": "Take",
  "action.release_held": "Publish the held message",
  "action.discard_held": "Discard the held message",
  "action.dismiss": "Dismiss",
  "action.delete_message": "Delete message",
  "action.mute": "Mute",
  "action.kick": "Kick",
  "action.ban": "Ban",
  "action.lock_room": "Lock",
  "action.slow_mode": "Slow mode",
  "action.stop_game": "Stop the game",
  "action.uphold": "Uphold",
  "action.reverse": "Reverse the decision",
  "action.move_out_of_teen_space": "Move out of the teen space",
  "action.reason": "Reason",
  "action.reason.hint": "Sent to the person in the statement of reasons and written to the log.",
  "action.reason.required": "A reason is required.",
  "action.duration": "Duration",
  "action.scope": "Scope",
  "action.lock": "Room",
  "action.interval": "Interval",
  "action.confirm": "Confirm",
  "action.cancel": "Cancel",
  "action.sending": "Sending…",
  "action.offline": "Offline: log in again to act.",
  "done.take": "item taken",
  "done.release_held": "message published",
  "done.discard_held": "message discarded",
  "done.dismiss": "dismissed",
  "done.delete_message": "message deleted",
  "done.mute": "person muted",
  "done.kick": "person kicked",
  "done.ban": "ban applied",
  "done.lock_room": "room lock changed",
  "done.slow_mode": "slow mode set",
  "done.stop_game": "the room's game stopped",
  "done.decide_appeal": "appeal decided",
  "done.move_out_of_teen_space": "moved out of the teen space (the device keeps the adult band)",
  "action.done": "Done: {action}.",
  "action.done.statement": "Done: {action}. Statement of reasons {statement} sent.",
  "action.failed": "Refused: {message}",
  "action.on": "{action} — {nick}",
  "scope.room": "Room {room}",
  "scope.site": "Whole site",
  "duration.600": "10 min",
  "duration.3600": "1 h",
  "duration.86400": "24 h",
  "duration.604800": "7 days",
  "duration.2592000": "30 days",
  "duration.forever": "Permanent",
  "lock.true": "Lock",
  "lock.false": "Unlock",
  "slow.0": "Off",
  "slow.n": "{n} s",
  "reason.take": "Taken for review.",
  "reason.release_held": "Checked: the message keeps to the rules.",
  "reason.discard_held": "Checked: the message breaks the rules and is not published.",
  "reason.dismiss": "After review, no breach of the rules was found.",
  "reason.uphold": "After a new review, the decision stands.",
  "reason.reverse": "After a new review, the decision is reversed.",
  "reason.lock_room": "Room locked while calm returns.",
  "reason.slow_mode": "Slow mode to calm the conversation.",
  "reason.stop_game": "Game stopped by the moderation team.",
  "reason.unlock_room": "Calm is back: the room is open again.",
  "reason.slow_mode_off": "Slow mode is no longer needed.",
  "reason.child_safety": "Content or behaviour that puts minors at risk.",
  "reason.threat": "Threat or attempted ambush against a member.",
  "reason.harassment": "Harassment of another member.",
  "reason.hate": "Hateful or discriminatory speech.",
  "reason.illegal_goods": "Offering illegal goods or services.",
  "reason.sexual_content": "Sexual content outside the spaces meant for it.",
  "reason.spam": "Spam or unsolicited advertising.",
  "reason.other": "Breach of Causerie's rules.",
  "reason.move_out_of_teen_space":
    "Several signs show you are an adult: the teen space is for 13-17 year-olds.",
  "alert.title": "ALERT",
  "alert.text": "{category}: {nick} — {ago}",
  "alert.more": "and {n} more alerts",
  "alert.more.one": "and 1 more alert",
  "alert.open": "Open",
  "alert.ack": "Seen",
  "alert.doc": "⚠ ALERT — Moderation",
  "doc.title": "Moderation — Causerie",
  "error.generic": "Error: {code}",
};

const DICTIONARIES = { fr: FR, en: EN };
const listeners = new Set();
let current = initialLang();

function initialLang() {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved && saved in DICTIONARIES) return saved;
  } catch {
    // Storage may be disabled: fall through to the browser language.
  }
  const preferred = (navigator.languages && navigator.languages[0]) || navigator.language || "";
  return preferred.toLowerCase().startsWith("en") ? "en" : "fr";
}

export function getLang() {
  return current;
}

/** Translate `key`, replacing {name} placeholders with `vars`; unknown keys show as themselves. */
export function t(key, vars = {}) {
  const text = DICTIONARIES[current][key] ?? FR[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

export function hasKey(key) {
  return key in DICTIONARIES[current];
}

/** A count with its French/English plural ("1 élément", "3 éléments", "aucun élément"). */
export function tCount(key, n) {
  if (n === 0 && hasKey(`${key}.zero`)) return t(`${key}.zero`, { n });
  if (n === 1 && hasKey(`${key}.one`)) return t(`${key}.one`, { n });
  return t(key, { n });
}

/** A label for a server value (category, state…), the raw value when the console lacks one. */
export function label(prefix, value) {
  const key = `${prefix}.${value}`;
  return hasKey(key) ? t(key) : String(value ?? "");
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

const AGO_STEPS = [
  ["year", 365 * 86400],
  ["month", 30 * 86400],
  ["week", 7 * 86400],
  ["day", 86400],
  ["hour", 3600],
  ["minute", 60],
];

/** How long ago `ts` (ms) was, relative to `nowMs`: "il y a 3 min", "3 min ago". */
export function formatAgo(ts, nowMs = Date.now()) {
  const seconds = Math.max(0, Math.round((nowMs - ts) / 1000));
  const format = new Intl.RelativeTimeFormat(current === "en" ? "en-GB" : "fr-FR", {
    numeric: "auto",
    style: "short",
  });
  for (const [unit, size] of AGO_STEPS) {
    if (seconds >= size) return format.format(-Math.floor(seconds / size), unit);
  }
  return format.format(-seconds, "second");
}

export function formatTime(ts) {
  return new Date(ts).toLocaleTimeString(current === "en" ? "en-GB" : "fr-FR", {
    hour: "2-digit",
    minute: "2-digit",
  });
}

export function formatDateTime(ts) {
  return new Date(ts).toLocaleString(current === "en" ? "en-GB" : "fr-FR", {
    dateStyle: "medium",
    timeStyle: "short",
  });
}
