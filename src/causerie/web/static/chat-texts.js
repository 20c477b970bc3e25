// Texts of the chat's newer parts (reconnection, waiting messages, mentions, alerts, days),
// French first then English; added to i18n.js's dictionaries when this module is loaded.

import { addTexts } from "./i18n.js";

addTexts({
  fr: {
    "conn.next": "Nouvel essai dans {n} s.",
    "conn.no_network": "En attente du réseau…",
    "conn.ended": "La session a été fermée.",
    "chat.offline.queue": "Hors ligne : écris quand même, ton message partira à la reconnexion.",
    "chat.input.hint": "Entrée pour envoyer, Maj+Entrée pour aller à la ligne, @ pour nommer quelqu'un.",
    "chat.queued": "{n} message(s) en attente : ils partiront à la reconnexion.",
    "chat.queued.offline": "en attente de connexion",
    "chat.queued.dm_wait": "partira tout seul dès que possible",
    "chat.dm_wait":
      "Les nouvelles conversations privées s'ouvrent dans {n} s. Tu peux déjà écrire : " +
      "ton message partira tout seul.",
    "chat.dm_wait.queued":
      "Ton message à {nick} partira tout seul dans {n} s (les nouvelles conversations " +
      "privées s'ouvrent après un court délai).",
    "chat.failed.because": "non envoyé : {reason}",
    "chat.unsent.connection": "la connexion a été coupée",
    "chat.retry": "Réessayer",
    "mention.list": "Personnes du salon",
    "tabs.mentions": "{n} mention(s) de toi",
    "day.today": "Aujourd'hui",
    "day.yesterday": "Hier",
    "members.blocked": "bloqué·e",
    "members.card": "Fiche",
    "members.card.of": "Avec {nick}",
    "members.card.none": "Cette personne n'est plus là.",
    "attention.title": "Alertes",
    "attention.sound_dm": "Son pour les messages privés",
    "attention.sound_mention": "Son quand on me mentionne",
    "attention.notify": "Notifications du navigateur (messages privés et mentions)",
    "attention.notify.on": "Activées : tu seras prévenu·e quand Causerie est en arrière-plan.",
    "attention.notify.denied":
      "Le navigateur bloque les notifications de ce site : tu peux les autoriser dans ses réglages.",
    "attention.notify.unsupported": "Ce navigateur n'affiche pas de notifications.",
    "notify.offer": "Être prévenu·e des messages privés quand Causerie est en arrière-plan ?",
    "notify.offer.accept": "Activer les notifications",
    "notify.dm.title": "Message privé de {nick}",
    "notify.mention.title": "{nick} t'a mentionné·e dans {room}",
  },
  en: {
    "conn.next": "Trying again in {n} s.",
    "conn.no_network": "Waiting for the network…",
    "conn.ended": "The session was closed.",
    "chat.offline.queue": "Offline: write anyway, your message will leave when you reconnect.",
    "chat.input.hint": "Enter to send, Shift+Enter for a new line, @ to name someone.",
    "chat.queued": "{n} message(s) waiting: they will leave when you reconnect.",
    "chat.queued.offline": "waiting for the connection",
    "chat.queued.dm_wait": "will leave by itself as soon as possible",
    "chat.dm_wait":
      "New private conversations open in {n} s. You can write already: your message will " +
      "leave by itself.",
    "chat.dm_wait.queued":
      "Your message to {nick} will leave by itself in {n} s (new private conversations " +
      "open after a short wait).",
    "chat.failed.because": "not sent: {reason}",
    "chat.unsent.connection": "the connection was cut",
    "chat.retry": "Retry",
    "mention.list": "People in the room",
    "tabs.mentions": "{n} mention(s) of you",
    "day.today": "Today",
    "day.yesterday": "Yesterday",
    "members.blocked": "blocked",
    "members.card": "Profile",
    "members.card.of": "With {nick}",
    "members.card.none": "This person is no longer here.",
    "attention.title": "Alerts",
    "attention.sound_dm": "Sound for private messages",
    "attention.sound_mention": "Sound when someone mentions me",
    "attention.notify": "Browser notifications (private messages and mentions)",
    "attention.notify.on": "On: you will be told when Causerie is in the background.",
    "attention.notify.denied":
      "The browser blocks notifications from this site: you can allow them in its settings.",
    "attention.notify.unsupported": "This browser does not show notifications.",
    "notify.offer": "Be told about private messages when Causerie is in the background?",
    "notify.offer.accept": "Turn on notifications",
    "notify.dm.title": "Private message from {nick}",
    "notify.mention.title": "{nick} mentioned you in {room}",
  },
});
