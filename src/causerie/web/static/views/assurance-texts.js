// The words of the age-assurance walk-through (views/assurance.js), French first, English too.
// Spoken to a teenager: short sentences, "tu", what happens and what nobody learns.

import { addTexts } from "../i18n.js";

addTexts({
  fr: {
    "assurance.title": "Vérifie que tu as moins de 18 ans",
    "assurance.intro.dm":
      "L'espace ados est réservé aux 13–17 ans. Pour écrire en privé, Causerie te demande une vérification d'âge rapide et anonyme.",
    "assurance.intro.space":
      "L'espace ados est réservé aux 13–17 ans. Pour entrer dans les salons et écrire en privé, Causerie te demande une vérification d'âge rapide et anonyme.",
    "assurance.step.open":
      "Un service de vérification indépendant s'ouvre dans une nouvelle fenêtre. Il estime ton âge, par exemple avec une courte vidéo de ton visage, puis efface l'image.",
    "assurance.step.private":
      "Ce service ne sait pas que tu viens de Causerie. Causerie reçoit une seule réponse, « moins de 18 ans » : ni ton nom, ni ta photo, ni ta date de naissance.",
    "assurance.step.back": "Tu reviens ici, et c'est débloqué.",
    "assurance.wrong":
      "Si le service se trompe sur ton âge, tu peux recommencer. Rien n'est gardé de cette tentative.",
    "assurance.open": "Ouvrir la vérification",
    "assurance.later": "Plus tard",
    "assurance.close": "Fermer",
    "assurance.waiting":
      "La vérification est ouverte dans une autre fenêtre. Reviens ici quand c'est fini.",
    "assurance.blocked":
      "La fenêtre ne s'est pas ouverte (fenêtres pop-up bloquées ?). Tu peux aussi ouvrir ce lien :",
    "assurance.link": "la vérification d'âge",
    "assurance.checking": "Vérification de la réponse…",
    "assurance.offline": "Pas de connexion au serveur : réessaie dans un instant.",
    "assurance.unavailable": "La vérification d'âge n'est pas disponible pour le moment.",
    "assurance.done.title": "C'est fait !",
    "assurance.done.dm": "Tu as moins de 18 ans : tu peux maintenant écrire en privé.",
    "assurance.done.space":
      "Tu as moins de 18 ans : les salons ados et les messages privés sont ouverts.",
    "assurance.continue": "Continuer",
    "assurance.retry": "Réessayer",
    "assurance.reminder.dm": "Pour écrire en privé, vérifie que tu as moins de 18 ans.",
    "assurance.reminder.space": "Pour entrer dans les salons ados, vérifie que tu as moins de 18 ans.",
    "assurance.reminder.button": "Vérifier mon âge",
    "chat.assurance": "Vérifie ton âge pour écrire en privé",
  },
  en: {
    "assurance.title": "Check that you are under 18",
    "assurance.intro.dm":
      "The teen space is for 13 to 17 year olds. To send private messages, Causerie asks you for a quick, anonymous age check.",
    "assurance.intro.space":
      "The teen space is for 13 to 17 year olds. To join its rooms and send private messages, Causerie asks you for a quick, anonymous age check.",
    "assurance.step.open":
      "An independent age-check service opens in a new window. It estimates your age, for example from a short video of your face, then deletes the picture.",
    "assurance.step.private":
      "That service does not know you come from Causerie. Causerie gets one answer, \u201cunder 18\u201d: not your name, not your picture, not your birth date.",
    "assurance.step.back": "You come back here, and it is unlocked.",
    "assurance.wrong":
      "If the service gets your age wrong, you can try again. Nothing is kept from this attempt.",
    "assurance.open": "Open the age check",
    "assurance.later": "Later",
    "assurance.close": "Close",
    "assurance.waiting": "The age check is open in another window. Come back here when it is done.",
    "assurance.blocked":
      "The window did not open (pop-ups blocked?). You can also open this link:",
    "assurance.link": "the age check",
    "assurance.checking": "Checking the answer…",
    "assurance.offline": "No connection to the server: try again in a moment.",
    "assurance.unavailable": "Age checks are not available right now.",
    "assurance.done.title": "Done!",
    "assurance.done.dm": "You are under 18: you can now send private messages.",
    "assurance.done.space": "You are under 18: teen rooms and private messages are open.",
    "assurance.continue": "Continue",
    "assurance.retry": "Try again",
    "assurance.reminder.dm": "To send private messages, check that you are under 18.",
    "assurance.reminder.space": "To join teen rooms, check that you are under 18.",
    "assurance.reminder.button": "Check my age",
    "chat.assurance": "Check your age to send private messages",
  },
});
