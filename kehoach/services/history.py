"""Write the append-only history of sites; nothing here updates or deletes an event.

The database holds the rule too (migration 0005): it refuses any UPDATE of a ``site_event``
row and any DELETE of one unless its site is a demo site (clearing the demo set).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy.orm import Session

from kehoach.db.models import Site, SiteEvent, User, utcnow
from kehoach.domain.enums import ChangeSource


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


# A new site's first values of what the district report reads, stated in its 'created'
# event as JSON (field → text), so its history tells the whole story from the start.
INITIAL_FIELDS = (
    "status",
    "approval",
    "unit_id",
    "task_id",
    "estimated_cost",
    "approved_cost",
    "is_new",
    "flags_expected",
    "flags_hung",
)


def initial_values(site: Site) -> dict[str, str | None]:
    """Return the ``INITIAL_FIELDS`` of a site as the history stores them (text or None)."""
    return {name: _text(getattr(site, name)) for name in INITIAL_FIELDS}


def record_created(
    session: Session, site: Site, user: User | None, source: ChangeSource
) -> SiteEvent:
    """Add the 'created' event of a new site (flush the site first to have its id).

    Its ``new_value`` holds the site's first values (``initial_values``, as JSON); replay
    reads the field events that follow, never this one.
    """
    event = SiteEvent(
        site_id=site.id,
        at=utcnow(),
        user_id=user.id if user else None,
        username=user.username if user else source.value,
        action="created",
        new_value=json.dumps(initial_values(site), sort_keys=True),
        source=source.value,
    )
    session.add(event)
    return event


def record_changes(
    session: Session,
    site: Site,
    changes: Mapping[str, tuple[object, object]],
    user: User | None,
    source: ChangeSource,
    action: str = "updated",
    at: datetime | None = None,
) -> list[SiteEvent]:
    """Add one event per changed field: ``changes`` maps field → (old, new), stamped ``at``."""
    now = at or utcnow()
    events = [
        SiteEvent(
            site_id=site.id,
            at=now,
            user_id=user.id if user else None,
            username=user.username if user else source.value,
            action=action,
            field=name,
            old_value=_text(old),
            new_value=_text(new),
            source=source.value,
        )
        for name, (old, new) in changes.items()
        if old != new
    ]
    session.add_all(events)
    return events
