"""Money and weights as people read them: `£10,250.10`, `28.5 g`."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def pounds(value: Decimal | None) -> str:
    """`£10,250.10`; empty for no amount (`£0.00` for an amount of nothing)."""
    if value is None or value == "":
        return ""
    return f"£{Decimal(value):,.2f}"


@register.filter
def grams(value: Decimal | None) -> str:
    """`28.5 g`, `1,250 g`: no trailing zeros."""
    if value is None or value == "":
        return ""
    amount = Decimal(value).normalize()
    text = f"{amount:,f}" if amount == amount.to_integral() else f"{amount:,}"
    return f"{text} g"
