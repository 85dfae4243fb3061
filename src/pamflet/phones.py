"""Phone numbers: validate, and turn into tel: links, with the phonenumbers library."""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import shortnumberinfo as shortnumber

LETTERS = re.compile(r"[A-Za-z]")


def parse(text: str, region: str) -> phonenumbers.PhoneNumber | None:
    """Parse a phone number as written in `region`; None when it is not a valid number."""
    if LETTERS.search(text):
        return None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.is_valid_number(number):
        return number
    return number if shortnumber.is_emergency_number(text, region) else None


def phone_problem(text: str, region: str) -> str:
    """Say what is wrong with a phone number, or ''."""
    if parse(text, region) is None:
        return f"'{text}' is not a valid phone number"
    return ""


def tel_uri(text: str, region: str) -> str:
    """The RFC 3966 tel: link of a valid phone number."""
    number = parse(text, region)
    if number is None:
        raise ValueError(text)
    if not phonenumbers.is_valid_number(number):  # an emergency number such as 112 is dialled as is
        return "tel:" + str(number.national_number)
    return "tel:" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
