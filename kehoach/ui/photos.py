"""Show the photos of a site's inspections (thumbnails read through the service, never a path)."""

from __future__ import annotations

import streamlit as st

from kehoach.domain.inspection import InspectionOutcome, PhotoFlag
from kehoach.i18n import format_local_time, label, t
from kehoach.services.inspections import SitePhoto, site_photos
from kehoach.ui import engine, md

THUMB_WIDTH = 150


def _caption(photo: SitePhoto) -> str:
    text = t(
        "photos.caption",
        time=format_local_time(photo.at),
        who=photo.inspector or "—",
        result=label(InspectionOutcome(photo.outcome)),
    )
    flags = [label(PhotoFlag(f)) for f in photo.flags if f in PhotoFlag._value2member_map_]
    if flags:
        text += " · ⚠ " + "; ".join(flags)
    return md(text)


def show_photos(photos: list[SitePhoto], width: int = THUMB_WIDTH, captions: bool = True) -> None:
    """Show thumbnails in a row, captioned with time, inspector, result and any flags."""
    if photos:
        captions_shown = [_caption(p) for p in photos] if captions else None
        st.image([p.thumb for p in photos], caption=captions_shown, width=width)


def inspection_photos(site_id: int) -> None:
    """Show the photo section of a site card: the thumbnails of its inspections, newest first."""
    photos = site_photos(engine(), site_id)
    if photos:
        st.markdown(f"**{t('photos.title', n=len(photos))}**")
        show_photos(photos)
