"""Every response carries the id that ties it to its audit events."""

from django.urls import reverse

from audit.context import get_current_request


def test_each_response_gets_its_own_request_id(client, db):
    first = client.get(reverse("web:health"))["X-Request-ID"]
    second = client.get(reverse("web:health"))["X-Request-ID"]

    assert len(first) == 32
    assert first != second


def test_a_well_formed_upstream_request_id_is_kept(client, db):
    response = client.get(reverse("web:health"), HTTP_X_REQUEST_ID="lb-1234abcd")

    assert response["X-Request-ID"] == "lb-1234abcd"


def test_a_malformed_upstream_request_id_is_replaced(client, db):
    response = client.get(reverse("web:health"), HTTP_X_REQUEST_ID="<script>alert(1)</script>")

    assert response["X-Request-ID"] != "<script>alert(1)</script>"
    assert len(response["X-Request-ID"]) == 32


def test_the_request_context_ends_with_the_request(client, db):
    client.get(reverse("web:health"))

    assert get_current_request().request_id == ""
