"""What every page shares, in one import: ``from app_pages import _shared as S``.

The parts have modules of their own, by job; every name the pages use is importable from
here:

* `app_pages._cache` -- the store and the cached queries: `graph` returns the run's `Graph`
  (``g.cached(V.resistance_matrix, source=...)``), `get_store`, `state_dir`;
* `app_pages._params` -- page state in the URL: `param`, `set_param`, `bind`,
  `show_problems`, `switched`, the controls drawn on request `opened`, `open_link`, `close_link`,
  and the settings `source_filter`, `as_of`, `sticky`;
* `app_pages._text` -- values as text: `esc`, `attr` (and `control_char`, the rule of
  `kg.schema.text`);
* `app_pages._cards` -- links, references and claim cards as HTML: `badge`, `link`, `ext`,
  `html_block`, `section`, `section_html`, `later_html`, `note_html`, `choice_links`,
  `reference_html`, `claim_html`, `claim_box`, `cards_html`;
* `app_pages._frame` -- the `frame` every page shows: the page bar and the settings;
* `app_pages._style` -- the page list and page links: `PAGES`, `page_href`, `entity_href`,
  `outcome_href`.
"""

from __future__ import annotations

from app_pages._cache import APP_ROOT, Graph, _cached_view, get_store, graph, state_dir
from app_pages._cards import (
    badge,
    cards_html,
    choice_links,
    claim_box,
    claim_html,
    ext,
    form_html,
    html_block,
    later_html,
    link,
    note_html,
    reference_html,
    section,
    section_html,
)
from app_pages._frame import frame
from app_pages._params import (
    AS_OF_KEY,
    SOURCE_KEY,
    as_of,
    bind,
    close_link,
    open_link,
    opened,
    param,
    set_param,
    show_problems,
    source_filter,
    sticky,
    switched,
)
from app_pages._style import PAGES, entity_href, outcome_href, page_href
from app_pages._text import attr, esc
from kg.schema.text import control_char

__all__ = ["APP_ROOT", "PAGES", "SOURCE_KEY", "AS_OF_KEY", "Graph", "state_dir", "get_store",
           "graph", "param", "set_param", "bind", "show_problems", "source_filter", "as_of",
           "sticky", "switched", "opened", "open_link", "close_link", "esc",
           "attr", "control_char", "badge", "link", "ext", "page_href",
           "entity_href", "outcome_href", "html_block", "section", "section_html", "later_html",
           "note_html", "choice_links", "form_html", "reference_html", "claim_html",
           "claim_box", "cards_html",
           "frame", "_cached_view"]
