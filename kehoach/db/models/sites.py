"""Lasting positions, their deployments per campaign (sites), history, inspections, photos."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from kehoach.db.models.base import Base, utcnow


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
