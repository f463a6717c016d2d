"""`pra draft PAPER`: read, clean, classify and write; one clear line for a paper it refuses."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .blocks import build_blocks
from .classify import Draft, classify
from .cleaning import Paper, clean
from .metadata import Registry
from .reading import PaperError, read_paper
from .writing import write_draft


@dataclass
class Result:
    yaml: str
    record_id: str
    source_id: str
    paper: Paper
    draft: Draft

    @property
    def text(self) -> str:
        """The paper's text as numbered: save it as reviews/sources/<source id>.txt."""
        return "\n".join(self.paper.lines) + "\n"


def make_draft(path: Path, records: Path) -> Result:
    """Raise `PaperError` for a paper that cannot be read; otherwise always a draft."""
    paper = clean(read_paper(path))
    blocks = build_blocks(paper)
    if not blocks:
        raise PaperError("no text in the paper")
    registry = Registry.load(records)
    draft = classify(paper, blocks, registry)
    text, record_id, source_id = write_draft(draft, paper, path.name, registry.themes)
    return Result(text, record_id, source_id, paper, draft)


__all__ = ["PaperError", "Result", "make_draft"]
