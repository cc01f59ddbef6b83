"""Monthly reports of units and wards, and the district's compiled report draft."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from kehoach.db.models.base import Base, utcnow


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
