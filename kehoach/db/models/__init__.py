"""Map the whole domain to tables (SQLAlchemy 2.0 typed models), one module per area.

Geometry is stored as GeoJSON text in WGS84 (lon, lat), so the same schema runs on SQLite
and PostgreSQL without spatial extensions; point-like records also keep ``lon``/``lat``
columns so that map queries need no geometry parsing. Importing this package registers every
table on ``Base.metadata`` (Alembic's autogenerate and the tests rely on it).
"""

from kehoach.db.models.base import Base, UTCDateTime, utcnow
from kehoach.db.models.geography import District, Place, Street, Ward
from kehoach.db.models.people import LoginThrottle, User, UserSession
from kehoach.db.models.plans import (
    Campaign,
    FlagWindow,
    Plan,
    PlanStreet,
    Task,
    TaskEvent,
    TaskState,
    Unit,
)
from kehoach.db.models.reports import DistrictReportDraft, MonthlyReport
from kehoach.db.models.sites import (
    FlagCount,
    Inspection,
    Photo,
    Position,
    Site,
    SiteEvent,
    WardRoute,
)

__all__ = [
    "Base",
    "Campaign",
    "District",
    "DistrictReportDraft",
    "FlagCount",
    "FlagWindow",
    "Inspection",
    "LoginThrottle",
    "MonthlyReport",
    "Photo",
    "Place",
    "Plan",
    "PlanStreet",
    "Position",
    "Site",
    "SiteEvent",
    "Street",
    "Task",
    "TaskEvent",
    "TaskState",
    "UTCDateTime",
    "Unit",
    "User",
    "UserSession",
    "Ward",
    "WardRoute",
    "utcnow",
]
