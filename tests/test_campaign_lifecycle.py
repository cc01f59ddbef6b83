"""Opening a preparing campaign: who may, and a closed one stays closed."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from kehoach.domain.campaigns import CampaignClosed, CampaignState
from kehoach.domain.enums import Role
from kehoach.domain.errors import PermissionDenied
from kehoach.domain.permissions import Actor
from kehoach.services import campaigns
from kehoach.services.campaign_start import start_campaign

STAFF = Actor(None, "canbo", Role.STAFF)


def _preparing(engine: Engine) -> int:
    plan_id = campaigns.resolve_campaign(engine).plan_id
    started = start_campaign(engine, STAFF, "Tết", plan_id=plan_id, start=date(2030, 1, 10),
                             end=date(2030, 2, 20), today=date(2029, 12, 1))  # fmt: skip
    assert started.campaign.state == CampaignState.PREPARING
    return started.campaign.id


def test_open_moves_a_preparing_campaign_to_running(engine: Engine) -> None:
    campaign_id = _preparing(engine)
    opened = campaigns.open_campaign(engine, STAFF, campaign_id)
    assert opened.state == CampaignState.RUNNING
    assert campaigns.resolve_campaign(engine, campaign_id).state == CampaignState.RUNNING


def test_a_closed_campaign_cannot_be_opened_again(engine: Engine) -> None:
    campaign_id = _preparing(engine)
    campaigns.close_campaign(engine, STAFF, campaign_id)
    with pytest.raises(CampaignClosed):
        campaigns.open_campaign(engine, STAFF, campaign_id)
    assert campaigns.resolve_campaign(engine, campaign_id).closed


@pytest.mark.parametrize("role", [Role.LEADER, Role.WARD_OFFICER, Role.INSPECTOR])
def test_only_staff_and_admins_open_a_campaign(engine: Engine, role: Role) -> None:
    campaign_id = _preparing(engine)
    with pytest.raises(PermissionDenied):
        campaigns.open_campaign(engine, Actor(None, "x", role), campaign_id)
    assert campaigns.resolve_campaign(engine, campaign_id).state == CampaignState.PREPARING
