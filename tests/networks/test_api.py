"""The directory API: token and session auth, filters, the OpenAPI schema."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from portal.tokens import do_create_api_token
from tests.personas import user

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_token_authentication(api):
    analyst = user("dsb_analyst")
    _, token = do_create_api_token(
        user=analyst, name="test", acting_user=analyst, second_factor=True
    )
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api.get(reverse("api:municipality-detail", args=["5001"]))
    assert response.status_code == 200
    body = response.json()
    assert body["label"] == "Trondheim"
    assert body["office"] == "trondelag"
    assert "5031" in body["neighbours"]  # Malvik


def test_wrong_token_is_rejected(api):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert api.get(reverse("api:municipality-list")).status_code == 401


def test_filters_match_the_page(api):
    api.force_authenticate(user("bergen_manager"))
    url = reverse("api:municipality-list")
    rogaland = api.get(url, {"office": "rogaland", "page_size": 500}).json()
    assert rogaland["count"] == 23
    snb = api.get(url, {"network": "snb"}).json()
    assert {m["number"] for m in snb["results"]} == {"0301", "4601", "5001", "1103", "4204", "5501"}
    big = api.get(url, {"min_population": 200000, "ordering": "-population"}).json()
    assert [m["label"] for m in big["results"]] == ["Oslo", "Bergen", "Trondheim"]
    assert api.get(url, {"office": "no-such-office"}).status_code == 400


def test_me_lists_every_role(api):
    api.force_authenticate(user("snb_coordinator"))
    roles = api.get(reverse("api:me")).json()["roles"]
    assert {(r["role"], r["network"]) for r in roles} == {
        ("network_coordinator", "snb"),
        ("crisis_staff", None),
    }


def test_contacts_list_is_scoped(api):
    api.force_authenticate(user("rogaland_officer"))
    rows = api.get(reverse("api:contact-list")).json()["results"]
    assert {r["organisation"] for r in rows} and all(r["name"] != "Berit Bergersen" for r in rows)


def test_openapi_schema_documents_the_api(api):
    api.force_authenticate(user("ks_analyst"))
    response = api.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    for path in ("/api/v1/municipalities/", "/api/v1/contacts/{uuid}/", "/api/v1/me/"):
        assert path in schema["paths"], path
    assert "TokenAuth" in {*schema["components"]["securitySchemes"]} or any(
        "token" in k.lower() for k in schema["components"]["securitySchemes"]
    )


def test_fast_municipality_representation_matches_the_declared_fields():
    from rest_framework import serializers as drf

    from networks.structure.api.serializers import MunicipalitySerializer
    from networks.structure.api.views import MunicipalityViewSet

    view = MunicipalityViewSet(action="list")
    view.request = type("R", (), {"user": user("bergen_manager")})()
    obj = view.get_queryset().get(number="4601")
    fast = MunicipalitySerializer(obj).data
    generic = drf.Serializer.to_representation(MunicipalitySerializer(obj), obj)
    assert list(fast) == list(MunicipalitySerializer.Meta.fields)
    assert fast == generic
