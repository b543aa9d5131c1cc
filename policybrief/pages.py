"""Laid-out pages -> what they hold: their boxes, the notes called and printed on each, how empty each is."""

from __future__ import annotations

MOST_EMPTY = 1 / 6  # of a page's text area: an emptier page (but the last) reads as a gap in the brief


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


def starts_whole(page) -> bool:
    """Whether the page's first content is a figure or a block that must not split (it moved whole, so the
    page before it may end early)."""
    from weasyprint.formatting_structure import boxes as box_types

    box = next((child for child in page._page_box.children
                if not isinstance(child, (box_types.MarginBox, box_types.FootnoteAreaBox))), None)
    while getattr(box, "children", None):
        if box.style["break_inside"] in ("avoid", "avoid-page") or box.element_tag == "figure":
            return True
        box = box.children[0]
    return False


def loose_pages(pages) -> tuple[tuple[int, float], ...]:
    """Pages (number, empty share) left more than MOST_EMPTY empty, other than the last, where the next page
    does not start with a figure or a block kept whole: a gap that no layout rule asked for."""
    return tuple((number, share) for number, share in
                 ((number, empty_share(page)) for number, page in enumerate(pages[:-1], start=1))
                 if share > MOST_EMPTY and not starts_whole(pages[number]))
