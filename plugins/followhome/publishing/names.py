"""How a customer is named, as their ``show_as`` allows."""

from __future__ import annotations

from followhome.model.content import Customer

ANONYMOUS = "Anonymous customer"


def _initial(word: str) -> str:
    return "-".join(f"{part[0]}." for part in word.split("-") if part)


def display_name(customer: Customer) -> str:
    """The name to print anywhere: page, title, feed, email, structured data."""
    name = " ".join(customer.name.split())
    match customer.show_as:
        case "full":
            return name
        case "first-name":
            return name.split(" ")[0]
        case "initials":
            return " ".join(_initial(word) for word in name.split(" "))
        case _:
            return ANONYMOUS


def attribution(customer: Customer) -> str:
    """Name plus the details ``show_as`` allows.

    Organisation is shown only with the full name (it could identify a person named
    by first name or initials); an anonymous customer gets no details at all.
    """
    if customer.show_as == "anonymous":
        return ANONYMOUS
    details = [customer.role]
    if customer.show_as == "full":
        details.append(customer.organization)
    details.append(customer.location)
    return ", ".join([display_name(customer), *(d for d in details if d)])
