"""An Atom feed of new records, with absolute links from the site's URL."""

from __future__ import annotations

import datetime as dt
import posixpath
from xml.etree import ElementTree as ET

from ..analysis.provenance import Provenance
from ..paths import FEED_PATH, RenderOptions
from ..records.corpus import KnowledgeBase
from ..records.schema import Postmortem

ENTRIES = 20
ATOM = "http://www.w3.org/2005/Atom"


def page_url(options: RenderOptions, record_id: str) -> str:
    """The absolute URL of a record's page."""
    base = (options.site_url or "").rstrip("/") + "/"
    return f"{base}records/{record_id}/" if options.directory_urls else \
        f"{base}records/{record_id}.html"


def feed(kb: KnowledgeBase, provenance: Provenance, options: RenderOptions) -> dict[str, bytes]:
    """``feed.xml``: the newest records by the date they were submitted (none without site_url),
    each updated when it last changed as of the build date, and identified by the address it
    was first published at (`_first_id`: a rename is no new record).

    A record submitted on an unknown date is left out: it is not known to be new, and an
    entry needs a date (see `generator.analysis.provenance`)."""
    if not options.site_url:
        return {}
    dated = [(when, change.author, e) for e in kb.entries
             if (change := provenance.submitted(e.path)) is not None
             and (when := change.when) is not None]
    newest = sorted(dated, key=lambda row: (row[0], row[2].id), reverse=True)[:ENTRIES]
    updated_of = {entry.id: _updated(provenance, entry.path, when) for when, _, entry in newest}
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    base = options.site_url.rstrip("/") + "/"
    ET.SubElement(root, f"{{{ATOM}}}id").text = base
    ET.SubElement(root, f"{{{ATOM}}}title").text = f"{kb.taxonomy.company}: new records"
    ET.SubElement(root, f"{{{ATOM}}}link", rel="self", href=f"{base}{FEED_PATH}")
    ET.SubElement(root, f"{{{ATOM}}}link", rel="alternate", href=base)
    # With no dated entry (every commit after the as-of date), the feed is as of that day:
    # 1970 told a feed reader the feed had not changed since before the knowledge base began.
    updated = max(updated_of.values()) if newest else \
        dt.datetime.combine(kb.as_of, dt.time(), dt.UTC)
    ET.SubElement(root, f"{{{ATOM}}}updated").text = updated.isoformat()
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = kb.taxonomy.company
    ids = {entry.id for entry in kb.entries}
    for when, name, entry in newest:
        item = ET.SubElement(root, f"{{{ATOM}}}entry")
        url = page_url(options, entry.id)
        ET.SubElement(item, f"{{{ATOM}}}id").text = page_url(
            options, _first_id(provenance, entry.path, entry.id, ids))
        ET.SubElement(item, f"{{{ATOM}}}title").text = entry.title
        ET.SubElement(item, f"{{{ATOM}}}link", rel="alternate", href=url)
        ET.SubElement(item, f"{{{ATOM}}}updated").text = updated_of[entry.id].isoformat()
        ET.SubElement(item, f"{{{ATOM}}}published").text = when.isoformat()
        who = ET.SubElement(item, f"{{{ATOM}}}author")
        ET.SubElement(who, f"{{{ATOM}}}name").text = name
        summary = entry.record.summary if isinstance(entry.record, Postmortem) else \
            f"{entry.title}, held {entry.date.isoformat()}."
        ET.SubElement(item, f"{{{ATOM}}}summary").text = summary
    ET.indent(root)
    return {FEED_PATH: ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"}


def _first_id(provenance: Provenance, path: str, record_id: str, ids: set[str]) -> str:
    """The record id a record was first published under, for its entry's ``id``: a record
    renamed with ``git mv`` (a month or a team fixed in its file name) got a new id, and feed
    readers showed it again as a new record. Its id now when no rename is known, or when
    another record has since been written under the first name (that entry id is its)."""
    first = posixpath.splitext(posixpath.basename(provenance.first_path(path)))[0]
    return record_id if not first or (first != record_id and first in ids) else first


def _updated(provenance: Provenance, path: str, published: dt.datetime) -> dt.datetime:
    """When a record last changed, as of the build date (`Provenance.changed`), for its entry's
    ``updated``: a reader's feed shows a changed record as changed (it was the date submitted,
    so an edit never reached anyone). The date submitted where no later one is known."""
    change = provenance.changed(path)
    if change is None or change.when is None or change.when < published:
        return published
    return change.when
