"""The admin lists apps and models in the bureau's order, not by code point (core.admin_site)."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_staff_see_the_sidebar_in_the_bureaus_order(staff_client):
    app_list = staff_client.get(reverse("admin:index")).context["app_list"]
    apps = [str(app["name"]) for app in app_list]
    assert apps[:5] == ["党组织", "党员", "红色史料", "教育基地", "参观学习"]
    branches = [str(model["name"]) for model in app_list[0]["models"]]
    # By code point 党员活动室 and 单位 would come first.
    assert branches[:3] == ["党组织", "组织生活", "换届与班子"]
    assert [str(model["name"]) for model in app_list[1]["models"]][0] == "党员"


@pytest.mark.django_db
def test_an_apps_own_page_keeps_the_order(staff_client):
    response = staff_client.get(reverse("admin:app_list", args=["visits"]))
    models = [str(m["name"]) for m in response.context["app_list"][0]["models"]]
    # By code point 参观记录 would come first.
    assert models[:2] == ["预约参观", "参观记录"]
