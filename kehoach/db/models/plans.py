"""A campaign's plan: units, tasks and who stands where on them; campaigns and flag windows."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kehoach.db.models.base import Base, utcnow


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
