"""Map the whole domain to tables (SQLAlchemy 2.0 typed models).

Geometry is stored as GeoJSON text in WGS84 (lon, lat), so the same schema runs on SQLite
and PostgreSQL without spatial extensions; point-like records also keep ``lon``/``lat``
columns so that map queries need no geometry parsing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Store datetimes in UTC and always hand back timezone-aware values."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store times in UTC")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class District(Base):
    __tablename__ = "district"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    full_name: Mapped[str] = mapped_column(String(120))
    area_km2: Mapped[float] = mapped_column(Float)
    geojson: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text, default="")


class Ward(Base):
    __tablename__ = "ward"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    full_name: Mapped[str] = mapped_column(String(120))
    name_key: Mapped[str] = mapped_column(String(100), index=True)
    area_km2: Mapped[float] = mapped_column(Float)
    approximate: Mapped[bool] = mapped_column(Boolean, default=True)
    osm_relation_id: Mapped[int | None] = mapped_column(Integer)
    geojson: Mapped[str] = mapped_column(Text)


class Street(Base):
    __tablename__ = "street"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    name_variants: Mapped[list[Any]] = mapped_column(default=list)
    highway: Mapped[str] = mapped_column(String(40), default="")
    length_m: Mapped[float] = mapped_column(Float)
    length_inside_m: Mapped[float] = mapped_column(Float, default=0.0)
    geojson: Mapped[str] = mapped_column(Text)


class Place(Base):
    """A point where decoration or flags go: OSM POIs and places staff register."""

    __tablename__ = "place"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(40))
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("ward.id"))
    address: Mapped[str] = mapped_column(String(300), default="")
    osm_type: Mapped[str | None] = mapped_column(String(10))
    osm_id: Mapped[int | None] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("osm_type", "osm_id", name="osm_element"),)


class Plan(Base):
    """A plan document (kế hoạch) as parsed: its dates, units and tasks; a campaign uses it.

    ``flag_window_start``/``flag_window_end`` keep what the text said; the campaign's own
    flag windows are what the app uses.
    """

    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(200), default="")
    number: Mapped[str | None] = mapped_column(String(60))
    issued_on: Mapped[date | None] = mapped_column(Date)
    title: Mapped[str] = mapped_column(Text)
    implements: Mapped[list[Any]] = mapped_column(default=list)
    anniversary: Mapped[date | None] = mapped_column(Date)
    flag_window_start: Mapped[date | None] = mapped_column(Date)
    flag_window_end: Mapped[date | None] = mapped_column(Date)
    report_deadline_day: Mapped[int | None] = mapped_column(Integer)
    sections: Mapped[list[Any]] = mapped_column(default=list)
    source_name: Mapped[str] = mapped_column(String(300), default="")
    text_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)

    units: Mapped[list[Unit]] = relationship(
        back_populates="plan", order_by="Unit.position", cascade="all, delete-orphan"
    )


class Unit(Base):
    """A responsible unit (đơn vị) of the plan, in the plan's order."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    lead_in: Mapped[str] = mapped_column(Text, default="")
    # The plan only invites this body ("Đề nghị ..."): it does not report to the district.
    invited: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    plan: Mapped[Plan] = relationship(back_populates="units")
    tasks: Mapped[list[Task]] = relationship(
        back_populates="unit", order_by="Task.position", cascade="all, delete-orphan"
    )

    __table_args__ = (UniqueConstraint("plan_id", "position", name="plan_position"),)


class Task(Base):
    """A task (nhiệm vụ) of a unit; progress of decoration/flag tasks comes from sites."""

    __tablename__ = "task"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    attachment_note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="open")  # unused since 0009:
    evidence_note: Mapped[str] = mapped_column(Text, default="")  # TaskState rows instead
    due_on: Mapped[date | None] = mapped_column(Date)
    # A monthly deadline ("hằng tháng trước ngày 20"): the day of the month, else None.
    due_day: Mapped[int | None] = mapped_column(Integer)

    unit: Mapped[Unit] = relationship(back_populates="tasks")


class PlanStreet(Base):
    """A street the plan names, matched to a street geometry when one fits."""

    __tablename__ = "plan_street"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    mentioned_name: Mapped[str] = mapped_column(String(200))
    street_id: Mapped[int | None] = mapped_column(ForeignKey("street.id"))

    __table_args__ = (UniqueConstraint("plan_id", "mentioned_name", name="plan_mention"),)


class Campaign(Base):
    """A campaign (đợt): one occasion with its plan, period, flag windows and state."""

    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    occasion: Mapped[str] = mapped_column(Text, default="")
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id"), index=True)
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    closed_at: Mapped[datetime | None] = mapped_column()

    flag_windows: Mapped[list[FlagWindow]] = relationship(
        back_populates="campaign", order_by="FlagWindow.start_on", cascade="all, delete-orphan"
    )

    __table_args__ = (CheckConstraint("start_on <= end_on", name="period"),)


class FlagWindow(Base):
    """A flag-hanging window of a campaign and whom it applies to."""

    __tablename__ = "flag_window"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date] = mapped_column(Date)
    # FlagTarget values: agencies, schools, households, streets.
    applies_to: Mapped[list[Any]] = mapped_column(default=list)
    note: Mapped[str] = mapped_column(Text, default="")

    campaign: Mapped[Campaign] = relationship(back_populates="flag_windows")

    __table_args__ = (CheckConstraint("start_on <= end_on", name="period"),)


class User(Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("ward.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    # The unit the account reports for, by the plan's name: unit rows belong to one plan, so
    # the binding is looked up in the current campaign's plan (it survives a new campaign).
    unit_name: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class UserSession(Base):
    """A signed-in browser: only the SHA-256 of its cookie token is kept (revocable)."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()


class Position(Base):
    """A lasting decoration position (vị trí): where a site goes, campaign after campaign."""

    __tablename__ = "position"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(300), default="")
    # NULL while unplaced (a table row whose position text could not be located).
    geojson: Mapped[str | None] = mapped_column(Text)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    length_m: Mapped[float] = mapped_column(Float, default=0.0)
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("ward.id"), index=True)
    street_id: Mapped[int | None] = mapped_column(ForeignKey("street.id"), index=True)
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"))
    address: Mapped[str] = mapped_column(String(300), default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class Site(Base):
    """A decoration site (điểm trực quan): a position's deployment in one campaign.

    It keeps its own copy of the geometry as it stood in that campaign, so a closed
    campaign's map stays as it was when the position moves later.
    """

    __tablename__ = "site"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(300), default="")
    kind: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    approval: Mapped[str] = mapped_column(String(20), default="approved", index=True)
    # NULL while unplaced ("chưa định vị", location_source "unplaced"): the map, coverage and
    # nearest lists skip such sites until staff place them.
    geojson: Mapped[str | None] = mapped_column(Text)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    length_m: Mapped[float] = mapped_column(Float, default=0.0)
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("ward.id"), index=True)
    street_id: Mapped[int | None] = mapped_column(ForeignKey("street.id"), index=True)
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"))
    # How the geometry was found from the table's position text (see services.locate).
    position_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    location_source: Mapped[str] = mapped_column(
        String(20), default="coordinates", server_default="coordinates", index=True
    )
    needs_confirmation: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    size: Mapped[str] = mapped_column(String(100), default="", server_default="")
    install_on: Mapped[date | None] = mapped_column(Date)
    remove_on: Mapped[date | None] = mapped_column(Date)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id"))
    address: Mapped[str] = mapped_column(String(300), default="")
    content: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    flags_expected: Mapped[int] = mapped_column(Integer, default=0)
    flags_hung: Mapped[int] = mapped_column(Integer, default=0)
    planned_on: Mapped[date | None] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    is_new: Mapped[bool] = mapped_column(Boolean, default=False)
    # Đồng: a panel cluster can cost more than 2^31 đồng, PostgreSQL's INTEGER limit.
    estimated_cost: Mapped[int | None] = mapped_column(BigInteger)
    approved_cost: Mapped[int | None] = mapped_column(BigInteger)
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    funding_source: Mapped[str | None] = mapped_column(String(20))  # FundingSource
    actual_cost: Mapped[int | None] = mapped_column(BigInteger)  # spent, once done
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    import_key: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint("flags_hung >= 0 AND flags_expected >= 0", name="flag_counts"),
        CheckConstraint("quantity >= 0", name="quantity"),
        UniqueConstraint("campaign_id", "code", name="site_campaign_code"),
        UniqueConstraint("campaign_id", "import_key", name="site_campaign_import_key"),
    )


class SiteEvent(Base):
    """One line of a site's append-only history: who changed which field, when, how."""

    __tablename__ = "site_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    username: Mapped[str] = mapped_column(String(80), default="")
    action: Mapped[str] = mapped_column(String(20))
    field: Mapped[str | None] = mapped_column(String(40))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(10))


class WardRoute(Base):
    """A street route a ward registered with the district (plan IV.13): a street or a stretch."""

    __tablename__ = "ward_route"

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id"), index=True)
    street_id: Mapped[int] = mapped_column(ForeignKey("street.id"))
    name: Mapped[str] = mapped_column(String(300), default="")
    # None: the whole street (inside the district); else a LineString along the centreline.
    geojson: Mapped[str | None] = mapped_column(Text)
    length_m: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class Inspection(Base):
    __tablename__ = "inspection"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    result: Mapped[str] = mapped_column(String(20))
    defects: Mapped[list[Any]] = mapped_column(default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    device_lon: Mapped[float | None] = mapped_column(Float)
    device_lat: Mapped[float | None] = mapped_column(Float)
    device_accuracy_m: Mapped[float | None] = mapped_column(Float)
    distance_m: Mapped[float | None] = mapped_column(Float)
    flags_expected: Mapped[int | None] = mapped_column(Integer)
    flags_hung: Mapped[int | None] = mapped_column(Integer)
    # The id the device gave an offline result: sending it again stores nothing new.
    client_uuid: Mapped[str | None] = mapped_column(String(36), index=True, unique=True)
    # The site's version right after this inspection was written.
    site_version: Mapped[int | None] = mapped_column(Integer)


class Photo(Base):
    __tablename__ = "photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(100), unique=True)
    thumb_name: Mapped[str] = mapped_column(String(100))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    exif_taken_at: Mapped[datetime | None] = mapped_column()
    exif_lon: Mapped[float | None] = mapped_column(Float)
    exif_lat: Mapped[float | None] = mapped_column(Float)
    flags: Mapped[list[Any]] = mapped_column(default=list)


class MonthlyReport(Base):
    """A unit's monthly progress report, due before the plan's deadline day."""

    __tablename__ = "monthly_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("ward.id"))
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    body: Mapped[str] = mapped_column(Text, default="")
    figures: Mapped[dict[str, Any]] = mapped_column(default=dict)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    amended_at: Mapped[datetime | None] = mapped_column()
    amended_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    # Added by migration 0015: the text under the plan's report headings, attached files
    # ({"name", "stored", "size", "kind"}), the Culture Office's review ("returned" with a
    # comment; None once (re)submitted) and the report's history of submits and returns.
    sections: Mapped[dict[str, Any] | None] = mapped_column()
    attachments: Mapped[list[Any] | None] = mapped_column()
    review_status: Mapped[str | None] = mapped_column(String(16))
    review_comment: Mapped[str | None] = mapped_column(Text)
    history: Mapped[list[Any] | None] = mapped_column()

    __table_args__ = (
        UniqueConstraint(
            "campaign_id", "unit_id", "ward_id", "month", name="campaign_unit_ward_month"
        ),
        # NULLs are distinct in a unique constraint: a unit's own report (no ward) needs this.
        Index(
            "uq_monthly_report_unit_month_no_ward",
            "campaign_id",
            "unit_id",
            "month",
            unique=True,
            sqlite_where=text("ward_id IS NULL"),
            postgresql_where=text("ward_id IS NULL"),
        ),
    )


class FlagCount(Base):
    """Flags expected and hung at one deployment (a site) in one flag window of its campaign."""

    __tablename__ = "flag_count"

    id: Mapped[int] = mapped_column(primary_key=True)
    window_id: Mapped[int] = mapped_column(
        ForeignKey("flag_window.id", ondelete="CASCADE"), index=True
    )
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    expected: Mapped[int] = mapped_column(Integer, default=0)
    hung: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    __table_args__ = (
        UniqueConstraint("window_id", "site_id", name="flag_count_window_site"),
        CheckConstraint("hung >= 0 AND expected >= 0 AND hung <= expected", name="counts"),
    )


class TaskEvent(Base):
    """One line of a task's append-only history (its reported status), so past reports hold."""

    __tablename__ = "task_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    username: Mapped[str] = mapped_column(String(80), default="")
    field: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    ward_id: Mapped[int | None] = mapped_column(Integer)  # the ward's row of a wards' task (0009)


class TaskState(Base):
    """Where one executor of a task stands: the unit (no ward) or one ward (else as the unit)."""

    __tablename__ = "task_status"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("ward.id"))
    status: Mapped[str] = mapped_column(String(20), default="open")
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    __table_args__ = (
        UniqueConstraint("task_id", "ward_id", name="task_ward"),
        Index("uq_task_status_unit_row", "task_id", unique=True,
              sqlite_where=text("ward_id IS NULL"), postgresql_where=text("ward_id IS NULL")),
    )  # fmt: skip


# --- unit reports reviewed, and the district's compiled report (migration 0015) --------------


class DistrictReportDraft(Base):
    """What the Culture Office writes into a campaign's district report for one month."""

    __tablename__ = "district_report_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    assessment: Mapped[str] = mapped_column(Text, default="")
    difficulties: Mapped[str] = mapped_column(Text, default="")
    next_tasks: Mapped[str] = mapped_column(Text, default="")
    recommendations: Mapped[str] = mapped_column(Text, default="")
    doc_number: Mapped[str] = mapped_column(String(40), default="")
    doc_date: Mapped[date | None] = mapped_column(Date)
    signer_name: Mapped[str] = mapped_column(String(120), default="")
    signer_title: Mapped[str] = mapped_column(String(120), default="")
    sign_mode: Mapped[str] = mapped_column(String(4), default="")  # "", "KT." or "TM."
    issuer: Mapped[str] = mapped_column(String(16), default="office")  # "office" | "district"
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    __table_args__ = (
        UniqueConstraint("campaign_id", "month", name="district_report_draft_campaign_month"),
    )
