"""Laid-out pages -> what they hold: their boxes, the notes called and printed on each, how empty each is."""

from __future__ import annotations


def boxes(box, in_notes: bool = False):
    """Every box below `box`, each with whether it sits in a page's note area."""
    yield box, in_notes
    in_notes = in_notes or type(box).__name__ == "FootnoteAreaBox"
    for child in getattr(box, "children", None) or ():
        yield from boxes(child, in_notes)


def notes_by_page(pages, pseudo_type: str, in_notes: bool) -> dict[int, int]:
    """The notes of laid-out `pages` (by their element), each with the number of the first page holding its
    call ("footnote-call", in the text) or its printed note ("footnote-marker", in the note area), in order."""
    found: dict[int, int] = {}
    for number, page in enumerate(pages, start=1):
        for box, notes_area in boxes(page._page_box):
            if (notes_area == in_notes and box.element is not None
                    and getattr(box.style, "pseudo_type", None) == pseudo_type):
                found.setdefault(id(box.element), number)
    return found


def note_calls(pages) -> dict[int, int]:
    """The notes called in the text of laid-out `pages`, in order, each with the page of its call."""
    return notes_by_page(pages, "footnote-call", in_notes=False)


def empty_share(page) -> float:
    """The share of a laid-out page's text area that neither text nor notes fill."""
    from weasyprint.formatting_structure import boxes as box_types

    page_box = page._page_box
    top, height = page_box.content_box_y(), page_box.height
    used_to, notes = top, 0.0
    for child in page_box.children:
        if isinstance(child, box_types.MarginBox):
            continue
        lines = [box for box, _in_notes in boxes(child)
                 if isinstance(box, (box_types.LineBox, box_types.ReplacedBox, box_types.TableCellBox))]
        if not lines:
            continue
        if isinstance(child, box_types.FootnoteAreaBox):
            notes = max(box.position_y + box.margin_height() for box in lines) - min(box.position_y for box in lines)
        else:
            used_to = max(used_to, max(box.position_y + box.margin_height() for box in lines))
    return (top + height - used_to - notes) / height
