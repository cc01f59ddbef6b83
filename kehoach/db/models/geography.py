"""The district, its wards, streets and registered places (loaded by init)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from kehoach.db.models.base import Base, utcnow


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
