from django.urls import reverse


def test_a_configured_environment_banner_shows_on_every_page(client, settings):
    settings.ENVIRONMENT_BANNER = "Training copy: fictitious data only."

    response = client.get(reverse("accounts:login"))

    assert b"Training copy: fictitious data only." in response.content
    assert b'data-testid="environment-banner"' in response.content


def test_no_banner_unless_configured(client, settings):
    settings.ENVIRONMENT_BANNER = ""

    response = client.get(reverse("accounts:login"))

    assert b'data-testid="environment-banner"' not in response.content
