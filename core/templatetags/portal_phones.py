"""`{{ text|tel_links }}`: telephone numbers in a text become `tel:` links, so a visitor on a
phone calls a base with one tap (the rest of the text is escaped)."""

import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

# A mobile number (11 digits) or a landline with its area code (0354-1234567), spaces allowed.
_PHONE = re.compile(r"(?<!\d)(1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|0\d{2,3}[\s-]?\d{7,8})(?!\d)")


@register.filter
def tel_links(text):
    parts = []
    last = 0
    for match in _PHONE.finditer(str(text or "")):
        parts.append(escape(text[last : match.start()]))
        number = re.sub(r"\D", "", match.group(0))
        parts.append(format_html('<a href="tel:{}">{}</a>', number, match.group(0)))
        last = match.end()
    parts.append(escape(str(text or "")[last:]))
    return mark_safe("".join(parts))  # noqa: S308 — every part escaped above
