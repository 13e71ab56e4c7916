"""Figures written as Chinese statistics write them: 25万人次, 1000余名, 230余名, 21个.

A live count is floored to two significant figures; when that drops something, 余 ("more
than") says so, as the bureau's own report does. Ten thousand and above is counted in 万. In
English the same floor reads "1,000+".
"""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import get_language

register = template.Library()


def _floor_two_figures(n):
    if n < 100:
        return n
    scale = 10 ** (len(str(n)) - 2)
    return n // scale * scale


def chinese_figure(n, unit=""):
    n = int(n or 0)
    shown = _floor_two_figures(n)
    more = "余" if shown != n else ""
    if shown >= 10000:
        wan = shown / 10000
        number = f"{wan:.1f}".rstrip("0").rstrip(".")
        return f"{number}万{more}{unit}"
    return f"{shown}{more}{unit}"


@register.filter
def statistic(n, unit=""):
    """`{{ figures.visitors|statistic:"人次" }}`: the unit is Chinese and shown only in Chinese."""
    if (get_language() or "").startswith("zh"):
        return chinese_figure(n, unit)
    n = int(n or 0)
    shown = _floor_two_figures(n)
    return f"{intcomma(shown)}{'+' if shown != n else ''}"
