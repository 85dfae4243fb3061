"""Words the tool prints itself, in each leaflet language."""

from __future__ import annotations

import datetime as dt

LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "page_of": "Pagina {page} van {pages}",
        "see_page": "zie pagina {page}",
        "contents": "Inhoud",
        "more_info": "Meer informatie",
        "more_about": "Meer informatie over {title}",
        "online": "Deze folder online",
        "phone": "Telefoon",
        "email": "E-mail",
        "hours": "Bereikbaar",
        "address": "Adres",
        "web": "Website",
        "revised": "Herzien",
        "leaflet": "folder",
        "notes": "Aantekeningen",
        "alert_note": "Goed om te weten",
        "alert_tip": "Tip",
        "alert_important": "Belangrijk",
        "alert_warning": "Let op",
        "alert_caution": "Pas op",
        "about": "Over deze folder",
        "version": "Versie {version}, {date}",
        "approved": "Goedgekeurd door {by} op {date}.",
        "reviewed_by": "Inhoudelijk gecontroleerd door {names}.",
        "sources": "Bronnen",
        "feedback": "Heeft u een opmerking over deze folder?",
        "feedback_to": "Laat het ons weten:",
        "review_by": "Deze folder wordt uiterlijk {date} opnieuw beoordeeld.",
        "draft": "CONCEPT",
        "review_copy": "Controle-exemplaar, niet voor patiënten",
        "inserted": "toegevoegd",
        "removed": "verwijderd",
        "changes_since": "Wijzigingen sinds {what}.",
    },
    "en": {
        "page_of": "Page {page} of {pages}",
        "see_page": "see page {page}",
        "contents": "Contents",
        "more_info": "More information",
        "more_about": "More about {title}",
        "online": "This leaflet online",
        "phone": "Phone",
        "email": "E-mail",
        "hours": "Available",
        "address": "Address",
        "web": "Website",
        "revised": "Revised",
        "leaflet": "leaflet",
        "notes": "Notes",
        "alert_note": "Note",
        "alert_tip": "Tip",
        "alert_important": "Important",
        "alert_warning": "Warning",
        "alert_caution": "Caution",
        "about": "About this leaflet",
        "version": "Version {version}, {date}",
        "approved": "Approved by {by} on {date}.",
        "reviewed_by": "Content checked by {names}.",
        "sources": "Sources",
        "feedback": "Do you have a comment on this leaflet?",
        "feedback_to": "Please tell us:",
        "review_by": "This leaflet will be reviewed by {date}.",
        "draft": "DRAFT",
        "review_copy": "Review copy, not for patients",
        "inserted": "inserted",
        "removed": "removed",
        "changes_since": "Changes since {what}.",
    },
}

MONTHS = {
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "en": "January February March April May June July August September October November December",
}


def label(language: str, key: str, **values: object) -> str:
    return LABELS.get(language, LABELS["en"])[key].format(**values)


def long_date(day: dt.date, language: str) -> str:
    """'1 november 2026' in Dutch, '1 November 2026' in English."""
    month = MONTHS.get(language, MONTHS["en"]).split()[day.month - 1]
    return f"{day.day} {month} {day.year}"


def default_header() -> str:
    return "{{ organisation }}"


def default_footer(language: str) -> str:
    page = label(language, "page_of", page="{{ page }}", pages="{{ pages }}")
    return "{{ leaflet.code }} · " + label(language, "revised") + " {{ leaflet.revised }} · " + page
