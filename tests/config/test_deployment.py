"""The shipped docker compose deployment tells the app each client's real address.

Requests reach gunicorn through nginx (`proxy`): without trusting it the app would see one
client, nginx, so that strangers' failed sign-ins would lock everyone out and every audit
event would name nginx. The app trusts exactly the proxy's fixed address; nginx takes the
address from X-Forwarded-For only when the connection comes from the network's gateway
(the published port, where the TLS-terminating proxy connects), so no client can choose
its own address by sending that header."""

import ipaddress
import re

import pytest
import yaml
from django.conf import settings
from django.test import Client

from audit.models import AuditEvent
from tests.factories import PASSWORD
from tests.helpers import sign_in_url

APP_SERVICES = ("migrate", "web", "worker", "beat")


def compose() -> dict:
    # Safe loading still follows the file's `<<: *app` merge keys.
    return yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())


def network() -> tuple[ipaddress.IPv4Network, ipaddress.IPv4Address]:
    (config,) = compose()["networks"]["default"]["ipam"]["config"]
    return ipaddress.ip_network(config["subnet"]), ipaddress.ip_address(config["gateway"])


def proxy_address() -> str:
    return compose()["services"]["proxy"]["networks"]["default"]["ipv4_address"]


def nginx_directives(name: str) -> list[str]:
    config = (settings.BASE_DIR / "deploy" / "nginx.conf").read_text()
    return re.findall(rf"^\s*{name}\s+([^;]+);", config, flags=re.MULTILINE)


@pytest.mark.parametrize("service", APP_SERVICES)
def test_each_app_service_trusts_exactly_the_proxy_and_its_address_is_on_the_network(service):
    subnet, gateway = network()
    environment = compose()["services"][service]["environment"]

    assert environment["AUDIT_TRUSTED_PROXIES"] == proxy_address()
    assert ipaddress.ip_address(proxy_address()) in subnet
    assert ipaddress.ip_address(proxy_address()) != gateway
    assert gateway in subnet


def test_the_proxy_alone_is_published_and_only_on_the_loopback_address():
    services = compose()["services"]

    assert services["proxy"]["ports"] == ["127.0.0.1:8080:8080"]
    assert [name for name, service in services.items() if "ports" in service] == ["proxy"]


def test_nginx_takes_the_client_address_from_the_gateway_alone():
    _, gateway = network()

    assert nginx_directives("set_real_ip_from") == [str(gateway)]
    assert nginx_directives("real_ip_header") == ["X-Forwarded-For"]
    # The last address of the header, the one the TLS-terminating proxy appended.
    assert nginx_directives("real_ip_recursive") == ["off"]
    # Web is told that address alone, not the header as the client wrote it.
    forwarded = [d for d in nginx_directives("proxy_set_header") if "X-Forwarded-For" in d]
    assert forwarded == ["X-Forwarded-For $remote_addr"]
    # Set once for the server: a location setting any header of its own would inherit none
    # of these, and web would be told the client's own X-Forwarded-For there.
    config = (settings.BASE_DIR / "deploy" / "nginx.conf").read_text()
    locations = re.findall(r"location [^{]*\{(.*?)\}", config, flags=re.S)
    assert locations
    assert not [block for block in locations if "proxy_set_header" in block]


def through_the_proxy(client_address: str) -> Client:
    """A browser as gunicorn sees it behind nginx: nginx connects, and names the client."""
    return Client(REMOTE_ADDR=proxy_address(), HTTP_X_FORWARDED_FOR=client_address)


def test_strangers_failing_through_the_proxy_do_not_lock_out_everyone(settings, intel):
    trusted = compose()["services"]["web"]["environment"].get("AUDIT_TRUSTED_PROXIES", "")
    settings.AUDIT_TRUSTED_PROXIES = [address for address in trusted.split(",") if address]
    stranger = through_the_proxy("203.0.113.50")
    for number in range(25):
        stranger.post(sign_in_url(), {"username": f"made-up-{number}", "password": "guess"})

    colleague = through_the_proxy("198.51.100.20")
    response = colleague.post(sign_in_url(), {"username": "intel", "password": PASSWORD})

    assert response.status_code == 302
    assert "_auth_user_id" in colleague.session
    failures = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED)
    assert set(failures.values_list("ip_address", flat=True)) == {"203.0.113.50"}
    assert AuditEvent.objects.get(action=AuditEvent.Action.LOGIN).ip_address == "198.51.100.20"
