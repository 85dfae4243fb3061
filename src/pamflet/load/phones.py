"""Phone numbers: validate, and turn into tel: links, with the phonenumbers library."""

from __future__ import annotations

import re
from functools import lru_cache
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import phonenumbers

WRITTEN = re.compile(r"\+?[0-9 ()./-]+")


@lru_cache(maxsize=1)
def pn() -> ModuleType:
    """The phonenumbers library, imported when a number is first read (its metadata is large,
    and a check whose every text comes from the cache reads none)."""
    import phonenumbers
    import phonenumbers.shortnumberinfo

    return phonenumbers


def parse(text: str, region: str) -> phonenumbers.PhoneNumber | None:
    """Parse a phone number as written in `region`; None when it is not a valid number."""
    try:
        number = pn().parse(text, region)
    except pn().NumberParseException:
        return None
    if pn().is_valid_number(number):
        return number
    return number if pn().shortnumberinfo.is_emergency_number(text, region) else None


@lru_cache(maxsize=4096)
def phone_problem(text: str, region: str) -> tuple[str, str] | None:
    """(severity, what is wrong) with a phone number as written, or None.

    Text that cannot be dialled is an error; a number the numbering plan does not know (a new
    or a made-up one) is a warning, since the plan changes and the author may know better.
    """
    digits = sum(c.isdigit() for c in text)
    if not WRITTEN.fullmatch(text) or not 3 <= digits <= 15:
        return "error", f"'{text}' is not a phone number: only digits, spaces and + - ( ) . /"
    if parse(text, region) is None:
        return "warning", f"'{text}' is not a valid phone number in {region}; check it"
    return None


@lru_cache(maxsize=4096)
def tel_uri(text: str, region: str) -> str:
    """The RFC 3966 tel: link of a phone number: international form when it is valid."""
    number = parse(text, region)
    if number is not None and pn().is_valid_number(number):
        return "tel:" + pn().format_number(number, pn().PhoneNumberFormat.E164)
    return "tel:" + ("+" if text.startswith("+") else "") + "".join(c for c in text if c.isdigit())


@lru_cache(maxsize=4096)
def in_text(text: str, region: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, tel: link) of each valid phone number in running text (texts repeat: cached)."""
    found = []
    for match in pn().PhoneNumberMatcher(text, region):
        uri = pn().format_number(match.number, pn().PhoneNumberFormat.E164)
        found.append((match.start, match.end, "tel:" + uri))
    return tuple(found)


@lru_cache(maxsize=32)
def example(region: str) -> str:
    """A fixed-line number of `region` in its national format: how a number is written there."""
    number = pn().example_number_for_type(region, pn().PhoneNumberType.FIXED_LINE)
    if number is None:
        return "+31 73 553 20 00"
    return pn().format_number(number, pn().PhoneNumberFormat.NATIONAL)
