"""User-facing texts of errors and notices, French first, English too.

The core names a message by key; adapters render it here in the session's language. A key
without a text falls back to the error code's text, so a refusal always reads as a sentence.
"""

from __future__ import annotations

from collections.abc import Mapping

from causerie.room_texts import ROOM_TEXTS

DEFAULT_LANG = "fr"

TEXTS: Mapping[str, Mapping[str, str]] = {
    "invalid": {"fr": "Requête invalide.", "en": "Invalid request."},
    "nick_taken": {"fr": "Ce pseudo est déjà pris.", "en": "This nickname is already taken."},
    "resume_refused": {
        "fr": "Cette session ne peut pas être reprise : reconnecte-toi.",
        "en": "This session cannot be resumed: join again.",
    },
    "too_young": {
        "fr": "Il faut avoir au moins {min} ans pour entrer.",
        "en": "You must be at least {min} to enter.",
    },
    "forbidden": {"fr": "Action non autorisée.", "en": "Not allowed."},
    "age_restricted": {
        "fr": "Réservé à une autre tranche d'âge.",
        "en": "Restricted to another age group.",
    },
    "dm_blocked": {
        "fr": "Ce message privé n'est pas possible.",
        "en": "This private message is not possible.",
    },
    "rate_limited": {
        "fr": "Doucement ! Réessaie dans {retry_after} s.",
        "en": "Slow down! Try again in {retry_after} s.",
    },
    "join_rate_limited": {
        "fr": "Tu changes de salon trop vite : réessaie dans {retry_after} s.",
        "en": "You are changing rooms too fast: try again in {retry_after} s.",
    },
    "hello_rate_limited": {
        "fr": "Trop de connexions depuis ton adresse ou cet appareil : "
        "réessaie dans {retry_after} s.",
        "en": "Too many connections from your address or this device: "
        "try again in {retry_after} s.",
    },
    "held_for_review": {
        "fr": "Ton message attend la validation d'un modérateur.",
        "en": "Your message is waiting for a moderator.",
    },
    "muted": {"fr": "Tu es réduit au silence pour le moment.", "en": "You are muted for now."},
    "banned": {"fr": "Tu es banni.", "en": "You are banned."},
    "not_found": {"fr": "Introuvable.", "en": "Not found."},
    "too_large": {"fr": "C'est trop long.", "en": "That is too long."},
    "unavailable": {
        "fr": "Le service est momentanément indisponible, ton message n'est pas parti. Réessaie.",
        "en": "The service is briefly unavailable; your message was not sent. Try again.",
    },
    "session_required": {
        "fr": "Il faut être connecté au chat pour faire cela.",
        "en": "You must be in the chat to do that.",
    },
    "pictures_not_allowed": {
        "fr": "Les images ne sont pas autorisées dans ce salon.",
        "en": "Pictures are not allowed in this room.",
    },
    "pictures_from_strangers": {
        "fr": "Tu ne peux pas envoyer d'image à cette personne tant que vous n'avez pas échangé "
        "de messages.",
        "en": "You cannot send this person a picture until you have exchanged messages.",
    },
    "media_unknown": {
        "fr": "Cette image n'est plus disponible : envoie-la à nouveau.",
        "en": "This picture is no longer available: send it again.",
    },
    "media_refused": {
        "fr": "Cette image a été refusée par le contrôle de sécurité.",
        "en": "This picture was refused by the safety check.",
    },
    "media_removed": {
        "fr": "Cette image a été retirée par la modération et ne peut pas être envoyée.",
        "en": "This picture was removed by moderators and cannot be sent.",
    },
    "invalid_period": {
        "fr": "Période inconnue : jour, semaine ou tout.",
        "en": "Unknown period: jour, semaine or tout.",
    },
    "invalid_media": {
        "fr": "Ce fichier n'est pas une image acceptée (JPEG, PNG, WebP ou GIF).",
        "en": "This file is not an accepted picture (JPEG, PNG, WebP or GIF).",
    },
    # Why a picture is refused (causerie.media.pipeline).
    "media_empty": {"fr": "Ce fichier est vide.", "en": "This file is empty."},
    "media_too_large": {
        "fr": "Cette image est trop lourde (maximum {max_mb} Mo).",
        "en": "This picture is too large (at most {max_mb} MB).",
    },
    "media_not_picture": {
        "fr": "Ce fichier n'est pas une image.",
        "en": "This file is not a picture.",
    },
    "media_format": {
        "fr": "Ce format d'image n'est pas accepté : JPEG, PNG, WebP ou GIF seulement.",
        "en": "This picture format is not accepted: JPEG, PNG, WebP or GIF only.",
    },
    "media_damaged": {
        "fr": "Cette image est abîmée ou incomplète.",
        "en": "This picture is damaged or incomplete.",
    },
    "media_trailing_data": {
        "fr": "Ce fichier contient autre chose qu'une image.",
        "en": "This file holds something other than a picture.",
    },
    "media_too_many_pixels": {
        "fr": "Cette image est trop grande (maximum {max_mp} mégapixels).",
        "en": "This picture is too big (at most {max_mp} megapixels).",
    },
    "media_too_many_frames": {
        "fr": "Cette animation a trop d'images (maximum {max_frames}).",
        "en": "This animation has too many frames (at most {max_frames}).",
    },
    "internal": {"fr": "Erreur interne du serveur.", "en": "Internal server error."},
    # Finer keys.
    "nick_length": {
        "fr": "Le pseudo doit faire entre {min} et {max} caractères.",
        "en": "The nickname must be {min} to {max} characters long.",
    },
    "nick_chars": {
        "fr": "Le pseudo ne peut contenir que des lettres, des chiffres, « _ », "
        "« - » et « . », et doit commencer par une lettre ou un chiffre.",
        "en": "The nickname may only contain letters, digits, '_', '-' and '.', and "
        "must start with a letter or a digit.",
    },
    "nick_reserved": {
        "fr": "Ce pseudo est réservé à l'équipe.",
        "en": "This nickname is reserved for the staff.",
    },
    "gender": {"fr": "Choisis un genre dans la liste.", "en": "Pick a gender from the list."},
    "age": {"fr": "Indique ton âge véritable.", "en": "Give your real age."},
    "postcode": {
        "fr": "Ce n'est pas un code postal français.",
        "en": "This is not a French postal code.",
    },
    "already_joined": {"fr": "Tu es déjà connecté.", "en": "You are already connected."},
    "hello_first": {"fr": "Présente-toi d'abord (hello).", "en": "Say hello first."},
    "unknown_type": {"fr": "Type de message inconnu.", "en": "Unknown message type."},
    "room_not_found": {"fr": "Ce salon n'existe pas.", "en": "This room does not exist."},
    "room_age_restricted": {
        "fr": "Ce salon est réservé à une autre tranche d'âge.",
        "en": "This room is for another age group.",
    },
    "not_in_room": {"fr": "Rejoins d'abord ce salon.", "en": "Join this room first."},
    "room_full": {
        "fr": "Ce salon est complet : réessaie plus tard.",
        "en": "This room is full: try again later.",
    },
    "room_archived": {
        "fr": "Le salon « {name} » a été fermé par l'équipe.",
        "en": "The room “{name}” was closed by the team.",
    },
    "room_id_format": {
        "fr": "Identifiant : 2 à 48 caractères a-z, 0-9 et tirets.",
        "en": "Id: 2 to 48 characters a-z, 0-9 and hyphens.",
    },
    "room_exists": {
        "fr": "Un salon porte déjà cet identifiant (même fermé).",
        "en": "A room already has this id (even a closed one).",
    },
    "room_choice": {"fr": "Choisis parmi : {choices}.", "en": "Choose among: {choices}."},
    "room_kind_audience": {
        "fr": "Un salon ados a le public ados, et lui seul.",
        "en": "A teen room has the teen audience, and only it does.",
    },
    "room_audience_change": {
        "fr": "Ce changement de public n'est pas possible : ferme le salon et crées-en un autre.",
        "en": "This audience change is not possible: close the room and make another.",
    },
    "text_length": {
        "fr": "Entre {min} et {max} caractères.",
        "en": "Between {min} and {max} characters.",
    },
    "room_text_chars": {
        "fr": "Une seule ligne, sans caractères de contrôle.",
        "en": "One line, without control characters.",
    },
    "room_text_refused": {
        "fr": "Ce texte n'est pas accepté par la modération automatique.",
        "en": "Automatic moderation does not accept this text.",
    },
    "room_name_reserved": {
        "fr": "Ce nom imite l'équipe ou un membre de l'équipe.",
        "en": "This name imitates the team or a team member.",
    },
    "room_name_taken": {
        "fr": "Ce nom ressemble trop à celui d'un autre salon.",
        "en": "This name reads too much like another room's.",
    },
    "too_many_rooms": {
        "fr": "Tu ne peux pas être dans plus de {max} salons à la fois.",
        "en": "You cannot be in more than {max} rooms at once.",
    },
    "user_not_found": {
        "fr": "Personne de connecté sous ce pseudo.",
        "en": "Nobody is connected under this nickname.",
    },
    "dm_self": {"fr": "Tu ne peux pas t'écrire à toi-même.", "en": "You cannot message yourself."},
    "dm_age_restricted": {
        "fr": "Les messages privés entre mineurs et majeurs sont impossibles.",
        "en": "Private messages between minors and adults are not possible.",
    },
    "text_empty": {"fr": "Le message est vide.", "en": "The message is empty."},
    "text_too_long": {
        "fr": "Le message dépasse {max} caractères.",
        "en": "The message is over {max} characters.",
    },
    "frame_too_large": {
        "fr": "Trame trop grande (maximum {max} octets).",
        "en": "Frame too large (at most {max} bytes).",
    },
    "history_limit": {
        "fr": "L'historique se demande par 1 à {max} messages.",
        "en": "History comes in pages of 1 to {max} messages.",
    },
    "block_self": {"fr": "Tu ne peux pas te bloquer toi-même.", "en": "You cannot block yourself."},
    "not_json": {"fr": "Trame illisible : JSON attendu.", "en": "Unreadable frame: JSON expected."},
    "not_object": {
        "fr": "Trame illisible : objet JSON attendu.",
        "en": "Unreadable frame: a JSON object is expected.",
    },
    "binary_frame": {
        "fr": "Seules les trames texte sont acceptées.",
        "en": "Only text frames are accepted.",
    },
    "bad_field": {"fr": "Champ « {field} » invalide.", "en": "Invalid field '{field}'."},
    "field_missing": {"fr": "Champ « {field} » manquant.", "en": "Missing field '{field}'."},
    "room_locked": {
        "fr": "Ce salon est verrouillé par la modération.",
        "en": "This room is locked by the moderators.",
    },
    "slow_mode": {
        "fr": "Mode lent : réessaie dans {retry_after} s.",
        "en": "Slow mode: try again in {retry_after} s.",
    },
    "trust_links": {
        "fr": "Les liens sont possibles après quelques minutes de discussion.",
        "en": "Links are allowed after a few minutes of conversation.",
    },
    "automod_blocked": {
        "fr": "Ce message n'est pas autorisé ici.",
        "en": "This message is not allowed here.",
    },
    "automod_warning": {
        "fr": "Attention : ce message enfreint les règles de la Causerie.",
        "en": "Careful: this message breaks the rules of Causerie.",
    },
    "meeting_safety": {
        "fr": "Vous parlez de vous rencontrer : choisissez un lieu public, "
        "prévenez un proche, et signalez tout comportement inquiétant.",
        "en": "You are talking about meeting: pick a public place, tell "
        "someone you trust, and report anything worrying.",
    },
    "grooming_notice": {
        "fr": "Personne ne devrait te demander de garder un secret, de lui envoyer des photos "
        "de toi ou de ta chambre, d'accepter de l'argent ou des cadeaux, de parler sur une "
        "autre appli ou d'effacer vos messages. Si cette conversation te met mal à l'aise, tu "
        "peux arrêter de répondre, la signaler, et en parler au 3018 (gratuit, anonyme, 7 "
        "jours sur 7) ou à un adulte de confiance.",
        "en": "Nobody should ask you to keep secrets, send pictures of yourself or your room, "
        "accept money or gifts, move to another app or delete your messages. If this "
        "conversation makes you uncomfortable, you can stop replying, report it, and talk to "
        "3018 (free, anonymous, every day; in France) or an adult you trust.",
    },
    "minor_contacts_paused": {
        "fr": "Tu ne peux pas ouvrir de nouvelle conversation avec un ou une mineure pour le "
        "moment : une de tes conversations est en cours d'examen par la modération.",
        "en": "You cannot open new conversations with minors for now: one of your "
        "conversations is being reviewed by the moderators.",
    },
    "dm_wait": {
        "fr": "Les nouvelles conversations privées s'ouvrent après {retry_after} s.",
        "en": "New private conversations open in {retry_after} s.",
    },
    "dm_policy": {"fr": "Réglage inconnu.", "en": "Unknown setting."},
    "held_released": {
        "fr": "Ton message « {excerpt} » a été vérifié par la modération et publié.",
        "en": 'Your message "{excerpt}" was checked by the moderators and published.',
    },
    "held_discarded": {
        "fr": "Ton message « {excerpt} » n'a pas été publié après vérification par la modération.",
        "en": 'Your message "{excerpt}" was not published after the moderators checked it.',
    },
    "reply_not_found": {
        "fr": "Le message auquel tu réponds n'est plus là.",
        "en": "The message you are replying to is no longer there.",
    },
    "delete_not_yours": {
        "fr": "Tu ne peux supprimer que tes propres messages.",
        "en": "You can only delete your own messages.",
    },
    "typing_target": {
        "fr": "Indique un salon ou une personne.",
        "en": "Name a room or a person.",
    },
    "age_verify_minor": {
        "fr": "La vérification d'âge est réservée aux adultes.",
        "en": "Age verification is for adults.",
    },
    "age_proof_refused": {
        "fr": "La preuve d'âge est refusée ({reason}).",
        "en": "The age proof was refused ({reason}).",
    },
    # Age assurance in the teen space (core/policy/assurance.py, node/assurance.py): the
    # refusal's `reason` on the wire is its key.
    "age_assurance_needed": {
        "fr": "Vérifie d'abord que tu as moins de 18 ans : c'est anonyme et rapide.",
        "en": "First check that you are under 18: it is anonymous and quick.",
    },
    "age_assurance_adult": {
        "fr": "Cette vérification est réservée aux mineurs de l'espace ados.",
        "en": "This check is for minors in the teen space.",
    },
    "age_assurance_unavailable": {
        "fr": "La vérification d'âge n'est pas disponible sur ce service.",
        "en": "Age checks are not available on this service.",
    },
    "age_assurance_not_minor": {
        "fr": "Cette preuve ne dit pas que tu as moins de 18 ans.",
        "en": "This proof does not say that you are under 18.",
    },
    "age_assurance_expired": {
        "fr": "Cette preuve a expiré : recommence la vérification.",
        "en": "This proof has expired: please check again.",
    },
    "age_assurance_replayed": {
        "fr": "Cette preuve a déjà servi : recommence la vérification.",
        "en": "This proof was already used: please check again.",
    },
    "age_assurance_not_yet_valid": {
        "fr": "Cette preuve n'est pas encore valable : réessaie dans une minute.",
        "en": "This proof is not valid yet: try again in a minute.",
    },
    "age_assurance_malformed": {
        "fr": "Cette preuve n'est pas lisible : recommence la vérification.",
        "en": "This proof cannot be read: please check again.",
    },
    "age_assurance_unknown_key": {
        "fr": "Cette preuve vient d'un service que Causerie ne connaît pas.",
        "en": "This proof comes from a service Causerie does not know.",
    },
    "age_assurance_invalid_signature": {
        "fr": "Cette preuve n'est pas valable : recommence la vérification.",
        "en": "This proof is not valid: please check again.",
    },
    "age_verification_required": {
        "fr": "Ce salon est réservé aux adultes dont l'âge a été vérifié.",
        "en": "This room is for adults whose age has been verified.",
    },
    "staff_login_failed": {"fr": "Identifiants incorrects.", "en": "Wrong credentials."},
    "staff_login_limited": {
        "fr": "Trop d'essais de connexion : réessayez dans {retry_after} s.",
        "en": "Too many login attempts: try again in {retry_after} s.",
    },
    "staff_login_busy": {
        "fr": "Trop de connexions en cours : réessayez dans {retry_after} s.",
        "en": "Too many logins at once: try again in {retry_after} s.",
    },
    "out_of_range": {
        "fr": "« {field} » doit être compris entre {min} et {max}.",
        "en": "'{field}' must be between {min} and {max}.",
    },
    "mod_scope": {
        "fr": "Hors de vos salons : cette action revient à une modération sans restriction.",
        "en": "Outside your rooms: this action is for unrestricted moderators.",
    },
    "report_target": {
        "fr": "Indique le message ou la personne à signaler.",
        "en": "Say which message or person you report.",
    },
    "report_category": {
        "fr": "Choisis une catégorie dans la liste.",
        "en": "Pick a category from the list.",
    },
    "appeal_closed": {
        "fr": "Le délai pour contester cette décision est passé.",
        "en": "The time to contest this decision has passed.",
    },
    "appeal_done": {
        "fr": "Cette décision est déjà contestée.",
        "en": "This decision is already contested.",
    },
    "mod_action": {"fr": "Action de modération inconnue.", "en": "Unknown moderation action."},
    "no_game": {
        "fr": "Aucun jeu ne tourne dans ce salon.",
        "en": "No game is running in this room.",
    },
    "mod_reason": {"fr": "Indique le motif de la décision.", "en": "Give the reason."},
    "not_staff": {"fr": "Réservé à l'équipe de modération.", "en": "For moderators only."},
    "band_changed": {
        "fr": "Ton âge ne correspond pas à celui déclaré depuis cet appareil.",
        "en": "Your age does not match the one declared from this device.",
    },
    "teen_space_closed": {
        "fr": "Un modérateur a décidé que cet appareil n'entre plus dans l'espace ados. Si "
        "c'est une erreur, conteste la décision : bouton « Contester » de l'exposé des motifs "
        "que tu as reçu.",
        "en": "A moderator decided that this device no longer enters the teen space. If this "
        "is a mistake, appeal the decision: the “Contester” (Appeal) button of the statement "
        "of reasons you received.",
    },
    "not_in_teen_space": {
        "fr": "Cette personne n'est pas dans l'espace ados.",
        "en": "This person is not in the teen space.",
    },
    "report_reason": {
        "fr": "Ce motif de signalement n'existe pas ici.",
        "en": "This report reason does not exist here.",
    },
    "new_conversations": {
        "fr": "Trop de nouvelles conversations : réessaie dans {retry_after} s.",
        "en": "Too many new conversations: try again in {retry_after} s.",
    },
    "automod_contact_details": {
        "fr": "Les coordonnées (numéro, e-mail, réseaux, adresse) ne s'échangent pas avec ou "
        "entre mineurs : ton message attend un modérateur.",
        "en": "Contact details (number, e-mail, social handles, address) are not exchanged "
        "with or between minors: your message waits for a moderator.",
    },
    "automod_links": {
        "fr": "Les liens ne sont pas autorisés ici.",
        "en": "Links are not allowed here.",
    },
    "automod_meeting": {
        "fr": "Proposer une rencontre à un mineur, ou entre mineurs, n'est pas "
        "autorisé : ton message attend un modérateur.",
        "en": "Proposing to meet a minor, or between minors, is not allowed: "
        "your message waits for a moderator.",
    },
    "automod_meeting_notice": {
        "fr": "Vous parlez de vous rencontrer : choisissez un lieu public, prévenez un proche, "
        "et signalez tout comportement inquiétant.",
        "en": "You are talking about meeting: pick a public place, tell someone you trust, "
        "and report anything worrying.",
    },
    "automod_spam_caps": {
        "fr": "Merci de ne pas écrire en majuscules.",
        "en": "Please do not write in capitals.",
    },
    "automod_spam_repetition": {
        "fr": "Merci de ne pas répéter les mêmes messages.",
        "en": "Please do not repeat the same messages.",
    },
    "automod_spam_links": {
        "fr": "Trop de liens dans ce message.",
        "en": "Too many links in this message.",
    },
    "automod_words_insults": {
        "fr": "Reste courtois : les insultes ne sont pas acceptées.",
        "en": "Keep it civil: insults are not accepted.",
    },
    "automod_words_hate": {
        "fr": "Les propos haineux ne sont pas acceptés.",
        "en": "Hateful speech is not accepted.",
    },
    "automod_words_illegal_goods": {
        "fr": "La vente de produits illicites est interdite.",
        "en": "Selling illegal goods is forbidden.",
    },
    "automod_words_sexual": {
        "fr": "Les contenus sexuels ne sont pas acceptés ici.",
        "en": "Sexual content is not accepted here.",
    },
    "report_actioned": {
        "fr": "Ton signalement n° {report_id} a été traité : une mesure a été prise. Merci.",
        "en": "Your report no. {report_id} was handled: action was taken. Thank you.",
    },
    "report_dismissed": {
        "fr": "Ton signalement n° {report_id} a été examiné et classé sans suite.",
        "en": "Your report no. {report_id} was reviewed and closed without action.",
    },
    "appeal_upheld": {
        "fr": "Ta contestation a été examinée : la décision est maintenue.",
        "en": "Your appeal was reviewed: the decision stands.",
    },
    "appeal_reversed": {
        "fr": "Ta contestation a été examinée : la décision est annulée.",
        "en": "Your appeal was reviewed: the decision is reversed.",
    },
    "reporting_suspended": {
        "fr": "Tes signalements sont suspendus : trop d'entre eux étaient infondés.",
        "en": "Your reports are suspended: too many of them were unfounded.",
    },
    "repeated_message": {
        "fr": "Tu as déjà envoyé ce message : évite les répétitions.",
        "en": "You already sent this message: avoid repeating yourself.",
    },
    "bad_id": {
        "fr": "L'identifiant de requête doit être un texte court ou un entier.",
        "en": "The request id must be a short string or an integer.",
    },
    **ROOM_TEXTS,
}


def translate(
    key: str, lang: str = DEFAULT_LANG, fallback: str = "invalid", **params: object
) -> str:
    """Render a message; unknown keys use `fallback`, unknown languages use French."""
    texts = TEXTS.get(key) or TEXTS.get(fallback) or TEXTS["invalid"]
    template = texts.get(lang) or texts[DEFAULT_LANG]
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template
