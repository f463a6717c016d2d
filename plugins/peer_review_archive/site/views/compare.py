"""The compare page: the authorities to choose from, each with its data file for the script."""

from __future__ import annotations

from dataclasses import dataclass

from ...records import urls
from ..page import AuthorityRef, PlannedPage
from .common import Inputs, page_links


@dataclass(frozen=True)
class Choice:
    id: str
    name: str
    file: str  # href of data/authorities/<id>.json.gz, relative to the page
    authority: AuthorityRef  # its page: the way in without JavaScript


@dataclass(frozen=True)
class CompareView:
    choices: tuple[Choice, ...]  # by name


def build(page: PlannedPage, inputs: Inputs) -> CompareView:
    link = page_links(page, inputs)
    authorities = sorted(inputs.archive.authorities.values(), key=lambda a: (a.name.casefold(), a.id))
    return CompareView(tuple(Choice(a.id, a.name, link.to(urls.authority_data_url(a.id)), link.authority_ref(a.id))
                             for a in authorities))
