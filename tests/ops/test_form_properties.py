"""Property tests of every public form (booking, check-in, the language switch...): whatever a
visitor types, the answer is never a server error.

The forms are found by crawling the public site over the demo, so each form that lands on a
public page is covered without a change here; Hypothesis fills every field with text, numbers,
dates, choices and hostile strings.
"""

from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.ops import crawler

HOSTILE = [
    "",
    " ",
    "0",
    "-1",
    "9" * 40,
    "1e309",
    "2024-02-30",
    "0000-00-00",
    "9999-12-31",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "😀" * 20,
    "\u202e\u200b",
    "a" * 5000,
]


def public_forms(pages):
    """(page url, action path, method, {field: [choices or None]}) of every form found."""
    forms = {}
    for url, page in pages.items():
        document = lxml.html.fromstring(page)
        for form in document.forms:
            method = (form.method or "GET").upper()
            action = urlsplit(urljoin(f"http://testserver{url}", form.action or url)).path
            if action.startswith(crawler.SKIP_PREFIXES[:1]):
                continue
            fields = {}
            for element in form.inputs:
                name = element.get("name")
                if not name or name == "csrfmiddlewaretoken":
                    continue
                if element.tag == "select":
                    fields[name] = [
                        o.get("value", o.text_content()) for o in element.findall(".//option")
                    ]
                elif element.get("type") in ("checkbox", "radio", "submit", "hidden"):
                    fields.setdefault(name, [])
                    fields[name].append(element.get("value", "on"))
                else:
                    fields[name] = None
            forms.setdefault((action, method), (url, fields))
    return [(page, action, method, fields) for (action, method), (page, fields) in forms.items()]


def value_for(choices):
    text = st.one_of(
        st.text(max_size=200),
        st.sampled_from(HOSTILE),
        st.integers(min_value=-(10**12), max_value=10**12).map(str),
        st.dates().map(str),
    )
    if choices:
        return st.one_of(st.sampled_from(choices), text)
    return text


def signed_pages():
    """Public pages reached only through a signed address (a base's check-in QR code)."""
    try:
        from visits.views import check_in_signature
    except ImportError:
        return []
    from exhibitions.models import EducationBase

    base = EducationBase.objects.public().order_by("pk").first()
    return [reverse("visits:check-in", args=[base.slug, check_in_signature(base)])]


@pytest.fixture(scope="module")
def forms(demo, django_db_blocker):
    with django_db_blocker.unblock():
        pages, _media, _errors = crawler.crawl(limit=200, start=signed_pages())
        return public_forms(pages)


def test_the_public_forms_are_found(forms, db):
    actions = {action for _page, action, _method, _fields in forms}
    assert reverse("set_language") in actions
    try:
        booking = reverse("visits:booking-start")
    except NoReverseMatch:
        booking = None
    if booking:
        assert any(action.startswith(booking) for action in actions), actions
    for path in signed_pages():
        assert path in actions, actions


def check_form(page, action, method, fields):
    client = Client()

    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        derandomize=True,
    )
    @given(data=st.fixed_dictionaries({name: value_for(c) for name, c in fields.items()}))
    def property(data):
        client.get(page)  # a fresh CSRF cookie and session, as a visitor has
        token = client.cookies.get("csrftoken")
        payload = {**data, "csrfmiddlewaretoken": token.value if token else ""}
        send = client.post if method == "POST" else client.get
        response = send(action, payload)
        assert response.status_code < 500, (action, data, response.status_code)

    property()


def test_no_input_to_a_public_form_yields_a_server_error(forms, db):
    assert forms
    for page, action, method, fields in forms:
        check_form(page, action, method, fields)
